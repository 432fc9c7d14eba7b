"""Applying an audience to a set of contacts: scores, tags, best score per contact, MQL, set-based.

Every step is one SQL statement over a temporary table of fits, so applying an audience to a
million contacts is a handful of table scans, not a million round trips. Contact changes (tags,
score/grade, status) are logged as history changes with `json_object`, in the same statements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from app.audience import Audience, fit_select, grade_sql
from app.lifecycle import promote_to_mql


@dataclass(frozen=True)
class ApplyResult:
    """What applying an audience did."""

    audience: str
    scored: int
    matched: int
    tagged: int
    untagged: int
    promoted: int

    def as_json(self) -> dict[str, object]:
        """JSON shape of `audience apply --json`."""
        return {
            "audience": self.audience,
            "scored": self.scored,
            "matched": self.matched,
            "tagged": self.tagged,
            "untagged": self.untagged,
            "promoted": self.promoted,
        }


def _scope_table(conn: sqlite3.Connection, ids: Sequence[int] | None) -> str:
    if ids is None:
        return ""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _scope (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp._scope")
    conn.executemany("INSERT OR IGNORE INTO temp._scope(id) VALUES (?)", ((i,) for i in ids))
    return "c.id IN (SELECT id FROM temp._scope)"


def tag_id(conn: sqlite3.Connection, name: str) -> int:
    """The id of a tag, creating it if needed."""
    conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
    return int(conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0])


def apply_audience(
    conn: sqlite3.Connection,
    audience: Audience,
    *,
    op_id: int,
    user: str,
    ids: Sequence[int] | None = None,
    import_id: int | None = None,
) -> ApplyResult:
    """Score, tag and promote the contacts in scope (every live contact when `ids` is None).

    Inside the caller's transaction. With `import_id` (re-applying to an import's contacts) the
    new tags carry that import id, and rows the import created get no history records: undoing
    the import removes them as a whole.
    """
    scope = _scope_table(conn, ids)
    select, params = fit_select(audience.criteria, audience.weights, scope)
    conn.execute("DROP TABLE IF EXISTS temp._fit")
    conn.execute(
        "CREATE TEMP TABLE _fit (id INTEGER PRIMARY KEY, score INTEGER NOT NULL, matched INTEGER)"
    )
    conn.execute(f"INSERT INTO temp._fit(id, score, matched) {select}", params)
    aid = audience.id
    if ids is None:
        conn.execute("DELETE FROM audience_scores WHERE audience_id = ?", (aid,))
    else:
        conn.execute(
            "DELETE FROM audience_scores WHERE audience_id = ? AND contact_id IN "
            "(SELECT id FROM temp._fit)",
            (aid,),
        )
    conn.execute(
        f"""INSERT INTO audience_scores(audience_id, contact_id, score, grade, matched)
            SELECT ?, id, score, {grade_sql("score")}, matched FROM temp._fit""",
        (aid,),
    )
    scored, matched = conn.execute(
        "SELECT count(*), coalesce(sum(matched), 0) FROM temp._fit"
    ).fetchone()
    tagged, untagged = _retag(conn, audience, op_id, import_id)
    _best_scores(conn, op_id, import_id)
    promoted = promote_to_mql(
        conn,
        "SELECT id FROM temp._fit WHERE score >= ?",
        [audience.threshold],
        op_id=op_id,
        user=user,
        reason=f"fit to audience {audience.name!r} reached {audience.threshold}",
        skip_history_import=import_id,
    )
    conn.execute("DROP TABLE temp._fit")
    return ApplyResult(audience.name, scored, matched, tagged, untagged, promoted)


def _retag(
    conn: sqlite3.Connection, audience: Audience, op_id: int, import_id: int | None
) -> tuple[int, int]:
    """Tag matching contacts, untag ones this audience tagged that no longer match."""
    tid, origin = tag_id(conn, audience.name), audience.origin
    stale = """FROM contact_tags ct JOIN temp._fit f ON f.id = ct.contact_id
               WHERE ct.tag_id = ? AND ct.origin = ? AND NOT f.matched"""
    conn.execute(
        f"""INSERT INTO changes(op_id, table_name, row_id, before, after)
            SELECT ?, 'contact_tags', ct.contact_id, json_object('contact_id', ct.contact_id,
                   'tag_id', ct.tag_id, 'origin', ct.origin, 'import_id', ct.import_id), NULL
            {stale}""",
        (op_id, tid, origin),
    )
    untagged = conn.execute(
        """DELETE FROM contact_tags WHERE tag_id = ? AND origin = ? AND contact_id IN
            (SELECT f.id FROM temp._fit f WHERE NOT f.matched)""",
        (tid, origin),
    ).rowcount
    new = """FROM temp._fit f WHERE f.matched AND NOT EXISTS
             (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = f.id AND ct.tag_id = ?)"""
    conn.execute(
        f"""INSERT INTO changes(op_id, table_name, row_id, before, after)
            SELECT ?, 'contact_tags', f.id, NULL, json_object('contact_id', f.id, 'tag_id', ?,
                   'origin', ?, 'import_id', ?) {new}""",
        (op_id, tid, origin, import_id, tid),
    )
    tagged = conn.execute(
        f"""INSERT INTO contact_tags(contact_id, tag_id, origin, import_id)
            SELECT f.id, ?, ?, ? {new}""",
        (tid, origin, import_id, tid),
    ).rowcount
    return tagged, untagged


def _best_scores(conn: sqlite3.Connection, op_id: int, import_id: int | None) -> None:
    """contacts.score/grade = the best fit across every audience, for the contacts in scope."""
    conn.execute("DROP TABLE IF EXISTS temp._best")
    conn.execute(
        f"""CREATE TEMP TABLE _best AS
            SELECT b.id, b.score, b.grade FROM (
                SELECT m.id, m.score, {grade_sql("m.score")} AS grade FROM (
                    SELECT f.id, max(s.score) AS score FROM temp._fit f
                    JOIN audience_scores s ON s.contact_id = f.id GROUP BY f.id) m) b
            JOIN contacts c ON c.id = b.id
            WHERE c.score IS NOT b.score OR c.grade != b.grade"""
    )
    conn.execute(
        """INSERT INTO changes(op_id, table_name, row_id, before, after)
           SELECT ?, 'contacts', c.id, json_object('score', c.score, 'grade', c.grade),
                  json_object('score', b.score, 'grade', b.grade)
           FROM temp._best b JOIN contacts c ON c.id = b.id
           WHERE ? IS NULL OR c.import_id IS NOT ?""",
        (op_id, import_id, import_id),
    )
    conn.execute(
        """UPDATE contacts SET score = b.score, grade = b.grade
           FROM temp._best b WHERE contacts.id = b.id"""
    )
    conn.execute("DROP TABLE temp._best")
