"""Backups: owner-only copies via the backup API, rotation, daily backup, safe restore."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.backup import backup_now, list_backups, maybe_daily_backup, restore_backup
from app.book import LeadBook
from app.contact import RawRecord
from app.errors import BookError


def rec(**values: str) -> RawRecord:
    r = RawRecord(row=0)
    for field_name, value in values.items():
        r.add(field_name, field_name, value)
        r.raw[field_name] = value
    return r


def names(path: Path) -> list[str]:
    with LeadBook.open(path) as b:
        return sorted(c.first_name for c in b.contacts())


def test_backup_is_a_private_complete_copy(book: LeadBook) -> None:
    book.add_contact(rec(first_name="Ana", email="ana@example.com"))
    path = backup_now(book, "Before erase!")
    assert path.parent == book.path.parent / "backups"
    assert path.name.startswith("book-") and path.name.endswith("-before-erase.db")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert not Path(f"{path}-wal").exists()
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT first_name FROM contacts").fetchall() == [("Ana",)]
    copy.close()


def test_backups_rotate_to_the_setting(book: LeadBook) -> None:
    book.set_setting("backup_keep", "3")
    made = [book.backup_now(f"step {i}") for i in range(5)]
    kept = book.backups()
    assert [b.path for b in kept] == made[:1:-1]
    assert [b.reason for b in kept] == ["step-4", "step-3", "step-2"]
    assert len(list((book.path.parent / "backups").iterdir())) == 3


def test_daily_backup_at_most_once_a_day(book: LeadBook) -> None:
    book.add_contact(rec(first_name="Ana"))
    first = maybe_daily_backup(book.path)
    assert first is not None and first.name.endswith("-daily.db")
    assert maybe_daily_backup(book.path) is None
    tomorrow = datetime.now(UTC) + timedelta(days=1, minutes=1)
    assert maybe_daily_backup(book.path, now=tomorrow) is not None
    assert len(list_backups(book.path)) == 2


def test_daily_backup_of_no_book_does_nothing(tmp_path: Path) -> None:
    assert maybe_daily_backup(tmp_path / "missing.db") is None
    assert not (tmp_path / "backups").exists()


def test_restore_keeps_the_current_book_and_swaps_atomically(book_path: Path) -> None:
    with LeadBook.open(book_path) as b:
        b.add_contact(rec(first_name="Ana"))
        saved = b.backup_now("manual")
        b.add_contact(rec(first_name="Bob"))
    previous = restore_backup(saved, book_path)
    assert names(book_path) == ["Ana"]
    assert previous is not None and previous.name.endswith("-before-restore.db")
    assert names(previous) == ["Ana", "Bob"]
    assert stat.S_IMODE(os.stat(book_path).st_mode) == 0o600
    assert [p.name for p in book_path.parent.iterdir() if p.name.startswith(".")] == []


def test_restore_does_not_bring_back_an_erased_person(book_path: Path) -> None:
    with LeadBook.open(book_path) as b:
        b.add_contact(rec(first_name="Ana", email="ana@example.com"))
        zoe = b.add_contact(rec(first_name="Zoë", email="zoe@brandt.io")).contact_id or 0
        saved = b.backup_now("manual")
        b.erase([zoe], "requested", backup_first=False)
    restore_backup(saved, book_path)
    assert names(book_path) == ["Ana"]
    assert b"zoe@brandt.io" not in book_path.read_bytes()
    with LeadBook.open(book_path) as again:
        assert [e["reason"] for e in again.erasures()] == [
            "re-applied after restoring a backup",
            "requested",
        ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a Leadsmith backup"),
        (b"hello, not a database at all" * 200, "not a Leadsmith backup"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(
    book_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    with LeadBook.open(book_path) as b:
        b.add_contact(rec(first_name="Ana"))
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    with pytest.raises(BookError, match=message):
        restore_backup(bad, book_path)
    assert names(book_path) == ["Ana"]


def test_restore_refuses_while_a_reader_holds_the_book(book_path: Path) -> None:
    with LeadBook.open(book_path) as b:
        b.add_contact(rec(first_name="Ana"))
        saved = b.backup_now("manual")
        b.add_contact(rec(first_name="Bob"))
        b.conn.execute("BEGIN")
        b.conn.execute("SELECT count(*) FROM contacts").fetchone()
        with pytest.raises(BookError, match="the book is in use"):
            restore_backup(saved, book_path)
        b.conn.execute("COMMIT")
    assert names(book_path) == ["Ana", "Bob"]
