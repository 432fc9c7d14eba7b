"""Two processes, one book: a CLI import in a subprocess while this process reads (WAL)."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from app.book import LeadBook
from bench.crash_test import ROOT
from bench.generate import write_files


def test_reader_keeps_its_snapshot_then_sees_the_import(book_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    write_files(csv, 300, 3, 0.0)
    LeadBook.open(book_path).close()
    reader = sqlite3.connect(book_path, isolation_level=None)
    reader.execute("BEGIN")  # a read transaction open for the whole import: WAL must not block
    assert reader.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(book_path), "import", str(csv)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert reader.execute("SELECT count(*) FROM contacts").fetchone()[0] == 0  # its snapshot
    reader.execute("COMMIT")
    added = reader.execute("SELECT count(*) FROM contacts").fetchone()[0]
    assert added == 300
    assert reader.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reader.close()
    with LeadBook.open(book_path) as book:
        assert book.count() == 300


def test_book_and_its_wal_are_owner_only(book_path: Path) -> None:
    with LeadBook.open(book_path) as book:
        book.set_setting("probe", "1")  # a write, so the -wal exists
        modes = {
            p.name: stat.S_IMODE(os.stat(p).st_mode) for p in (book_path, Path(f"{book_path}-wal"))
        }
    assert modes == {"book.db": 0o600, "book.db-wal": 0o600}
