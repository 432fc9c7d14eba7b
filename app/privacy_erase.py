"""Erasure (right to be forgotten): remove a person's data and provenance, then make it physically gone.

What stays: hashed suppression entries (so the person is never re-added) and one erasure_log line
(when, who, why, how many) — no personal data.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import InvalidValue, NotFound
from app.privacy import add_suppression
from app.store.db import utc_now

ERASED = "[erased]"
FOLD = "leadsmith_casefold"  # SQLite's lower() folds ASCII only ("Ł" stays "Ł")


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure did (counts only: the log must not hold who was erased)."""

    contacts: int
    suppressed: int
    log_id: int
    physically_purged: bool  # False when another connection kept the WAL from being truncated


def family_ids(conn: sqlite3.Connection, ids: Sequence[int]) -> list[int]:
    """The contacts to erase: each one's surviving root and every contact merged into it."""
    roots: set[int] = set()
    for cid in ids:
        seen: set[int] = set()
        current: int | None = cid
        while current is not None and current not in seen:
            seen.add(current)
            row = conn.execute("SELECT merged_into FROM contacts WHERE id = ?", (current,))
            found = row.fetchone()
            if found is None:
                raise NotFound(f"no contact with id {current}")
            if found[0] is None:
                roots.add(current)
            current = found[0]
    marks = ",".join("?" * len(roots))
    rows = conn.execute(
        f"""WITH RECURSIVE fam(id) AS (
                SELECT id FROM contacts WHERE id IN ({marks})
                UNION SELECT c.id FROM contacts c JOIN fam ON c.merged_into = fam.id)
            SELECT id FROM fam ORDER BY id""",
        sorted(roots),
    ).fetchall()
    return [int(r[0]) for r in rows]


def _terms(conn: sqlite3.Connection, marks: str, ids: list[int]) -> set[str]:
    """Distinctive strings of these people (emails, phones, full names), lower-cased, for the sweep
    of logs that hold values. A first name alone is never a term: other people share it."""
    terms: set[str] = set()
    for raw, value in conn.execute(
        f"SELECT raw, value FROM contact_points WHERE contact_id IN ({marks})", ids
    ):
        for v in (raw, value):
            if v and len(v.strip()) >= 5:
                terms.add(v.strip().casefold())
    for first, last in conn.execute(
        f"SELECT first_name, last_name FROM contacts WHERE id IN ({marks})", ids
    ):
        if first and last:
            terms.add(f"{first} {last}".casefold())
    return terms


def _fold(value: object) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def _scrub(value: object, terms: set[str]) -> object:
    if isinstance(value, str):
        folded = value.casefold()
        return ERASED if any(t in folded for t in terms) else value
    if isinstance(value, dict):
        return {k: _scrub(v, terms) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, terms) for v in value]
    return value


def _scrub_changes(conn: sqlite3.Connection, marks: str, ids: list[int], terms: set[str]) -> None:
    point_ids = [
        r[0]
        for r in conn.execute(f"SELECT id FROM contact_points WHERE contact_id IN ({marks})", ids)
    ]
    conn.execute(
        f"""DELETE FROM changes WHERE
              (table_name IN ('contacts', 'contact_tags', 'list_members') AND row_id IN ({marks}))
              OR (table_name = 'contact_points' AND coalesce(json_extract(before, '$.contact_id'),
                  json_extract(after, '$.contact_id')) IN ({marks}))""",
        [*ids, *ids],
    )
    for start in range(0, len(point_ids), 500):
        chunk = point_ids[start : start + 500]
        conn.execute(
            f"DELETE FROM changes WHERE table_name = 'contact_points' "
            f"AND row_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
    # Other rows' changes can still carry their values (a merge, a company edit): scrub those.
    for term in terms:
        rows = conn.execute(
            "SELECT id, before, after FROM changes "
            f"WHERE instr({FOLD}(before), ?) > 0 OR instr({FOLD}(after), ?) > 0",
            (term, term),
        ).fetchall()
        for change_id, before, after in rows:
            new = [
                None if t is None else json.dumps(_scrub(json.loads(t), terms), ensure_ascii=False)
                for t in (before, after)
            ]
            conn.execute("UPDATE changes SET before = ?, after = ? WHERE id = ?", (*new, change_id))


def _delete_rows(conn: sqlite3.Connection, marks: str, ids: list[int], terms: set[str]) -> None:
    # Their rows' problems: issues are keyed by (import, row) like their sources.
    conn.execute(
        f"""DELETE FROM import_issues WHERE EXISTS (SELECT 1 FROM contact_sources s
              WHERE s.contact_id IN ({marks}) AND s.import_id = import_issues.import_id
              AND (s.row_number = import_issues.row_number
                   OR (s.row_number IS NULL AND coalesce(import_issues.row_number, 0) = 0)))""",
        ids,
    )
    for term in terms:
        conn.execute(f"DELETE FROM import_issues WHERE instr({FOLD}(value), ?) > 0", (term,))
    companies = [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT company_id FROM contacts WHERE id IN ({marks}) AND company_id IS NOT NULL",
            ids,
        )
    ]
    # Every table pointing at contacts (this area's and the others'), found from the schema.
    for table, column in _references(conn, "contacts"):
        conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", ids)
    conn.execute(f"DELETE FROM contacts_fts WHERE rowid IN ({marks})", ids)
    conn.execute(f"DELETE FROM contacts WHERE id IN ({marks})", ids)
    for company_id in companies:
        # A company only they worked at may be named after them ("Zoë Brandt Consulting").
        if conn.execute("SELECT 1 FROM contacts WHERE company_id = ?", (company_id,)).fetchone():
            continue
        if any(
            conn.execute(f"SELECT 1 FROM {t} WHERE {c} = ?", (company_id,)).fetchone()
            for t, c in _references(conn, "companies")
        ):
            continue
        conn.execute(
            "DELETE FROM changes WHERE table_name = 'companies' AND row_id = ?", (company_id,)
        )
        conn.execute("DELETE FROM companies WHERE id = ?", (company_id,))


def _references(conn: sqlite3.Connection, target: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
    ]
    for table in tables:
        if table == target and target == "contacts":
            continue  # merged_into: the whole family is deleted in one statement
        for fk in conn.execute(f"PRAGMA foreign_key_list({table})"):
            if fk["table"] == target:
                out.append((table, fk["from"]))
    return out


def erase_contacts(
    conn: sqlite3.Connection, ids: Sequence[int], reason: str, user: str
) -> ErasureResult:
    """Erase people: their contacts (and merged-away copies), points, sources, issues, search rows,
    history values, tags and list links. Their emails and phones go on the suppression list."""
    if not ids:
        raise InvalidValue("give at least one contact id to erase")
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left behind
    conn.create_function(FOLD, 1, _fold, deterministic=True)
    conn.execute("BEGIN IMMEDIATE")
    try:
        family = family_ids(conn, ids)
        marks = ",".join("?" * len(family))
        terms = _terms(conn, marks, family)
        points = conn.execute(
            f"""SELECT DISTINCT kind, value FROM contact_points
                WHERE contact_id IN ({marks}) AND kind IN ('email', 'phone') AND value IS NOT NULL""",
            family,
        ).fetchall()
        added, _ = add_suppression(
            conn, [(k, v) for k, v in points], f"erased: {reason}".strip(), user, origin="erasure"
        )
        _scrub_changes(conn, marks, family, terms)
        _delete_rows(conn, marks, family, terms)
        cur = conn.execute(
            "INSERT INTO erasure_log(at, user, reason, contacts, suppressed) VALUES (?, ?, ?, ?, ?)",
            (utc_now(), user, reason, len(family), len(points)),
        )
        log_id = int(cur.lastrowid or 0)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    purged = purge_freed_data(conn)
    return ErasureResult(len(family), added, log_id, purged)


def purge_freed_data(conn: sqlite3.Connection) -> bool:
    """Make deleted data physically gone: rebuild the search index, truncate the WAL, VACUUM.
    Returns False when another open connection kept the WAL from being truncated."""
    conn.execute("INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize')")
    first = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    conn.execute("VACUUM")
    last = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return bool(first[0] == 0 and last[0] == 0)


def erasure_log(conn: sqlite3.Connection, limit: int = 100) -> list[dict[str, object]]:
    """The erasure log, newest first: when, who, why, how many (no personal data)."""
    return [
        {"id": r[0], "at": r[1], "user": r[2], "reason": r[3], "contacts": r[4], "suppressed": r[5]}
        for r in conn.execute(
            "SELECT id, at, user, reason, contacts, suppressed FROM erasure_log "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
    ]
