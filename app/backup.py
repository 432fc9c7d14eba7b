"""Backups and recovery: copies of the book via SQLite's backup API, restore, interrupted imports.

Backups live in `backups/` next to the book, owner-only (0600), named
`<book stem>-<UTC timestamp>-<reason>.db`, newest N kept (book setting `backup_keep`, default 10).
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.book_base import BookBase
from app.errors import BookError
from app.privacy import sha256_hex
from app.privacy_erase import erase_contacts
from app.store import history
from app.store.db import APPLICATION_ID, connect, transaction

KEEP_KEY = "backup_keep"
DEFAULT_KEEP = 10
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]*)\.db$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file of a book."""

    path: Path
    created_at: datetime
    reason: str
    size: int


def backups_dir(book_path: Path) -> Path:
    """The folder a book's backups go to: `backups/` next to the book."""
    return Path(book_path).parent / "backups"


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "manual"


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy a live database into a new owner-only file with the backup API (consistent snapshot)."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    dest = sqlite3.connect(str(target), isolation_level=None)
    try:
        source.backup(dest)
        # A backup is one self-contained file: no -wal beside it.
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    with open(target, "rb") as fh:
        os.fsync(fh.fileno())


def _keep(conn: sqlite3.Connection) -> int:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEEP_KEY,)).fetchone()
    except sqlite3.DatabaseError:
        return DEFAULT_KEEP
    try:
        return max(1, int(row[0])) if row else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def _backup(conn: sqlite3.Connection, book_path: Path, reason: str) -> Path:
    now = datetime.now(UTC)
    target = backups_dir(book_path) / f"{book_path.stem}-{now.strftime(_STAMP)}-{_slug(reason)}.db"
    _copy(conn, target)
    rotate(book_path, _keep(conn))
    return target


def backup_now(book: BookBase, reason: str) -> Path:
    """Back the book up now (before an erase, a bulk delete, undoing an import…); returns the file.
    Call it outside a write transaction: a backup taken inside one would hold uncommitted rows."""
    return _backup(book.conn, Path(book.path), reason)


def list_backups(book_path: Path) -> list[BackupInfo]:
    """The book's backups, newest first."""
    folder = backups_dir(book_path)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _NAME_RE.match(p.name)
        if m and m["stem"] == Path(book_path).stem:
            created = datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=UTC)
            found.append(BackupInfo(p, created, m["reason"], p.stat().st_size))
    return sorted(found, key=lambda b: b.created_at, reverse=True)


def rotate(book_path: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest `keep` backups; returns the deleted files."""
    old = [b.path for b in list_backups(book_path)[keep:]]
    for p in old:
        p.unlink(missing_ok=True)
    return old


def maybe_daily_backup(path: Path, now: datetime | None = None) -> Path | None:
    """On open: back the book up unless a backup younger than a day exists (or there is no book)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return None
    now = now or datetime.now(UTC)
    newest = list_backups(path)
    if newest and now - newest[0].created_at < timedelta(days=1):
        return None
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        return _backup(conn, path, "daily")
    finally:
        conn.close()


def _check_backup(backup_path: Path) -> None:
    if not backup_path.is_file():
        raise BookError(f"{backup_path}: no such backup")
    try:
        conn = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BookError(f"{backup_path}: not a Leadsmith backup ({exc})") from exc
    if app_id != APPLICATION_ID:
        raise BookError(f"{backup_path}: not a Leadsmith backup")
    if check != "ok":
        raise BookError(f"{backup_path}: the backup is damaged ({check})")


def _reapply_erasures(restored: Path, current: Path) -> None:
    """People erased since the backup was taken must not come back with it."""
    conn = connect(restored)
    try:
        conn.execute("ATTACH DATABASE ? AS cur", (f"file:{current}?mode=ro",))
        with transaction(conn):
            conn.execute(
                """INSERT OR IGNORE INTO suppression(kind, hash, reason, origin, user, added_at)
                   SELECT kind, hash, reason, origin, user, added_at FROM cur.suppression"""
            )
            conn.execute(
                """INSERT INTO erasure_log(at, user, reason, contacts, suppressed)
                   SELECT at, user, reason, contacts, suppressed FROM cur.erasure_log e
                   WHERE NOT EXISTS (SELECT 1 FROM erasure_log m WHERE m.at = e.at
                                     AND m.user = e.user AND m.reason = e.reason)"""
            )
        conn.execute("DETACH DATABASE cur")
        erased_hashes = {
            (k, h)
            for k, h in conn.execute("SELECT kind, hash FROM suppression WHERE origin = 'erasure'")
        }
        ids = {
            cid
            for cid, kind, value in conn.execute(
                "SELECT contact_id, kind, value FROM contact_points "
                "WHERE kind IN ('email', 'phone') AND value IS NOT NULL"
            )
            if (kind, sha256_hex(value)) in erased_hashes
        }
        if ids:
            erase_contacts(conn, sorted(ids), "re-applied after restoring a backup", "")
    finally:
        conn.close()


def restore_backup(backup_path: Path, book_path: Path) -> Path | None:
    """Replace the book with a backup, safely: the current book is backed up first, erasures made
    since are re-applied, and the swap is one atomic rename. Close every connection to the book
    first. Returns the backup of the replaced book (None when there was no book)."""
    backup_path, book_path = Path(backup_path), Path(book_path)
    _check_backup(backup_path)
    safety: Path | None = None
    if book_path.exists():
        conn = sqlite3.connect(str(book_path), isolation_level=None, timeout=5)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if busy:
                raise BookError(f"{book_path}: the book is in use; close it everywhere first")
            safety = _backup(conn, book_path, "before-restore")
        finally:
            conn.close()
    tmp = book_path.with_name(f".{book_path.name}.restoring")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        _copy(source, tmp)
    finally:
        source.close()
    if safety is not None:
        _reapply_erasures(tmp, safety)
    for side in ("-wal", "-shm"):
        Path(f"{book_path}{side}").unlink(missing_ok=True)
    os.replace(tmp, book_path)
    dir_fd = os.open(book_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return safety


# -- imports a crash interrupted -----------------------------------------------------------------
def interrupted_imports(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """Imports left with status 'running' by a crash. The ingest writes that row inside the
    import's own transaction, so after a kill it is rolled back and this list is empty; it
    catches any writer that commits the row early."""
    return [
        {"id": r[0], "file": r[1], "started_at": r[2], "user": r[3]}
        for r in conn.execute(
            "SELECT id, file_name, started_at, user FROM imports WHERE status = 'running' ORDER BY id"
        )
    ]


def discard_interrupted(conn: sqlite3.Connection) -> int:
    """Remove whatever interrupted imports wrote and mark them 'interrupted'; returns how many."""
    ids = [int(str(r["id"])) for r in interrupted_imports(conn)]
    with transaction(conn):
        for import_id in ids:
            for (op_id,) in conn.execute(
                "SELECT id FROM operations WHERE import_id = ?", (import_id,)
            ).fetchall():
                history.revert_changes(conn, op_id)  # merges into contacts already there
                history.mark_undone(conn, op_id)
            created = [
                r[0]
                for r in conn.execute("SELECT id FROM contacts WHERE import_id = ?", (import_id,))
            ]
            for table in ("contact_points", "contact_sources", "contact_tags", "list_members"):
                conn.execute(f"DELETE FROM {table} WHERE import_id = ?", (import_id,))
            conn.execute("DELETE FROM import_issues WHERE import_id = ?", (import_id,))
            for cid in created:
                conn.execute("DELETE FROM contacts_fts WHERE rowid = ?", (cid,))
            conn.execute("DELETE FROM contacts WHERE import_id = ?", (import_id,))
            conn.execute(
                """DELETE FROM companies WHERE import_id = ? AND id NOT IN
                   (SELECT company_id FROM contacts WHERE company_id IS NOT NULL)""",
                (import_id,),
            )
            conn.execute("UPDATE imports SET status = 'interrupted' WHERE id = ?", (import_id,))
    return len(ids)
