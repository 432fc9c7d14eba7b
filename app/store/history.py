"""The changes log: every operation and enough before/after to undo it (undo is data)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

import sqlite_utils

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
