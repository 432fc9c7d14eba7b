"""Erasure: after erasing a person, no byte of their data is left in the book file or its WAL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.book import LeadBook
from app.errors import NotFound
from importers.pipeline import ImportOptions, run_import
from tests.app.book_rows import rec

NAME_PARTS = ("Zoë", "Brandt-Łukasiewicz", "Brandt", "Łukasiewicz")
EMAIL = "zoe.unique@brandt.io"
PHONE = "+4915123456789"


def leftovers(path: Path) -> list[str]:
    """Every needle (UTF-8, and lower-case) found in the raw bytes of the book and its WAL."""
    needles = [*NAME_PARTS, EMAIL, PHONE, "49 151 234 567 89", "zoe.unique"]
    found = []
    for f in (path, Path(f"{path}-wal")):
        if not f.exists():
            continue
        data = f.read_bytes()
        for n in needles:
            for variant in {n, n.lower()}:
                if variant.encode("utf-8") in data:
                    found.append(f"{f.name}: {variant}")
    return found


def zoe_book(book: LeadBook, tmp_path: Path) -> int:
    """Zoë arrives from a file (with an invalid second phone, so an import issue holds her value),
    is edited, tagged by the edit history, and a second copy is merged into her."""
    csv = tmp_path / "event.csv"
    csv.write_text(
        "First Name,Last Name,Email,Phone,Mobile,Company,Notes\n"
        f"Zoë,Brandt-Łukasiewicz,{EMAIL},+49 151 234 567 89,49 151 234 567 89x,Brandt GmbH,met Zoë\n"
        "Li,Wei,li.wei@fine.org,+44 20 7946 0958,,Fine Ltd,\n",
        encoding="utf-8",
    )
    run_import(book, csv, ImportOptions(source_label="Berlin fair", list_name="Fair"))
    zoe = book.contacts(limit=1)[0]
    cid = zoe.id or 0
    book.update_contact(cid, {"job_title": "Head of Growth, Zoë Brandt-Łukasiewicz office"})
    book.update_contact(cid, {"notes": f"call Zoë on {PHONE}"})
    other = book.add_contact(
        rec(first_name="Zoe", last_name="Brandt-Łukasiewicz", email="zoe.private@web.de"),
        on_duplicate="keep",
    ).contact_id
    book.conn.execute("UPDATE contacts SET merged_into = ? WHERE id = ?", (cid, other))
    return cid


@pytest.mark.parametrize("checkpoint_first", [False, True])
def test_erasure_leaves_no_personal_bytes(
    book: LeadBook, tmp_path: Path, checkpoint_first: bool
) -> None:
    cid = zoe_book(book, tmp_path)
    if checkpoint_first:  # her pages are in the main file, not only in the WAL
        book.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert "book.db: Brandt-Łukasiewicz" in leftovers(book.path)
    assert len(leftovers(book.path)) >= 10  # the needles are really there before
    result = book.erase([cid], "GDPR art. 17 request")
    assert (result.contacts, result.suppressed, result.physically_purged) == (2, 3, True)
    assert leftovers(book.path) == []
    book.close()
    assert leftovers(book.path) == []


def test_erasure_keeps_only_hashes_and_a_log_line(book: LeadBook, tmp_path: Path) -> None:
    cid = zoe_book(book, tmp_path)
    book.erase([cid], "requested by phone")
    assert book.count() == 1
    assert [c.first_name for c in book.contacts()] == ["Li"]
    with pytest.raises(NotFound):
        book.get_contact(cid)
    log = book.erasures()
    assert [(e["reason"], e["contacts"], e["suppressed"]) for e in log] == [
        ("requested by phone", 2, 3)
    ]
    assert set(json.dumps(log, ensure_ascii=False).split()) & {EMAIL, "Zoë"} == set()
    kinds = sorted(r[0] for r in book.conn.execute("SELECT kind FROM suppression"))
    assert kinds == ["email", "email", "phone"]
    assert (
        book.conn.execute(
            "SELECT count(*) FROM contacts_fts WHERE contacts_fts MATCH 'zoe'"
        ).fetchone()[0]
        == 0
    )
    assert book.conn.execute("SELECT count(*) FROM list_members").fetchone()[0] == 1
    assert book.lists() == [("Fair", 1)]


def test_an_erased_person_is_not_added_again(book: LeadBook, tmp_path: Path) -> None:
    cid = zoe_book(book, tmp_path)
    book.erase([cid], "requested")
    again = book.add_contact(rec(first_name="Zoë", email=EMAIL.upper()))
    assert again.action == "skipped"
    assert again.report.skipped_rows == [(0, "suppressed (email)")]
    by_phone = book.add_contact(rec(first_name="Z", phone="+49 151 23456789"))
    assert by_phone.report.skipped_rows == [(0, "suppressed (phone)")]


def test_erasing_a_merged_away_copy_erases_the_whole_person(book: LeadBook, tmp_path: Path) -> None:
    cid = zoe_book(book, tmp_path)
    copy = book.conn.execute("SELECT id FROM contacts WHERE merged_into = ?", (cid,)).fetchone()[0]
    result = book.erase([copy], "requested", backup_first=False)
    assert result.contacts == 2
    assert book.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1


def test_erasure_history_and_undo_stay_consistent(book: LeadBook, tmp_path: Path) -> None:
    cid = zoe_book(book, tmp_path)
    book.erase([cid], "requested")
    assert book.contact_history(cid) == []
    undone = book.undo()  # the hand entry that came after the import: nothing of Zoë comes back
    assert undone is not None
    assert book.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1
    assert book.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_erasure_takes_a_backup_first(book: LeadBook, tmp_path: Path) -> None:
    cid = zoe_book(book, tmp_path)
    book.erase([cid], "requested")
    assert [b.reason for b in book.backups()] == ["before-erase"]


def test_erasing_an_unknown_id_changes_nothing(book: LeadBook, tmp_path: Path) -> None:
    zoe_book(book, tmp_path)
    with pytest.raises(NotFound, match="no contact with id 999"):
        book.erase([999], "typo", backup_first=False)
    assert book.conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 3
