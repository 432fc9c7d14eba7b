"""Job titles are classified as an import inserts its contacts, with the same outcome as at commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.book import LeadBook
from app.query import ContactFilter
from importers import pipeline
from importers.pipeline import ImportOptions, run_import

HEADER = "First Name,Last Name,Email,Job Title,Seniority,Department\n"


def _levels(book: LeadBook) -> dict[str, tuple[str, str, str]]:
    """Email -> (job title, seniority, department) of every live contact."""
    return {
        c.primary_email: (c.job_title, c.seniority, c.department)
        for c in book.contacts(ContactFilter(), limit=1000)
    }


def _import(book: LeadBook, tmp_path: Path, name: str, rows: str) -> None:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    run_import(book, path, ImportOptions(workers=0))


def test_new_contacts_get_the_seniority_and_department_their_title_says(
    book: LeadBook, tmp_path: Path
) -> None:
    _import(
        book,
        tmp_path,
        "a.csv",
        "Ana,Ruiz,ana@acme.es,Chief Marketing Officer,,\n"
        "Bo,Ek,bo@ek.se,VP Sales,Director,\n"  # the file's seniority wins, the department is filled
        "Cy,Po,cy@po.io,Zorblax,,\n",  # a title that says nothing
    )
    assert _levels(book) == {
        "ana@acme.es": ("Chief Marketing Officer", "C-level", "Marketing"),
        "bo@ek.se": ("VP Sales", "Director", "Sales"),
        "cy@po.io": ("Zorblax", "", ""),
    }
    # An import's own contacts get no change records for it: undoing the import deletes them.
    changes = book.conn.execute(
        "SELECT count(*) FROM changes WHERE table_name = 'contacts' AND row_id IN "
        "(SELECT id FROM contacts)"
    ).fetchone()[0]
    assert changes == 0


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # A later row of the same person changes the title: the levels follow the last title.
        (
            "Ana,Ruiz,ana@acme.es,Software Engineer,,\nx,y,x@y.io,Zorblax,,\n"
            "Ana,Ruiz,ana@acme.es,Chief Marketing Officer,,\n",
            ("Chief Marketing Officer", "C-level", "Marketing"),
        ),
        # A later row gives the seniority the first row left to the title.
        (
            "Ana,Ruiz,ana@acme.es,Software Engineer,,\nx,y,x@y.io,Zorblax,,\n"
            "Ana,Ruiz,ana@acme.es,,Manager,\n",
            ("Software Engineer", "Manager", "Engineering"),
        ),
        # A first row with a title that says nothing, a later one with a title that does.
        (
            "Ana,Ruiz,ana@acme.es,Zorblax,,\nx,y,x@y.io,Zorblax,,\n"
            "Ana,Ruiz,ana@acme.es,VP Sales,,\n",
            ("VP Sales", "VP", "Sales"),
        ),
    ],
)
def test_a_row_merging_into_a_contact_of_the_same_import_is_classified_on_the_last_title(
    book: LeadBook,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: str,
    expected: tuple[str, str, str],
) -> None:
    # One row per chunk: the third row merges into a contact already written (the stored path).
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 1)
    _import(book, tmp_path, "a.csv", rows)
    assert _levels(book)["ana@acme.es"] == expected


def test_a_stored_contact_an_import_merges_into_is_classified_at_commit_and_undone(
    book: LeadBook, tmp_path: Path
) -> None:
    _import(book, tmp_path, "first.csv", "Ana,Ruiz,ana@acme.es,Zorblax,,\n")
    _import(book, tmp_path, "second.csv", "Ana,Ruiz,ana@acme.es,VP Sales,,\n")
    assert _levels(book)["ana@acme.es"] == ("VP Sales", "VP", "Sales")
    book.undo()
    assert _levels(book)["ana@acme.es"] == ("Zorblax", "", "")


def test_the_books_own_title_rules_classify_at_insert(book: LeadBook, tmp_path: Path) -> None:
    book.set_title_rules('[abbreviations]\nzorblax = "chief marketing officer"\n')
    _import(book, tmp_path, "a.csv", "Cy,Po,cy@po.io,Zorblax,,\n")
    assert _levels(book)["cy@po.io"] == ("Zorblax", "C-level", "Marketing")
