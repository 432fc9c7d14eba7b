"""Lead statuses and the gates between them: which moves are allowed, and SQL only with BANT.

Every move is a `lifecycle_events` row (who, when, why, under which operation) plus history
changes, so `LeadBook.undo()` reverts it; events of undone operations are left out of the history.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.book_base import LIFECYCLE
from app.errors import InvalidValue, NotFound
from app.jobs import Cancelled, Progress, each_reported, never_cancelled, no_progress
from app.store import history
from app.store.db import utc_now

BANT: tuple[str, ...] = ("budget", "authority", "need", "timeline")

# The lead cycle, explicitly: a status not listed as a target is refused from that status.
TRANSITIONS: Mapping[str, frozenset[str]] = {
    "New": frozenset({"MQL", "SAL", "Recycled", "Disqualified"}),
    "MQL": frozenset({"SAL", "Recycled", "Disqualified"}),
    "SAL": frozenset({"SQL", "Recycled", "Disqualified"}),
    "SQL": frozenset({"Opportunity", "Recycled", "Disqualified"}),
    "Opportunity": frozenset({"Customer", "Recycled", "Disqualified"}),
    "Customer": frozenset(),
    "Recycled": frozenset({"New", "MQL", "SAL", "Disqualified"}),
    "Disqualified": frozenset({"New", "Recycled"}),
}
# Statuses that mean a lead got at least this far (the economics count per SAL / per SQL).
REACHED_SAL: tuple[str, ...] = ("SAL", "SQL", "Opportunity", "Customer")
REACHED_SQL: tuple[str, ...] = ("SQL", "Opportunity", "Customer")


class TransitionRefused(InvalidValue):
    """A status change the lead cycle does not allow (e.g. New -> Customer)."""

    def __init__(self, contact_id: int, current: str, target: str, message: str = "") -> None:
        self.contact_id = contact_id
        self.current = current
        self.target = target
        allowed = ", ".join(s for s in LIFECYCLE if s in TRANSITIONS.get(current, ()))
        super().__init__(
            message
            or f"cannot move contact #{contact_id} from {current} to {target}; "
            f"from {current} a lead can go to: {allowed or 'nothing (final status)'}"
        )


class QualificationIncomplete(TransitionRefused):
    """SQL was asked for but BANT is not filled in; names every missing part."""

    def __init__(self, contact_id: int, current: str, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(
            contact_id,
            current,
            "SQL",
            f"cannot move contact #{contact_id} to SQL: BANT is incomplete, missing "
            f"{', '.join(missing)}. Fill in each of budget, authority, need and timeline "
            "(a value or an evidence note).",
        )


@dataclass(frozen=True)
class LifecycleEvent:
    """One status change of a contact: from, to, why, who and when."""

    contact_id: int
    from_status: str
    to_status: str
    reason: str
    user: str
    at: str


def check_status(status: str) -> str:
    """A status a user typed, in its canonical spelling; InvalidValue if it is not one."""
    for s in LIFECYCLE:
        if s.casefold() == status.strip().casefold():
            return s
    raise InvalidValue(f"unknown status {status!r}; use one of {', '.join(LIFECYCLE)}")


def check_transition(
    contact_id: int, current: str, target: str, bant: Mapping[str, str] | None = None
) -> None:
    """Raise TransitionRefused (or QualificationIncomplete for SQL) unless the move is allowed."""
    if current == target:
        return
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionRefused(contact_id, current, target)
    if target == "SQL":
        filled = bant or {}
        missing = [k for k in BANT if not str(filled.get(k, "")).strip()]
        if missing:
            raise QualificationIncomplete(contact_id, current, missing)


def set_status(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    status: str,
    *,
    op_id: int,
    user: str,
    reason: str = "",
    bant: Mapping[str, str] | None = None,
    review_state: str | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> int:
    """Move contacts to `status` inside the caller's transaction; returns how many moved.

    Every contact is checked before anything is written, so a refusal changes nothing. `bant`
    values (non-empty ones) are stored with the move and count towards the SQL gate. Progress
    counts the check and the writes (2 × len(ids)); a cancel raises JobCancelled (the caller's
    transaction rolls back).
    """
    target = check_status(status)
    given = {k: v.strip() for k, v in (bant or {}).items() if k in BANT and v and v.strip()}
    unknown = set(bant or {}) - set(BANT)
    if unknown:
        raise InvalidValue(f"unknown BANT field(s): {', '.join(sorted(unknown))}")
    rows: list[sqlite3.Row] = []
    total = len(ids)
    for cid in each_reported(ids, lambda done, _n: progress(done, 2 * total), cancelled):
        row = conn.execute(
            f"""SELECT id, status, review_state, updated_at, {", ".join(BANT)} FROM contacts
                WHERE id = ? AND merged_into IS NULL AND deleted_at IS NULL""",
            (cid,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no contact with id {cid}")
        check_transition(cid, row["status"], target, {k: given.get(k) or row[k] for k in BANT})
        rows.append(row)
    now = utc_now()
    moved = 0
    for row in each_reported(rows, lambda done, _n: progress(total + done, 2 * total), cancelled):
        after: dict[str, object] = {k: v for k, v in given.items() if row[k] != v}
        if row["status"] != target:
            after["status"] = target
        if review_state is not None and row["review_state"] != review_state:
            after["review_state"] = review_state
        if not after:
            continue
        before = {k: row[k] for k in after}
        before["updated_at"], after["updated_at"] = row["updated_at"], now
        history.record(conn, op_id, "contacts", row["id"], before, after)
        sets = ", ".join(f"{k} = ?" for k in after)
        conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*after.values(), row["id"]])
        if row["status"] != target:
            moved += 1
            conn.execute(
                """INSERT INTO lifecycle_events(contact_id, from_status, to_status, reason, user,
                       at, op_id) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (row["id"], row["status"], target, reason, user, now, op_id),
            )
    return moved


def promote_to_mql(
    conn: sqlite3.Connection,
    candidates: str,
    params: Sequence[object],
    *,
    op_id: int,
    user: str,
    reason: str,
    skip_history_import: int | None = None,
) -> int:
    """Move every New contact among `candidates` (a SELECT of contact ids) to MQL, set-based.

    Contacts created by `skip_history_import` get no change records: undoing that import deletes
    them, and at a million rows the records would cost more than the move itself.
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _promote (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp._promote")
    conn.execute(
        f"""INSERT INTO temp._promote SELECT c.id FROM contacts c
            WHERE c.status = 'New' AND c.id IN ({candidates})""",
        list(params),
    )
    now = utc_now()
    conn.execute(
        """INSERT INTO changes(op_id, table_name, row_id, before, after)
           SELECT ?, 'contacts', c.id, json_object('status', c.status, 'updated_at', c.updated_at),
                  json_object('status', 'MQL', 'updated_at', ?)
           FROM contacts c JOIN temp._promote p ON p.id = c.id
           WHERE c.import_id IS NOT ? OR ? IS NULL""",
        (op_id, now, skip_history_import, skip_history_import),
    )
    conn.execute(
        """INSERT INTO lifecycle_events(contact_id, from_status, to_status, reason, user, at, op_id)
           SELECT id, 'New', 'MQL', ?, ?, ?, ? FROM temp._promote""",
        (reason, user, now, op_id),
    )
    cur = conn.execute(
        """UPDATE contacts SET status = 'MQL', updated_at = ?
           WHERE id IN (SELECT id FROM temp._promote)""",
        (now,),
    )
    return cur.rowcount


def lifecycle_history(conn: sqlite3.Connection, contact_id: int) -> list[LifecycleEvent]:
    """A contact's status changes, oldest first (moves whose operation was undone are left out)."""
    return [
        LifecycleEvent(r[0], r[1], r[2], r[3], r[4], r[5])
        for r in conn.execute(
            """SELECT e.contact_id, e.from_status, e.to_status, e.reason, e.user, e.at
               FROM lifecycle_events e LEFT JOIN operations o ON o.id = e.op_id
               WHERE e.contact_id = ? AND o.undone_at IS NULL ORDER BY e.id""",
            (contact_id,),
        )
    ]
