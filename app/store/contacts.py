"""Reading and writing contacts, their points, company, tags, lists and sources."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from app.contact import Company, Contact, ContactPoint, SourceRef
from app.fields import CONTACT_COLUMNS

LIVE = "c.merged_into IS NULL AND c.deleted_at IS NULL"
# The same test for a statement that reads every live contact (a count, a GROUP BY, a pass that
# scores them all): "+" keeps SQLite off contacts_name's (merged_into, deleted_at) prefix. Left
# to itself, it walked that index and read each row at random, in name order: 5-9 s at a million
# contacts where one scan in rowid order takes 0.5-3.5 s (bench/UI.md, session 8). A statement
# ordered by name, or driven by another index or an id list, keeps LIVE.
LIVE_SCAN = "+c.merged_into IS NULL AND +c.deleted_at IS NULL"

# Columns of `contacts` a caller may set through update_contact: the whitelist every SQL text is built from.
EDITABLE_COLUMNS: frozenset[str] = frozenset(
    (
        *CONTACT_COLUMNS,
        "score",
        "grade",
        "budget",
        "authority",
        "need",
        "timeline",
        "review_state",
        "do_not_contact",
        "dnc_reason",
        "company_id",
        "extra",
        "collected_at",
    )
)


class ContactRow(NamedTuple):
    """The light row the contacts table shows: one query per page, no per-cell work.

    A NamedTuple: a jump reads ~30 of them on the UI thread, and a frozen dataclass of 15
    fields cost ~9 µs each to build against ~2.6."""

    id: int
    name: str
    email: str
    email_status: str
    phone: str
    phone_status: str
    company: str
    job_title: str
    country: str
    status: str
    score: int | None
    created_at: str
    city: str = ""
    tags: str = ""  # tag names, comma-joined in name order
    source: str = ""  # the source label of the import that created the contact (else its file)


def fts_values(contact: Contact) -> tuple[str, str, str, str]:
    """The four FTS5 columns of a contact: name, emails, company, title."""
    emails = " ".join(p.value or p.raw for p in contact.points if p.kind == "email")
    return (contact.display_name, emails, contact.company.name, contact.job_title)


def write_fts(conn: sqlite3.Connection, contact_id: int, values: tuple[str, str, str, str]) -> None:
    """Replace a contact's row in the search index."""
    conn.execute("DELETE FROM contacts_fts WHERE rowid = ?", (contact_id,))
    conn.execute(
        "INSERT INTO contacts_fts(rowid, name, emails, company, title) VALUES (?, ?, ?, ?, ?)",
        (contact_id, *values),
    )


def refresh_fts(conn: sqlite3.Connection, contact_ids: Iterable[int]) -> None:
    """Rebuild the search rows of these contacts from the tables (after an edit, merge or undo)."""
    for cid in contact_ids:
        contact = load_contacts(conn, [cid]).get(cid)
        conn.execute("DELETE FROM contacts_fts WHERE rowid = ?", (cid,))
        if contact is not None and not _is_hidden(conn, cid):
            write_fts(conn, cid, fts_values(contact))


def _is_hidden(conn: sqlite3.Connection, cid: int) -> bool:
    row = conn.execute(
        "SELECT merged_into, deleted_at FROM contacts WHERE id = ?", (cid,)
    ).fetchone()
    return row is None or row[0] is not None or row[1] is not None


def load_contacts(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Contact]:
    """Full contacts by id (points, company, tags, lists, sources), in one query per table."""
    if not ids:
        return {}
    out: dict[int, Contact] = {}
    for chunk in _chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"""SELECT c.*, co.name AS co_name, co.domain AS co_domain, co.website AS co_website,
                       co.industry AS co_industry, co.employees AS co_employees,
                       co.annual_revenue AS co_revenue, co.phone AS co_phone, co.country AS co_country
                FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
                WHERE c.id IN ({marks})""",
            chunk,
        ).fetchall()
        for r in rows:
            out[r["id"]] = _contact_from_row(r)
        for p in conn.execute(
            f"SELECT * FROM contact_points WHERE contact_id IN ({marks}) ORDER BY is_primary DESC, id",
            chunk,
        ):
            out[p["contact_id"]].points.append(_point_from_row(p))
        for t in conn.execute(
            f"""SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                WHERE ct.contact_id IN ({marks}) ORDER BY t.name""",
            chunk,
        ):
            out[t[0]].tags.append(t[1])
        for m in conn.execute(
            f"""SELECT lm.contact_id, l.name FROM list_members lm JOIN lists l ON l.id = lm.list_id
                WHERE lm.contact_id IN ({marks}) ORDER BY l.name""",
            chunk,
        ):
            out[m[0]].lists.append(m[1])
        # A merged-away contact's sources stay on its row (so unmerge is exact) and are shown on
        # the contact it was merged into: every source link is kept. CROSS JOIN keeps SQLite from
        # scanning all of contact_sources first (it did: 80 ms per page instead of 1).
        for s in conn.execute(
            f"""WITH RECURSIVE family(root, id) AS (
                    SELECT id, id FROM contacts WHERE id IN ({marks})
                    UNION ALL
                    SELECT family.root, c.id FROM contacts c JOIN family ON c.merged_into = family.id
                )
                SELECT family.root, s.import_id, s.row_number, i.file_name, i.started_at,
                       i.source_label, i.user
                FROM family CROSS JOIN contact_sources s ON s.contact_id = family.id
                JOIN imports i ON i.id = s.import_id
                ORDER BY s.id""",
            chunk,
        ):
            out[s[0]].sources.append(
                SourceRef(
                    import_id=s[1], file=s[3], row=s[2], at=s[4], source_label=s[5], user=s[6]
                )
            )
    return out


def load_core(conn: sqlite3.Connection, contact_id: int) -> Contact | None:
    """One contact with its company and points only (no tags, lists or sources), as load_contacts
    builds them: what an import needs to merge a row into a stored contact."""
    # load_contacts' five queries (the sources one recursive) were most of the cost of a merge
    # into a stored contact, ~10 % of a big import's rows.
    r = conn.execute(_CORE_SQL, (contact_id,)).fetchone()
    if r is None:
        return None
    contact = _contact_from_row(r)
    contact.points = [
        _point_from_row(p)
        for p in conn.execute(
            "SELECT * FROM contact_points WHERE contact_id = ? ORDER BY is_primary DESC, id",
            (contact_id,),
        )
    ]
    return contact


_CORE_SQL = """SELECT c.*, co.name AS co_name, co.domain AS co_domain, co.website AS co_website,
       co.industry AS co_industry, co.employees AS co_employees,
       co.annual_revenue AS co_revenue, co.phone AS co_phone, co.country AS co_country
FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
WHERE c.id = ?"""


def _contact_from_row(r: sqlite3.Row) -> Contact:
    company = Company(
        id=r["company_id"],
        name=r["co_name"] or "",
        domain=r["co_domain"] or "",
        website=r["co_website"] or "",
        industry=r["co_industry"] or "",
        employees=r["co_employees"],
        annual_revenue=r["co_revenue"],
        phone=r["co_phone"] or "",
        country=r["co_country"] or "",
    )
    contact = Contact(id=r["id"], company=company, extra=json.loads(r["extra"] or "{}"))
    for name in CONTACT_COLUMNS:
        setattr(contact, name, r[name])
    contact.score = r["score"]
    contact.grade = r["grade"]
    contact.do_not_contact = bool(r["do_not_contact"])
    contact.created_at = r["created_at"]
    contact.updated_at = r["updated_at"]
    return contact


# A contact's first email or phone as the table shows it: valid before invalid, the primary first,
# then the oldest; value (else the raw text), a U+001F, its status. "+kind" keeps SQLite on
# points_contact: on points_kind_status it read every email in the book to find this page's.
_FIRST_POINT = """(SELECT coalesce(value, raw) || char(31) || status FROM contact_points p
    WHERE p.contact_id = c.id AND +p.kind = '{kind}'
    ORDER BY status = 'invalid', is_primary DESC, id LIMIT 1)"""
_FIRST_POINTS = f"{_FIRST_POINT.format(kind='email')}, {_FIRST_POINT.format(kind='phone')}"
_NO_POINT = ("", "")


def fetch_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, ContactRow]:
    """Table rows for a page of ids: one query for the contacts and their first email and phone,
    one for their tags (a jump at 1M reads ~30 rows on the UI thread: ~8 % less CPU than with
    the points read apart and picked in Python)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    # CROSS JOIN keeps SQLite on contact_tags' (contact_id, tag_id) key for this page's ids.
    tags: dict[int, list[str]] = {}
    for cid, tag in conn.execute(
        f"""SELECT ct.contact_id, t.name FROM contact_tags ct CROSS JOIN tags t ON t.id = ct.tag_id
            WHERE ct.contact_id IN ({marks}) ORDER BY ct.contact_id, t.name""",
        list(ids),
    ):
        tags.setdefault(cid, []).append(tag)
    cur = conn.execute(
        f"""SELECT c.id, c.prefix, c.first_name, c.middle_name, c.last_name, c.suffix, c.job_title,
                   c.country, c.status, c.score, c.created_at, co.name, c.city,
                   coalesce(nullif(i.source_label, ''), i.file_name, ''),
                   {_FIRST_POINTS}
            FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
                 LEFT JOIN imports i ON i.id = c.import_id
            WHERE c.id IN ({marks})""",
        list(ids),
    )
    cur.row_factory = None  # plain tuples
    out: dict[int, ContactRow] = {}
    for r in cur.fetchall():
        name = " ".join(x for x in (r[1], r[2], r[3], r[4], r[5]) if x)
        # The status never holds a U+001F; the text before it might.
        email = r[14].rsplit("\x1f", 1) if r[14] is not None else _NO_POINT
        phone = r[15].rsplit("\x1f", 1) if r[15] is not None else _NO_POINT
        out[r[0]] = ContactRow(
            id=r[0],
            name=name,
            email=email[0],
            email_status=email[1],
            phone=phone[0],
            phone_status=phone[1],
            company=r[11] or "",
            job_title=r[6],
            country=r[7],
            status=r[8],
            score=r[9],
            created_at=r[10],
            city=r[12],
            tags=", ".join(tags.get(r[0], ())),
            source=r[13],
        )
    return out


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _point_from_row(p: sqlite3.Row) -> ContactPoint:
    return ContactPoint(
        kind=p["kind"],
        raw=p["raw"],
        value=p["value"],
        label=p["label"],
        is_primary=bool(p["is_primary"]),
        status=p["status"],
        reason=p["reason"],
        id=p["id"],
        import_id=p["import_id"],
    )
