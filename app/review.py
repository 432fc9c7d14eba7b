"""Reviewing sourced contacts: a queue with filters, accept / reject / skip / edit / note, progress.

Accept moves a lead to SAL; reject moves it to Disqualified (or Recycled: not now) with a reason.
Both set `review_state`, so the progress counter (reviewed / total) survives restarts. Skipping is
a choice of this session only: it writes nothing, and the skipped contact comes back next time.
"""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from app.errors import InvalidValue, NotFound
from app.lifecycle import REACHED_SAL, set_status
from app.store import history
from app.store.contacts import LIVE, LIVE_SCAN
from app.store.db import transaction, utc_now

REVIEWED: tuple[str, ...] = ("accepted", "rejected")
_REVIEWED_MARKS = ",".join("?" * len(REVIEWED))  # `review_state IN (…)`'s placeholders


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
    # LIVE_SCAN: a whole-book queue at 1M is read in 2.6 s instead of 8.5 s.
    parts: list[str] = [LIVE_SCAN]
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


def pending_ids(conn: sqlite3.Connection, f: ReviewFilter) -> array[int]:
    """Contacts still to review, best fit first, then oldest first."""
    where, params = review_where(f)
    cur = conn.execute(
        f"""SELECT c.id FROM contacts c WHERE {where}
            AND c.review_state NOT IN ({_REVIEWED_MARKS})
            ORDER BY c.score IS NULL, c.score DESC, c.id""",
        [*params, *REVIEWED],
    )
    cur.row_factory = None
    ids: array[int] = array("q")
    while batch := cur.fetchmany(10_000):
        ids.extend(r[0] for r in batch)
    return ids


@dataclass(frozen=True)
class ReviewQueue:
    """What a review pass starts from: its pending ids in review order, and its progress."""

    ids: array[int]
    progress: ReviewProgress


def read_queue(conn: sqlite3.Connection, f: ReviewFilter) -> ReviewQueue:
    """A pass's queue (a whole-book pass at 1M: ~3 s, so the desktop reads it off the UI
    thread and hands it to ReviewSession.start)."""
    return ReviewQueue(pending_ids(conn, f), progress(conn, f))


def progress(conn: sqlite3.Connection, f: ReviewFilter) -> ReviewProgress:
    """Reviewed / total for a review's contacts."""
    where, params = review_where(f)
    total, reviewed = conn.execute(
        f"""SELECT count(*), coalesce(sum(c.review_state IN ({_REVIEWED_MARKS})), 0)
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
    """One reviewer's pass over a queue: the current contact, actions on it, and progress.

    The queue is read once (`start`, or on first use): every later step costs a lookup or two
    by primary key, not a re-read of the book (which took 13 s a key at 1M). A contact joins
    the pass if it was pending in the filter when the pass began; it is offered while it is
    still live and unreviewed, skipped ones after all the others, each in review order. A
    decision of this pass that an undo takes back (the book's undo, from anywhere) puts the
    contact back in its place.
    """

    conn: sqlite3.Connection
    filter: ReviewFilter
    user: str
    edit_contact: Callable[[int, dict[str, object]], object]
    skipped: set[int] = field(default_factory=set)
    _ids: array[int] | None = field(default=None, init=False, repr=False)
    _at: int = field(default=0, init=False)  # every id before it is decided or skipped
    _reviewed: int = field(default=0, init=False)
    _total: int = field(default=0, init=False)
    _decided: dict[int, int] = field(default_factory=dict, init=False)  # id -> queue position
    _skipped_at: dict[int, int] = field(default_factory=dict, init=False)

    def start(self, queue: ReviewQueue) -> None:
        """Begin the pass from a queue read by `read_queue` (on any connection)."""
        self._ids = queue.ids
        self._reviewed, self._total = queue.progress.reviewed, queue.progress.total
        self._at = 0
        self._decided.clear()
        self._skipped_at.clear()

    def _queue(self) -> array[int]:
        if self._ids is None:
            self.start(read_queue(self.conn, self.filter))
        assert self._ids is not None
        return self._ids

    def current(self) -> int | None:
        """The contact to review now (None when the queue is done)."""
        ids = self._queue()
        self._take_back_reopened()
        while self._at < len(ids):
            cid = ids[self._at]
            if cid in self.skipped:
                self._skipped_at.setdefault(cid, self._at)
            elif self._pending(cid):
                return cid
            self._at += 1
        for cid, _at in sorted(self._skipped_at.items(), key=lambda item: item[1]):
            if cid in self.skipped and self._pending(cid):
                return cid
        return None

    def _pending(self, cid: int) -> bool:
        row = self.conn.execute(
            f"""SELECT 1 FROM contacts c WHERE c.id = ? AND {LIVE}
                AND c.review_state NOT IN ({_REVIEWED_MARKS})""",
            (cid, *REVIEWED),
        ).fetchone()
        return row is not None

    def _take_back_reopened(self) -> None:
        """Put back in place the decisions undone since, and the skips taken back."""
        for cid, at in list(self._skipped_at.items()):
            if cid not in self.skipped:  # the skip was undone: offered in its place again
                del self._skipped_at[cid]
                self._at = min(self._at, at)
        if not self._decided:
            return
        # The ids as one JSON array: a long pass may decide more than SQLite's 32,766 parameters.
        reopened = self.conn.execute(
            f"""SELECT c.id FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?))
                AND c.review_state NOT IN ({_REVIEWED_MARKS})""",
            (json.dumps(list(self._decided)), *REVIEWED),
        ).fetchall()
        for (cid,) in reopened:
            self._at = min(self._at, self._decided.pop(cid))
            self._reviewed -= 1

    def _decide(self, cid: int) -> None:
        self._decided[cid] = self._skipped_at.get(cid, self._at)  # where an undo puts it back
        self._reviewed += 1

    def _now(self) -> int:
        cid = self.current()
        if cid is None:
            raise NotFound("nothing left to review")
        return cid

    def accept(self) -> int:
        """Accept the current contact; returns its id."""
        cid = self._now()
        accept(self.conn, cid, self.user)
        self._decide(cid)
        return cid

    def reject(self, reason: str, recycle: bool = False) -> int:
        """Reject the current contact with a reason; returns its id."""
        cid = self._now()
        reject(self.conn, cid, reason, self.user, recycle)
        self._decide(cid)
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
        """Reviewed / total for this pass: as read when it began, with its own decisions."""
        self._queue()
        self._take_back_reopened()
        return ReviewProgress(self._reviewed, self._total)
