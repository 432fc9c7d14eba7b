"""Tags, lists (sourcing projects) and smart lists. Tag and membership changes are undoable.

Link rows (`contact_tags`, `list_members`) are logged as history changes holding the whole row, so
the generic undo re-inserts or deletes them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, fields

from app.audience_apply import tag_id
from app.errors import InvalidValue, NotFound
from app.jobs import Cancelled, Progress, each_reported, never_cancelled, no_progress
from app.query import ContactFilter
from app.store import history
from app.store.db import utc_now


def _live(conn: sqlite3.Connection, cid: int) -> None:
    row = conn.execute(
        "SELECT 1 FROM contacts WHERE id = ? AND merged_into IS NULL AND deleted_at IS NULL",
        (cid,),
    ).fetchone()
    if row is None:
        raise NotFound(f"no contact with id {cid}")


def _name(text: str, what: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidValue(f"a {what} needs a name")
    return name


def add_tag(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    name: str,
    op_id: int,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> int:
    """Tag contacts by hand (origin "manual"); returns how many were newly tagged."""
    tid = tag_id(conn, _name(name, "tag"))
    added = 0
    for cid in each_reported(ids, progress, cancelled):
        _live(conn, cid)
        cur = conn.execute(
            "INSERT OR IGNORE INTO contact_tags(contact_id, tag_id, origin) VALUES (?, ?, 'manual')",
            (cid, tid),
        )
        if cur.rowcount:
            row = {"contact_id": cid, "tag_id": tid, "origin": "manual", "import_id": None}
            history.record(conn, op_id, "contact_tags", cid, None, row)
            added += 1
    return added


def remove_tag(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    name: str,
    op_id: int,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> int:
    """Remove a tag from contacts (whoever set it); returns how many lost it."""
    row = conn.execute("SELECT id FROM tags WHERE name = ?", (name.strip(),)).fetchone()
    if row is None:
        raise NotFound(f"no tag called {name!r}")
    removed = 0
    for cid in each_reported(ids, progress, cancelled):
        link = conn.execute(
            "SELECT contact_id, tag_id, origin, import_id FROM contact_tags "
            "WHERE contact_id = ? AND tag_id = ?",
            (cid, row[0]),
        ).fetchone()
        if link is None:
            continue
        history.record(conn, op_id, "contact_tags", cid, dict(link), None)
        conn.execute("DELETE FROM contact_tags WHERE contact_id = ? AND tag_id = ?", (cid, row[0]))
        removed += 1
    return removed


# -- lists ---------------------------------------------------------------------------------------
def _check_cost(cost: float | None) -> float | None:
    if cost is not None and (cost != cost or cost < 0):  # NaN is not a cost
        raise InvalidValue(f"a cost must be zero or more, got {cost}")
    return cost


def create_list(
    conn: sqlite3.Connection, name: str, cost: float | None = None, notes: str = ""
) -> int:
    """Create a list (a sourcing project); InvalidValue if one with that name exists."""
    name = _name(name, "list")
    existing = conn.execute("SELECT name FROM lists WHERE name = ?", (name,)).fetchone()
    if existing:
        raise InvalidValue(f"a list called {existing[0]!r} already exists")
    cur = conn.execute(
        "INSERT INTO lists(name, cost, notes, created_at) VALUES (?, ?, ?, ?)",
        (name, _check_cost(cost), notes, utc_now()),
    )
    return int(cur.lastrowid or 0)


def list_id(conn: sqlite3.Connection, name: str) -> int:
    """The id of the list called `name`; NotFound if there is none."""
    row = conn.execute("SELECT id FROM lists WHERE name = ?", (name.strip(),)).fetchone()
    if row is None:
        raise NotFound(f"no list called {name!r}")
    return int(row[0])


def set_list_cost(conn: sqlite3.Connection, name: str, cost: float | None) -> None:
    """Record what a list cost (None clears it)."""
    conn.execute("UPDATE lists SET cost = ? WHERE id = ?", (_check_cost(cost), list_id(conn, name)))


def set_import_cost(conn: sqlite3.Connection, import_id: int, cost: float | None) -> None:
    """Record what the file of an import cost (None clears it)."""
    cur = conn.execute("UPDATE imports SET cost = ? WHERE id = ?", (_check_cost(cost), import_id))
    if not cur.rowcount:
        raise NotFound(f"no import with id {import_id}")


def add_to_list(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    name: str,
    op_id: int,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> int:
    """Add contacts to a list; returns how many were new members."""
    lid, now, added = list_id(conn, name), utc_now(), 0
    for cid in each_reported(ids, progress, cancelled):
        _live(conn, cid)
        cur = conn.execute(
            "INSERT OR IGNORE INTO list_members(list_id, contact_id, added_at) VALUES (?, ?, ?)",
            (lid, cid, now),
        )
        if cur.rowcount:
            row = {"list_id": lid, "contact_id": cid, "import_id": None, "added_at": now}
            history.record(conn, op_id, "list_members", cid, None, row)
            added += 1
    return added


def remove_from_list(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    name: str,
    op_id: int,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> int:
    """Take contacts off a list; returns how many were members."""
    lid, removed = list_id(conn, name), 0
    for cid in each_reported(ids, progress, cancelled):
        link = conn.execute(
            "SELECT list_id, contact_id, import_id, added_at FROM list_members "
            "WHERE list_id = ? AND contact_id = ?",
            (lid, cid),
        ).fetchone()
        if link is None:
            continue
        history.record(conn, op_id, "list_members", cid, dict(link), None)
        conn.execute("DELETE FROM list_members WHERE list_id = ? AND contact_id = ?", (lid, cid))
        removed += 1
    return removed


# -- smart lists: saved filters ----------------------------------------------------------------
_FILTER_FIELDS = {f.name for f in fields(ContactFilter)}


def save_smart_list(conn: sqlite3.Connection, name: str, f: ContactFilter) -> None:
    """Save (or replace) a named filter."""
    definition = json.dumps(
        {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(f).items()}
    )
    conn.execute(
        """INSERT INTO smart_lists(name, definition, created_at) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET definition = excluded.definition""",
        (_name(name, "smart list"), definition, utc_now()),
    )


def _filter(definition: str) -> ContactFilter:
    data = {k: v for k, v in json.loads(definition).items() if k in _FILTER_FIELDS}
    if "ids" in data:
        data["ids"] = tuple(data["ids"])
    return ContactFilter(**data)


def smart_list(conn: sqlite3.Connection, name: str) -> ContactFilter:
    """The filter saved as `name`; NotFound if there is none."""
    row = conn.execute("SELECT definition FROM smart_lists WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no smart list called {name!r}")
    return _filter(row[0])


def smart_lists(conn: sqlite3.Connection) -> list[tuple[str, ContactFilter]]:
    """Every smart list with its filter, by name."""
    return [
        (r[0], _filter(r[1]))
        for r in conn.execute(
            "SELECT name, definition FROM smart_lists ORDER BY name COLLATE NOCASE"
        )
    ]
