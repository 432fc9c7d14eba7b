"""Reviewing sourced contacts: a queue with filters, accept / reject / skip / edit / note, progress.

Accept moves a lead to SAL; reject moves it to Disqualified (or Recycled: not now) with a reason.
Both set `review_state`, so the progress counter (reviewed / total) survives restarts. Skipping is
a choice of this session only: it writes nothing, and the skipped contact comes back next time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from app.errors import InvalidValue, NotFound
from app.lifecycle import REACHED_SAL, set_status
from app.store import history
from app.store.contacts import LIVE
from app.store.db import transaction, utc_now

REVIEWED: tuple[str, ...] = ("accepted", "rejected")


@dataclass(frozen=True)
class ReviewFilter:
    """Which sourced contacts a review covers; empty fields do not filter."""

    audience: str = ""  # contacts that audience matched
    list_name: str = ""
    source: str = ""  # an import's source label ("Trade show Berlin 2026")
    sourcer: str = ""  # who ran the import


@dataclass(frozen=True)
class ReviewProgress:
    """How far a review is: reviewed of total."""

    reviewed: int
    total: int

    @property
    def remaining(self) -> int:
        """Contacts still to review."""
        return self.total - self.reviewed


def review_where(f: ReviewFilter) -> tuple[str, list[object]]:
    """WHERE text (alias `c`) and parameters for the contacts a review covers."""
    parts: list[str] = [LIVE]
    params: list[object] = []
    if f.audience:
        parts.append(
            "c.id IN (SELECT s.contact_id FROM audience_scores s JOIN audiences a "
            "ON a.id = s.audience_id WHERE a.name = ? AND s.matched)"
        )
        params.append(f.audience)
    if f.list_name:
        parts.append(
            "c.id IN (SELECT m.contact_id FROM list_members m JOIN lists l ON l.id = m.list_id "
            "WHERE l.name = ?)"
        )
        params.append(f.list_name)
    for value, column in ((f.source, "source_label"), (f.sourcer, "user")):
        if value:
            parts.append(
                "c.id IN (SELECT s.contact_id FROM contact_sources s JOIN imports i "
                f"ON i.id = s.import_id WHERE i.{column} = ? COLLATE NOCASE)"
            )
            params.append(value)
    return " AND ".join(parts), params


def pending_ids(
    conn: sqlite3.Connection, f: ReviewFilter, skipped: frozenset[int] = frozenset()
) -> list[int]:
    """Contacts still to review, best fit first, then oldest first; `skipped` ones last."""
    where, params = review_where(f)
    ids = [
        r[0]
        for r in conn.execute(
            f"""SELECT c.id FROM contacts c WHERE {where}
                AND c.review_state NOT IN ({",".join("?" * len(REVIEWED))})
                ORDER BY c.score IS NULL, c.score DESC, c.id""",
            [*params, *REVIEWED],
        )
    ]
    return [i for i in ids if i not in skipped] + [i for i in ids if i in skipped]


def progress(conn: sqlite3.Connection, f: ReviewFilter) -> ReviewProgress:
    """Reviewed / total for a review's contacts."""
    where, params = review_where(f)
    total, reviewed = conn.execute(
        f"""SELECT count(*), coalesce(sum(c.review_state IN ({",".join("?" * len(REVIEWED))})), 0)
            FROM contacts c WHERE {where}""",
        [*REVIEWED, *params],
    ).fetchone()
    return ReviewProgress(int(reviewed), int(total))


def _status(conn: sqlite3.Connection, cid: int) -> str:
    row = conn.execute("SELECT status FROM contacts WHERE id = ?", (cid,)).fetchone()
    if row is None:
        raise NotFound(f"no contact with id {cid}")
    return str(row[0])


def accept(conn: sqlite3.Connection, cid: int, user: str) -> None:
    """Accept a lead: SAL (a lead already past SAL keeps its status), marked reviewed."""
    with transaction(conn):
        current = _status(conn, cid)
        target = current if current in REACHED_SAL else "SAL"
        op = history.begin_op(conn, "review", f"Accept contact #{cid}", user)
        set_status(
            conn,
            [cid],
            target,
            op_id=op,
            user=user,
            reason="accepted in review",
            review_state="accepted",
        )


def reject(
    conn: sqlite3.Connection, cid: int, reason: str, user: str, recycle: bool = False
) -> None:
    """Reject a lead with a reason: Disqualified, or Recycled (not ready now), marked reviewed."""
    if not reason.strip():
        raise InvalidValue("give a reason for rejecting the contact")
    target = "Recycled" if recycle else "Disqualified"
    with transaction(conn):
        op = history.begin_op(conn, "review", f"Reject contact #{cid}", user)
        set_status(
            conn,
            [cid],
            target,
            op_id=op,
            user=user,
            reason=reason.strip(),
            review_state="rejected",
        )


def add_note(conn: sqlite3.Connection, cid: int, text: str, user: str) -> str:
    """Append a dated, signed line to a contact's notes (undoable); returns the new notes."""
    if not text.strip():
        raise InvalidValue("a note needs some text")
    with transaction(conn):
        row = conn.execute("SELECT notes, updated_at FROM contacts WHERE id = ?", (cid,)).fetchone()
        if row is None:
            raise NotFound(f"no contact with id {cid}")
        now = utc_now()
        line = f"[{now[:16].replace('T', ' ')} {user}] {' '.join(text.split())}"
        notes = f"{row[0]}\n{line}" if row[0] else line
        op = history.begin_op(conn, "note", f"Note on contact #{cid}", user)
        history.record(
            conn,
            op,
            "contacts",
            cid,
            {"notes": row[0], "updated_at": row[1]},
            {"notes": notes, "updated_at": now},
        )
        conn.execute(
            "UPDATE contacts SET notes = ?, updated_at = ? WHERE id = ?", (notes, now, cid)
        )
    return notes


@dataclass
class ReviewSession:
    """One reviewer's pass over a queue: the current contact, actions on it, and progress."""

    conn: sqlite3.Connection
    filter: ReviewFilter
    user: str
    edit_contact: Callable[[int, dict[str, object]], object]
    skipped: set[int] = field(default_factory=set)

    def current(self) -> int | None:
        """The contact to review now (None when the queue is done)."""
        ids = pending_ids(self.conn, self.filter, frozenset(self.skipped))
        return ids[0] if ids else None

    def _now(self) -> int:
        cid = self.current()
        if cid is None:
            raise NotFound("nothing left to review")
        return cid

    def accept(self) -> int:
        """Accept the current contact; returns its id."""
        cid = self._now()
        accept(self.conn, cid, self.user)
        return cid

    def reject(self, reason: str, recycle: bool = False) -> int:
        """Reject the current contact with a reason; returns its id."""
        cid = self._now()
        reject(self.conn, cid, reason, self.user, recycle)
        return cid

    def skip(self) -> int:
        """Put the current contact at the back of this session's queue; returns its id."""
        cid = self._now()
        self.skipped.add(cid)
        return cid

    def note(self, text: str) -> int:
        """Add a note to the current contact; returns its id."""
        cid = self._now()
        add_note(self.conn, cid, text, self.user)
        return cid

    def edit(self, changes: dict[str, object]) -> int:
        """Edit fields of the current contact in place (undoable); returns its id."""
        cid = self._now()
        self.edit_contact(cid, changes)
        return cid

    def progress(self) -> ReviewProgress:
        """Reviewed / total for this session's filter."""
        return progress(self.conn, self.filter)
