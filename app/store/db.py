"""Open a book file: owner-only permissions, WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from app.errors import BookError
from app.store.schema import MIGRATIONS

APPLICATION_ID = 0x4C534D54  # "LSMT": marks a SQLite file as a Leadsmith book


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string with seconds (what every timestamp column holds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path | str, *, create: bool = True) -> sqlite3.Connection:
    """Open (or create) a book and bring its schema up to date.

    One connection per thread: the desktop's UI thread and every background job open their own.
    """
    path = Path(path)
    if str(path) != ":memory:":
        if not path.exists():
            if not create:
                raise BookError(f"{path}: no such book")
            path.parent.mkdir(parents=True, exist_ok=True)
            # Lead lists are personal data: the file is readable by its owner only.
            fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
            os.close(fd)
        elif path.is_dir():
            raise BookError(f"{path}: is a folder, not a book file")
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=True)
    except sqlite3.Error as exc:
        raise BookError(f"{path}: cannot open the book ({exc})") from exc
    conn.row_factory = sqlite3.Row
    try:
        _configure(conn)
        _check_identity(conn, path)
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise BookError(f"{path}: not a Leadsmith book or the file is damaged ({exc})") from exc
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MB page cache


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables > 0):
        raise BookError(f"{path}: this SQLite file is not a Leadsmith book")


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of the last migration applied to this book."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every numbered migration the book has not seen yet, each in its own transaction."""
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise BookError(
            f"this book was written by a newer Leadsmith (schema {current}); please upgrade"
        )
    for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (the scripts contain no ';' inside literals)."""
    return [s.strip() for s in script.split(";\n") if s.strip()]


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (connections run in autocommit)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
