"""Unmerge: revert one merge exactly, even when it is not the latest operation.

The merge's recorded changes are replayed backwards as a new, undoable "unmerge" operation. If a
later operation changed the same columns of the same rows, reverting would throw that change away,
so the unmerge is refused with the operation to undo first.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from app.dedupe.merge import UnmergeRefused
from app.store import history
from app.store.contacts import refresh_fts

_ACTIVE = """o.undone_at IS NULL AND (m.unmerge_op_id IS NULL OR EXISTS (
    SELECT 1 FROM operations u WHERE u.id = m.unmerge_op_id AND u.undone_at IS NOT NULL))"""
_LINK_KEYS = {"contact_tags": "tag_id", "list_members": "list_id"}


@dataclass(frozen=True)
class _Change:
    table: str
    row_id: int
    before: dict[str, object] | None
    after: dict[str, object] | None

    def footprint(self) -> set[tuple[str, int, str]]:
        """(table, row, column-or-link) cells this change wrote; updated_at is not a conflict."""
        if self.table in _LINK_KEYS:
            data = self.after or self.before or {}
            return {
                (
                    self.table,
                    self.row_id,
                    f"{_LINK_KEYS[self.table]}={data.get(_LINK_KEYS[self.table])}",
                )
            }
        cols = set(self.after or {}) | set(self.before or {})
        return {(self.table, self.row_id, c) for c in cols if c != "updated_at"}


def _changes(
    conn: sqlite3.Connection, where: str, params: tuple[object, ...]
) -> list[tuple[int, _Change]]:
    return [
        (
            int(r[0]),
            _Change(
                r[1],
                int(r[2]),
                None if r[3] is None else json.loads(r[3]),
                None if r[4] is None else json.loads(r[4]),
            ),
        )
        for r in conn.execute(
            f"SELECT op_id, table_name, row_id, before, after FROM changes WHERE {where} ORDER BY id",
            params,
        )
    ]


def find_merge_op(conn: sqlite3.Connection, contact_id: int) -> int | None:
    """The operation of the latest merge still in effect that involves this contact."""
    row = conn.execute(
        f"""SELECT m.op_id FROM dedupe_merges m JOIN operations o ON o.id = m.op_id
            WHERE (m.merged_id = ? OR m.survivor_id = ?) AND {_ACTIVE}
            ORDER BY m.id DESC LIMIT 1""",
        (contact_id, contact_id),
    ).fetchone()
    return None if row is None else int(row[0])


def unmerge(conn: sqlite3.Connection, contact_id: int, user: str) -> tuple[int, list[int]]:
    """Revert the merge involving `contact_id` inside the caller's transaction.

    Returns (the unmerge operation id, the contacts restored, survivor first)."""
    op = find_merge_op(conn, contact_id)
    if op is None:
        raise UnmergeRefused(f"contact #{contact_id} is not part of a merge that can be reverted")
    mine = [c for _, c in _changes(conn, "op_id = ?", (op,))]
    cells = set().union(*(c.footprint() for c in mine))
    later = _changes(
        conn,
        "op_id > ? AND op_id IN (SELECT id FROM operations WHERE undone_at IS NULL)",
        (op,),
    )
    for later_op, change in later:
        if change.footprint() & cells:
            label = conn.execute(
                "SELECT label FROM operations WHERE id = ?", (later_op,)
            ).fetchone()[0]
            raise UnmergeRefused(
                f"cannot unmerge: a later change (#{later_op} {label!r}) touched the same contact "
                "data and would be lost; undo that change first"
            )
    members = conn.execute(
        "SELECT survivor_id, merged_id FROM dedupe_merges WHERE op_id = ? ORDER BY id", (op,)
    ).fetchall()
    survivor = int(members[0][0])
    restored = [survivor, *(int(m[1]) for m in members)]
    names = ", ".join(f"#{c}" for c in restored[1:])
    new_op = history.begin_op(conn, "unmerge", f"Unmerge {names} from #{survivor}", user)
    for change in reversed(mine):
        _revert(conn, new_op, change)
    conn.execute("UPDATE dedupe_merges SET unmerge_op_id = ? WHERE op_id = ?", (new_op, op))
    refresh_fts(conn, restored)
    return new_op, restored


def _revert(conn: sqlite3.Connection, op: int, change: _Change) -> None:
    """Apply the inverse of one recorded change, recording it in turn (so unmerge is undoable)."""
    table, row_id = change.table, change.row_id
    if table in _LINK_KEYS:
        key = _LINK_KEYS[table]
        if change.before is None and change.after is not None:
            conn.execute(
                f"DELETE FROM {table} WHERE contact_id = ? AND {key} = ?",
                (row_id, change.after[key]),
            )
            history.record(conn, op, table, row_id, change.after, None)
        return
    if change.before is None or change.after is None:
        raise UnmergeRefused(
            f"cannot unmerge: unexpected row {'insert' if change.before is None else 'delete'} in {table}"
        )
    cols = list(change.before)
    if table not in history.ROW_TABLES:
        raise UnmergeRefused(f"cannot unmerge a change to {table}")
    known = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if not set(cols) <= known:
        # SQL text is built only from whitelisted names: the table's own columns.
        raise UnmergeRefused(f"cannot unmerge a change to {table}")
    current = conn.execute(
        f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (row_id,)
    ).fetchone()
    history.record(conn, op, table, row_id, {c: current[c] for c in cols}, change.before)
    sets = ", ".join(f"{c} = ?" for c in cols)
    conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*change.before.values(), row_id])
