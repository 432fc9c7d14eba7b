"""Contact filters turned into SQL over whitelisted columns, with every value a `?` parameter."""

from __future__ import annotations

import re
import sqlite3
from array import array
from dataclasses import dataclass, replace
from operator import itemgetter

from app.store.contacts import LIVE, LIVE_SCAN

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
# The sorts contacts_name serves (its order, or the first part of it): walking that index beats
# sorting. Every other sort reads the live contacts in rowid order and sorts them (LIVE_SCAN):
# a million contacts sorted by company took 12.6 s through contacts_name (its rows read at random,
# in name order) and 4.9 s in one scan; by job title, city, score… 8-10 s against 2.6-4 s.
INDEXED_SORTS = frozenset({"name", "last_name", "first_name"})

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

# The same sets for counting: the ids each filter's subquery looks for, read in one pass, and
# whether the filter is their complement among the live contacts. A count through
# QUALITY_FILTERS runs its subquery once a contact (~10 µs of random reads: the sidebar's five
# counts took 25 s of a core at a million contacts); `c.id IN (ids)` reads the ids once (a
# scan of the points in rowid order, "+" keeping SQLite off points_key) and looks each up by
# its primary key (tests/app/test_quality_counts.py holds the two to the same numbers).
QUALITY_SETS: dict[str, tuple[str, bool]] = {
    "invalid_email": (
        "SELECT contact_id FROM contact_points WHERE kind = 'email' AND status = 'invalid'",
        False,
    ),
    "no_email": (
        "SELECT contact_id FROM contact_points WHERE +kind = 'email' AND +value IS NOT NULL",
        True,
    ),
    "invalid_phone": (
        "SELECT contact_id FROM contact_points WHERE kind = 'phone' AND status = 'invalid'",
        False,
    ),
    "no_phone": (
        "SELECT contact_id FROM contact_points WHERE +kind = 'phone' AND +value IS NOT NULL",
        True,
    ),
    "not_exported": ("SELECT contact_id FROM export_members", True),
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


def search_words(text: str) -> list[str]:
    """The words of a search box text, as every search reads them (each one an FTS5 prefix)."""
    return re.findall(r"\w+", text, flags=re.UNICODE)


def fts_query(text: str) -> str:
    """A search box text as an FTS5 query: every word must match as a prefix ("ann mül" -> ann* mül*)."""
    return " ".join(f'"{w}"*' for w in search_words(text))


def where_clause(f: ContactFilter, scan: bool = False) -> tuple[str, list[object]]:
    """The WHERE text (with `c` the contacts alias) and its parameters for a filter; `scan`
    for a statement whose order does not matter (a count: LIVE_SCAN)."""
    clauses = [LIVE_SCAN if scan else LIVE]
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


def ordered_where(f: ContactFilter) -> tuple[str, list[object]]:
    """where_clause for a statement in `f`'s order: LIVE for the sorts an index serves."""
    return where_clause(f, scan=f.sort not in INDEXED_SORTS)


def snapshot_ids(conn: sqlite3.Connection, f: ContactFilter) -> array[int]:
    """The ordered ids a filter selects: what the million-row table model holds."""
    where, params = ordered_where(f)
    ids: array[int] = array("q")
    cur = conn.execute(
        f"SELECT c.id FROM contacts c WHERE {where} ORDER BY {order_clause(f)}", params
    )
    cur.row_factory = None  # plain tuples: a sqlite3.Row per id tripled the cost of a snapshot
    # Small batches: fetchmany holds the GIL for its whole batch (sqlite3 lets it go only
    # inside each step and takes it straight back), so 50,000 rows at once froze the desktop's
    # UI thread for 0.1-0.8 s while a read job built a snapshot; between batches it gets a turn.
    first = itemgetter(0)  # a little cheaper than a generator expression per batch
    while True:
        batch = cur.fetchmany(1_000)
        if not batch:
            break
        ids.extend(map(first, batch))
    return ids


def count(conn: sqlite3.Connection, f: ContactFilter) -> int:
    """How many contacts a filter selects (a status filter at 1M: 0.5 s, not 5 s)."""
    where, params = where_clause(f, scan=True)
    return int(conn.execute(f"SELECT count(*) FROM contacts c WHERE {where}", params).fetchone()[0])


def quality_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many live contacts each data-quality filter selects (QUALITY_SETS' way)."""
    live = count(conn, ContactFilter())
    out: dict[str, int] = {}
    for key, (ids, complement) in QUALITY_SETS.items():
        sql = f"SELECT count(*) FROM contacts c WHERE {LIVE} AND c.id IN ({ids})"
        found = int(conn.execute(sql).fetchone()[0])
        out[key] = live - found if complement else found
    return out


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Live contacts by lifecycle status (the statuses that have any)."""
    # Through the status index (LIVE_SCAN): 0.6 s at 1M instead of 5.5 s.
    sql = f"SELECT c.status, count(*) FROM contacts c WHERE {LIVE_SCAN} GROUP BY c.status"
    return {str(s): int(n) for s, n in conn.execute(sql)}


def page_ids(conn: sqlite3.Connection, f: ContactFilter, limit: int | None) -> list[int]:
    """The first `limit` ids a filter selects (all when limit is None)."""
    where, params = ordered_where(f)
    sql = f"SELECT c.id FROM contacts c WHERE {where} ORDER BY {order_clause(f)}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    return [r[0] for r in conn.execute(sql, params)]


# -- the first page of a search ------------------------------------------------------------------
# contacts_fts has prefix indexes of 2 and 3 characters only. A one-letter prefix ("n"*) makes
# FTS5 read and merge the doclist of every term starting with that letter before it returns the
# first row (40-115 ms at 1M), even under a LIMIT. The same set is `"n" OR "na"* OR "nb"* …` over
# the two-letter prefixes the index holds, each one prefix-index doclist read lazily (2-4 ms).
_VOCAB = "temp.leadsmith_fts_terms"
_ONE_CHAR = re.compile(r"[a-z0-9]")


def _vocab(conn: sqlite3.Connection) -> str:
    # fts5vocab "instance": a term range query stops at the first instance ("row" would count
    # every document of the term first). Temp schema: per connection, nothing written to the book.
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCAB} USING fts5vocab(main, contacts_fts, instance)"
    )
    return _VOCAB


# (connection, letter) -> (book version when read, prefixes). Held for the last few connections
# only (a Connection takes no weak reference); a commit anywhere moves the version.
_PREFIXES: dict[tuple[sqlite3.Connection, str], tuple[tuple[int, int], list[str]]] = {}
_PREFIX_CONNECTIONS = 4


def _two_char_prefixes(conn: sqlite3.Connection, letter: str) -> list[str]:
    """Every distinct two-character start of an indexed term that begins with `letter`."""
    version = (int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes)
    cached = _PREFIXES.get((conn, letter))
    if cached is not None and cached[0] == version:
        return cached[1]
    prefixes = _read_prefixes(conn, letter)
    if len({c for c, _letter in _PREFIXES} | {conn}) > _PREFIX_CONNECTIONS:
        _PREFIXES.clear()
    _PREFIXES[(conn, letter)] = (version, prefixes)
    return prefixes


def _read_prefixes(conn: sqlite3.Connection, letter: str) -> list[str]:
    vocab = _vocab(conn)
    end = chr(ord(letter) + 1)
    out: list[str] = []
    start = letter + "\x00"  # the one-letter term itself is matched by the exact phrase
    while True:
        # A skip scan: one seek per distinct second character, not one step per term.
        row = conn.execute(
            f"SELECT term FROM {vocab} WHERE term >= ? AND term < ? LIMIT 1", (start, end)
        ).fetchone()
        if row is None:
            return out
        prefix = str(row[0])[:2]
        out.append(prefix)
        start = prefix[0] + chr(ord(prefix[1]) + 1)


SEARCH_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def prepare_letter(conn: sqlite3.Connection, letter: str) -> None:
    """Read (and cache for `conn`, until the book changes) what a search of the one letter
    `letter` reads before its first row: its two-character prefixes (2-30 ms cold at 1M)."""
    if _ONE_CHAR.fullmatch(letter):
        _two_char_prefixes(conn, letter)


def fast_fts_query(conn: sqlite3.Connection, text: str) -> str:
    """`fts_query(text)` rewritten so one-letter words read the 2-character prefix index.

    Matches exactly the same rows: a term starting with "n" is "n" itself or starts with one of
    the two-character prefixes the index holds (read from the index in the same connection)."""
    parts = []
    for word in search_words(text):
        letter = word.lower()
        if len(word) == 1 and _ONE_CHAR.fullmatch(letter):
            branches = [f'"{letter}"', *(f'"{p}"*' for p in _two_char_prefixes(conn, letter))]
            parts.append(f"({' OR '.join(branches)})")
        else:
            parts.append(f'"{word}"*')
    return " AND ".join(parts)  # FTS5 has no implicit AND next to a parenthesized group


def first_ids(conn: sqlite3.Connection, f: ContactFilter, limit: int) -> list[int]:
    """The first `limit` ids a filter selects (what `page_ids` returns), read without ordering
    or counting the whole match set when the filter searches and the order is by id."""
    walk = first_page_walk(conn, f, limit)
    if walk is None:
        return page_ids(conn, f, limit)
    sql, args = walk
    return [r[0] for r in conn.execute(sql, args)]


def first_page_walk(
    conn: sqlite3.Connection, f: ContactFilter, limit: int
) -> tuple[str, list[object]] | None:
    """The SQL and parameters of `first_ids`'s walk, or None when it takes `page_ids`'s plan.

    SQLite walks the FTS match set in rowid order (FTS5 yields it sorted), tests the rest of the
    filter (sidebar status, tag, list, data quality…) on each match's row and stops at `limit`
    contacts. Any sort but id needs the general plan, which orders every match."""
    if f.sort != "id" or not fts_query(f.search) or f.ids:
        return None  # (a list of ids is better read from the list)
    # The other clauses test one contact each (their IN lists are read once per statement), so
    # a walk cut at `limit` never reads more than the general plan, which reads every match.
    where, params = where_clause(replace(f, search=""))
    direction = " DESC" if f.descending else ""
    sql = f"""SELECT c.id FROM contacts_fts CROSS JOIN contacts c ON c.id = contacts_fts.rowid
              WHERE contacts_fts MATCH ? AND {where}
              ORDER BY contacts_fts.rowid{direction} LIMIT ?"""
    return sql, [fast_fts_query(conn, f.search), *params, limit]
