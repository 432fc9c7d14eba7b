"""The changes log: every operation and enough before/after to undo it (undo is data)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

import sqlite_utils

from app.errors import LeadsmithError
from app.store.db import utc_now

# Tables whose rows the generic undo may restore, keyed by their integer `id`.
ROW_TABLES: frozenset[str] = frozenset({"contacts", "contact_points", "companies"})


@dataclass(frozen=True)
class Operation:
    """One entry of the history: what was done, by whom, when."""

    id: int
    kind: str
    label: str
    user: str
    at: str
    import_id: int | None
    undone_at: str | None


def begin_op(
    conn: sqlite3.Connection, kind: str, label: str, user: str, import_id: int | None = None
) -> int:
    """Start an operation inside the caller's transaction; returns its id."""
    cur = conn.execute(
        "INSERT INTO operations(kind, label, user, at, import_id) VALUES (?, ?, ?, ?, ?)",
        (kind, label, user, utc_now(), import_id),
    )
    return int(cur.lastrowid or 0)


def record(
    conn: sqlite3.Connection,
    op_id: int,
    table: str,
    row_id: int,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
) -> None:
    """Log one row change of an operation: before=None is an insert, after=None a delete."""
    conn.execute(
        "INSERT INTO changes(op_id, table_name, row_id, before, after) VALUES (?, ?, ?, ?, ?)",
        (
            op_id,
            table,
            row_id,
            None if before is None else json.dumps(before, ensure_ascii=False),
            None if after is None else json.dumps(after, ensure_ascii=False),
        ),
    )


def last_undoable(conn: sqlite3.Connection) -> Operation | None:
    """The most recent operation that has not been undone."""
    row = conn.execute(
        "SELECT * FROM operations WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return _op(row) if row else None


def step_size(conn: sqlite3.Connection, op: Operation) -> int:
    """How many rows undoing or redoing `op` touches: its changes, plus the contacts an import
    (or a hand entry) added, which its undo deletes."""
    n = int(conn.execute("SELECT count(*) FROM changes WHERE op_id = ?", (op.id,)).fetchone()[0])
    if op.import_id is not None and op.kind in ("import", "add"):
        added = conn.execute("SELECT count(*) FROM contacts WHERE import_id = ?", (op.import_id,))
        n += int(added.fetchone()[0])
    return n


def list_operations(conn: sqlite3.Connection, limit: int = 100) -> list[Operation]:
    """The history, newest first."""
    rows = conn.execute("SELECT * FROM operations ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [_op(r) for r in rows]


def _op(row: sqlite3.Row) -> Operation:
    return Operation(
        id=row["id"],
        kind=row["kind"],
        label=row["label"],
        user=row["user"],
        at=row["at"],
        import_id=row["import_id"],
        undone_at=row["undone_at"],
    )


def revert_changes(conn: sqlite3.Connection, op_id: int) -> set[int]:
    """Restore every row the operation changed, newest change first; returns touched contact ids."""
    touched: set[int] = set()
    rows = conn.execute(
        "SELECT table_name, row_id, before, after FROM changes WHERE op_id = ? ORDER BY id DESC",
        (op_id,),
    ).fetchall()
    for table, row_id, before_text, after_text in rows:
        before = None if before_text is None else json.loads(before_text)
        after = None if after_text is None else json.loads(after_text)
        if table == "contact_tags":
            _revert_link(conn, "contact_tags", "tag_id", row_id, before, after)
            touched.add(row_id)
            continue
        if table == "dedupe_rejections":
            pair = after if before is None else before
            if pair is not None and before is None:
                conn.execute(
                    "DELETE FROM dedupe_rejections WHERE a = ? AND b = ?", (pair["a"], pair["b"])
                )
            continue
        if table == "list_members":
            _revert_link(conn, "list_members", "list_id", row_id, before, after)
            touched.add(row_id)
            continue
        if table not in ROW_TABLES:
            raise ValueError(f"cannot undo a change to table {table!r}")
        if before is None:
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        elif after is None:
            cols = list(before)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [before[c] for c in cols],
            )
        else:
            _check_columns(conn, table, before)
            sets = ", ".join(f"{c} = ?" for c in before)
            conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*before.values(), row_id])
        if table == "contacts":
            touched.add(row_id)
        elif table == "contact_points":
            data = before or after or {}
            cid = data.get("contact_id")
            if isinstance(cid, int):
                touched.add(cid)
    return touched


def _revert_link(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    contact_id: int,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    if before is None and after is not None:
        conn.execute(
            f"DELETE FROM {table} WHERE contact_id = ? AND {key} = ?", (contact_id, after[key])
        )
    elif before is not None and after is None:
        cols = list(before)
        conn.execute(
            f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [before[c] for c in cols],
        )


def _check_columns(conn: sqlite3.Connection, table: str, data: Mapping[str, object]) -> None:
    """Refuse to restore columns the table does not have (the change log is data, check it)."""
    known = set(sqlite_utils.Database(conn).table(table).columns_dict)
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"cannot undo: unknown columns {sorted(unknown)} in {table}")


def mark_undone(conn: sqlite3.Connection, op_id: int) -> None:
    """Flag an operation as undone so it is not undone twice."""
    conn.execute("UPDATE operations SET undone_at = ? WHERE id = ?", (utc_now(), op_id))


# -- redo ------------------------------------------------------------------------------------------
# The redo stack is book data (the CLI and the desktop share it): the undone operation ids, most
# recently undone last, with the newest operation id at the time. A new operation gets a higher
# id, so the stack is stale as soon as anything was recorded after the last undo or redo; checking
# that when reading keeps every writer (imports, merges, audiences…) out of the bookkeeping.
REDO_SETTING = "redo_stack"


class RedoRefused(LeadsmithError):
    """The operation cannot be redone (its rows are gone, or the data changed since the undo)."""


def _newest_op_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM operations").fetchone()[0])


def _save_redo(conn: sqlite3.Connection, ops: list[int]) -> None:
    value = json.dumps({"ops": ops, "newest": _newest_op_id(conn)})
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (REDO_SETTING, value),
    )


def redo_stack(conn: sqlite3.Connection) -> list[int]:
    """The operations that can be redone, the next one last (empty once a new one was recorded)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (REDO_SETTING,)).fetchone()
    if row is None:
        return []
    try:
        data = json.loads(row[0])
        ops = [int(i) for i in data["ops"]]
        newest = int(data["newest"])
    except (ValueError, KeyError, TypeError):
        return []  # an unreadable stack only loses redo, never data
    if newest != _newest_op_id(conn):
        return []
    undone = {
        int(r[0])
        for r in conn.execute(
            f"SELECT id FROM operations WHERE undone_at IS NOT NULL AND id IN ({','.join('?' * len(ops))})",
            ops,
        )
    }
    # An operation live again (a restore, another front end's undo/redo) ends the usable stack.
    usable: list[int] = []
    for op_id in ops:
        if op_id not in undone:
            usable = []
            continue
        usable.append(op_id)
    return usable


def push_redo(conn: sqlite3.Connection, op_id: int) -> None:
    """Remember an operation that was just undone, as the next one to redo."""
    _save_redo(conn, [*redo_stack(conn), op_id])


def next_redo(conn: sqlite3.Connection) -> Operation | None:
    """The most recently undone operation, if nothing was recorded since."""
    ops = redo_stack(conn)
    if not ops:
        return None
    row = conn.execute("SELECT * FROM operations WHERE id = ?", (ops[-1],)).fetchone()
    return _op(row) if row else None


def reapply_changes(conn: sqlite3.Connection, op_id: int) -> set[int]:
    """Apply every change's "after" again, oldest first; returns the touched contact ids.

    Each change is checked against the row as it is now (its "before" must hold again), so a
    change made outside the history since the undo is refused rather than overwritten."""
    touched: set[int] = set()
    rows = conn.execute(
        "SELECT table_name, row_id, before, after FROM changes WHERE op_id = ? ORDER BY id",
        (op_id,),
    ).fetchall()
    for table, row_id, before_text, after_text in rows:
        before = None if before_text is None else json.loads(before_text)
        after = None if after_text is None else json.loads(after_text)
        if table in ("contact_tags", "list_members"):
            _reapply_link(conn, table, row_id, before, after)
            touched.add(row_id)
        elif table == "dedupe_rejections":
            if before is None and after is not None:
                # The pair's user and time are the operation's (the change holds only the pair).
                conn.execute(
                    """INSERT OR IGNORE INTO dedupe_rejections(a, b, user, at)
                       SELECT ?, ?, user, at FROM operations WHERE id = ?""",
                    (after["a"], after["b"], op_id),
                )
        elif table in ROW_TABLES:
            _reapply_row(conn, table, row_id, before, after)
            if table == "contacts":
                touched.add(row_id)
            elif table == "contact_points":
                cids = {d.get("contact_id") for d in (before, after) if d}
                cids |= {
                    r[0]
                    for r in conn.execute(
                        "SELECT contact_id FROM contact_points WHERE id = ?", (row_id,)
                    )
                }
                touched |= {c for c in cids if isinstance(c, int)}
        else:
            raise RedoRefused(f"cannot redo a change to table {table!r}")
    return touched


def _reapply_row(
    conn: sqlite3.Connection,
    table: str,
    row_id: int,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    what = f"{_NOUNS.get(table, table)} #{row_id}"
    if after is not None:
        _check_columns(conn, table, after)
    if before is not None:
        _check_columns(conn, table, before)
    exists = conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if before is None:
        if exists:
            raise RedoRefused(f"cannot redo: {what} exists again")
        assert after is not None
        cols = list(after)
        conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [after[c] for c in cols],
        )
        return
    if not exists:
        raise RedoRefused(f"cannot redo: {what} no longer exists")
    # updated_at is bookkeeping; any other column that moved means someone changed the data.
    cols = [c for c in before if c != "updated_at"]
    if cols:
        current = conn.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE id = ?", (row_id,)
        ).fetchone()
        moved = [c for i, c in enumerate(cols) if current[i] != before[c]]
        if moved:
            raise RedoRefused(f"cannot redo: {', '.join(moved)} of {what} changed since the undo")
    if after is None:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    else:
        sets = ", ".join(f"{c} = ?" for c in after)
        conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*after.values(), row_id])


_NOUNS = {"contacts": "contact", "contact_points": "email or phone", "companies": "company"}
_LINK_KEYS = {"contact_tags": "tag_id", "list_members": "list_id"}


def _reapply_link(
    conn: sqlite3.Connection,
    table: str,
    contact_id: int,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    key = _LINK_KEYS[table]
    if before is None and after is not None:
        cols = list(after)
        conn.execute(
            f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [after[c] for c in cols],
        )
    elif before is not None and after is None:
        conn.execute(
            f"DELETE FROM {table} WHERE contact_id = ? AND {key} = ?", (contact_id, before[key])
        )


def mark_redone(conn: sqlite3.Connection, op_id: int) -> None:
    """Make a redone operation live again (undoable once more) and take it off the redo stack."""
    rest = [i for i in redo_stack(conn) if i != op_id]  # read while op_id still counts as undone
    conn.execute("UPDATE operations SET undone_at = NULL WHERE id = ?", (op_id,))
    _save_redo(conn, rest)
