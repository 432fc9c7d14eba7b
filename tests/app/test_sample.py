"""The first-run sample book: realistic, deterministic, and built through the real import path."""

from __future__ import annotations

from pathlib import Path

from app.book import LeadBook
from app.query import ContactFilter
from app.sample import SAMPLE_AUDIENCE, SAMPLE_LISTS, build_sample_book, sample_rows


def test_sample_rows_are_the_same_every_time() -> None:
    assert sample_rows() == sample_rows()
    assert sample_rows(seed=1) != sample_rows()
    assert sum(len(f) for f in sample_rows()) == 204


def test_sample_book_has_lists_duplicates_invalid_values_and_an_audience(tmp_path: Path) -> None:
    summary = build_sample_book(tmp_path / "Sample book.db")
    assert (summary.imported_rows, summary.merged, summary.contacts) == (204, 12, 192)
    with LeadBook.open(summary.path) as book:
        assert [name for name, _n in book.lists()] == list(SAMPLE_LISTS)
        assert [a.name for a in book.audiences()] == [SAMPLE_AUDIENCE]
        assert book.count(ContactFilter(tag=SAMPLE_AUDIENCE)) == 14
        assert book.count(ContactFilter(quality="invalid_email")) == 3
        # The planted look-alikes (another address, a nickname) are left for Find duplicates.
        groups = book.find_duplicates()
        assert len(groups) >= 2 and all(len(g.ids) == 2 for g in groups)
        assert any("nickname" in " ".join(g.reasons) for g in groups)
        first = book.contacts(limit=1)[0]
        assert first.sources[0].file == "sample-1.csv"


def test_building_again_replaces_the_old_sample(tmp_path: Path) -> None:
    path = tmp_path / "Sample book.db"
    build_sample_book(path)
    with LeadBook.open(path) as book:
        book.delete_contacts([book.contacts(limit=1)[0].id])
    assert build_sample_book(path).contacts == 192
