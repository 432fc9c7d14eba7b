"""Contact filters turned into SQL over whitelisted columns, with every value a `?` parameter."""

from __future__ import annotations

import re
import sqlite3
from array import array
from dataclasses import dataclass

from app.store.contacts import LIVE

# Sort keys a front end may ask for -> the SQL expression (the only text that reaches ORDER BY).
SORT_KEYS: dict[str, str] = {
    "id": "c.id",
    "name": "c.last_name COLLATE NOCASE, c.first_name COLLATE NOCASE",
    "first_name": "c.first_name COLLATE NOCASE",
    "last_name": "c.last_name COLLATE NOCASE",
    "company": "(SELECT name FROM companies WHERE id = c.company_id) COLLATE NOCASE",
    "job_title": "c.job_title COLLATE NOCASE",
    "country": "c.country",
    "city": "c.city COLLATE NOCASE",
    "status": "c.status",
    "score": "c.score",
    "created_at": "c.created_at",
}

# Has emails, and none of them is usable: what "leave out invalid emails" leaves out of an export.
INVALID_EMAIL_ONLY = (
    "EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id AND p.kind = 'email') "
    "AND NOT EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
    "AND +p.kind = 'email' AND p.value IS NOT NULL AND p.status != 'invalid')"
)

# In the NOT EXISTS filters, "+p.kind" keeps SQLite on points_contact (this contact's few points):
# left to itself it picked points_key and scanned every email in the book per contact (quadratic).
QUALITY_FILTERS: dict[str, str] = {
    "invalid_email": "EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
    "AND p.kind = 'email' AND p.status = 'invalid')",
    "no_email": "NOT EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
    "AND +p.kind = 'email' AND p.value IS NOT NULL)",
    "invalid_phone": "EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
    "AND p.kind = 'phone' AND p.status = 'invalid')",
    "not_exported": "NOT EXISTS (SELECT 1 FROM export_members em WHERE em.contact_id = c.id)",
    "no_phone": "NOT EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
    "AND +p.kind = 'phone' AND p.value IS NOT NULL)",
}


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts a view, list command or export selects, and in what order."""

    search: str = ""
    list_name: str = ""
    tag: str = ""
    status: str = ""
    import_id: int | None = None
    quality: str = ""
    ids: tuple[int, ...] = ()
    exclude_do_not_contact: bool = False
    exclude_invalid_email: bool = False  # leave out people whose every email is invalid
    not_exported_to: str = ""  # a preset name: only contacts never exported with it
    sort: str = "id"
    descending: bool = False


def fts_query(text: str) -> str:
    """A search box text as an FTS5 query: every word must match as a prefix ("ann mül" -> ann* mül*)."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


def where_clause(f: ContactFilter) -> tuple[str, list[object]]:
    """The WHERE text (with `c` the contacts alias) and its parameters for a filter."""
    clauses = [LIVE]
    params: list[object] = []
    if f.search.strip():
        query = fts_query(f.search)
        if query:
            clauses.append("c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)")
            params.append(query)
    if f.list_name:
        clauses.append(
            "c.id IN (SELECT lm.contact_id FROM list_members lm JOIN lists l ON l.id = lm.list_id "
            "WHERE l.name = ?)"
        )
        params.append(f.list_name)
    if f.tag:
        clauses.append(
            "c.id IN (SELECT ct.contact_id FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id "
            "WHERE t.name = ?)"
        )
        params.append(f.tag)
    if f.status:
        clauses.append("c.status = ? COLLATE NOCASE")
        params.append(f.status)
    if f.import_id is not None:
        clauses.append("c.id IN (SELECT contact_id FROM contact_sources WHERE import_id = ?)")
        params.append(f.import_id)
    if f.quality:
        if f.quality not in QUALITY_FILTERS:
            raise ValueError(f"unknown data-quality filter {f.quality!r}")
        clauses.append(QUALITY_FILTERS[f.quality])
    if f.exclude_do_not_contact:
        clauses.append("c.do_not_contact = 0")
    if f.exclude_invalid_email:
        clauses.append(INVALID_EMAIL_ONLY.join(("NOT (", ")")))
    if f.not_exported_to:
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM export_members em JOIN exports e ON e.id = em.export_id "
            "WHERE em.contact_id = c.id AND e.preset = ?)"
        )
        params.append(f.not_exported_to)
    if f.ids:
        clauses.append(f"c.id IN ({','.join('?' * len(f.ids))})")
        params.extend(f.ids)
    return " AND ".join(clauses), params


def order_clause(f: ContactFilter) -> str:
    """ORDER BY text for a filter's sort key (unknown keys fall back to id)."""
    expr = SORT_KEYS.get(f.sort, "c.id")
    direction = " DESC" if f.descending else ""
    parts = [f"{part.strip()}{direction}" for part in expr.split(", ")]
    return ", ".join([*parts, f"c.id{direction}"])


def snapshot_ids(conn: sqlite3.Connection, f: ContactFilter) -> array[int]:
    """The ordered ids a filter selects: what the million-row table model holds."""
    where, params = where_clause(f)
    ids: array[int] = array("q")
    cur = conn.execute(
        f"SELECT c.id FROM contacts c WHERE {where} ORDER BY {order_clause(f)}", params
    )
    cur.row_factory = None  # plain tuples: a sqlite3.Row per id tripled the cost of a snapshot
    # Small batches: fetchmany holds the GIL for its whole batch (sqlite3 lets it go only
    # inside each step and takes it straight back), so 50,000 rows at once froze the desktop's
    # UI thread for 0.1-0.8 s while a read job built a snapshot; between batches it gets a turn.
    while True:
        batch = cur.fetchmany(1_000)
        if not batch:
            break
        ids.extend(r[0] for r in batch)
    return ids


def count(conn: sqlite3.Connection, f: ContactFilter) -> int:
    """How many contacts a filter selects."""
    where, params = where_clause(f)
    return int(conn.execute(f"SELECT count(*) FROM contacts c WHERE {where}", params).fetchone()[0])


def page_ids(conn: sqlite3.Connection, f: ContactFilter, limit: int | None) -> list[int]:
    """The first `limit` ids a filter selects (all when limit is None)."""
    where, params = where_clause(f)
    sql = f"SELECT c.id FROM contacts c WHERE {where} ORDER BY {order_clause(f)}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    return [r[0] for r in conn.execute(sql, params)]
