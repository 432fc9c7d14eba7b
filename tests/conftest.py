"""Shared fixtures. Qt runs offscreen (set before any Qt import); books are real SQLite files."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.book import LeadBook  # noqa: E402

DATA = ROOT / "tests" / "data"


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    """Where a test's book file lives."""
    return tmp_path / "book.db"


@pytest.fixture
def book(book_path: Path) -> Iterator[LeadBook]:
    """A fresh book in a real SQLite file, default region GB."""
    b = LeadBook.open(book_path)
    b.default_region = "GB"
    yield b
    b.close()


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a Python thread running (background jobs must be joined)."""
    before = set(threading.enumerate())
    yield
    leaked = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon and t.name != "QDBusConnection"
    ]
    for t in leaked:
        t.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"
