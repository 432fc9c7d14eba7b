"""Exact duplicates on import and hand entry: the keys a contact is matched on, and the lookups.

Strict on purpose: an email that is not a shared role address, a canonical LinkedIn profile, or
for a row with neither, the same name with an identical email/phone. Anything fuzzier is the
dedupe run's job (app/dedupe), where a person reviews it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from app.clean.company import normalize_company
from app.clean.email import is_role_address
from app.contact import Contact


def match_keys(contact: Contact) -> list[tuple[str, str]]:
    """The exact keys a contact is matched on: normalized emails (not role addresses) and LinkedIn."""
    keys: list[tuple[str, str]] = []
    for p in contact.points:
        if not p.value or p.status == "invalid":
            continue
        if p.kind == "email" and not is_role_address(p.value):
            keys.append(("email", p.value))
        elif p.kind == "url" and p.label == "linkedin":
            keys.append(("url", p.value))
    return keys


def find_exact(conn: sqlite3.Connection, keys: Iterable[tuple[str, str]]) -> tuple[int, str] | None:
    """The live contact holding one of these keys, with the reason ("same email a@b.com")."""
    for kind, value in keys:
        row = conn.execute(
            """SELECT p.contact_id FROM contact_points p JOIN contacts c ON c.id = p.contact_id
               WHERE p.kind = ? AND p.value = ? AND c.merged_into IS NULL AND c.deleted_at IS NULL
               ORDER BY p.contact_id LIMIT 1""",
            (kind, value),
        ).fetchone()
        if row:
            return int(row[0]), _reason(kind, value)
    return None


def find_same_person(conn: sqlite3.Connection, contact: Contact) -> tuple[int, str] | None:
    """For a row with no email/LinkedIn key: a live contact that is visibly the same record.

    Same name AND an identical email or phone (raw or normalized: re-importing a row whose email
    is invalid finds it again); or, when neither side has any email or phone, same name AND same
    company. A name with a company is not enough when either side has contact points that could
    tell two people apart: two Andrew Jacksons at one firm stay two until a person merges them.
    """
    if not (contact.first_name or contact.last_name):
        return None
    rows = conn.execute(
        """SELECT c.id, co.name_norm FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
           WHERE c.last_name = ? COLLATE NOCASE AND c.first_name = ? COLLATE NOCASE
             AND c.merged_into IS NULL AND c.deleted_at IS NULL
           ORDER BY c.id LIMIT 50""",
        (contact.last_name, contact.first_name),
    ).fetchall()
    if not rows:
        return None
    company = normalize_company(contact.company.name) if contact.company.name else ""
    mine = point_keys(contact)
    # One query for every candidate's points, not one per candidate: a common name has up to
    # 50 namesakes in a big book. "+kind" keeps SQLite on points_contact (see fetch_rows).
    points: dict[int, set[tuple[str, str]]] = {int(cid): set() for cid, _ in rows}
    marks = ",".join("?" * len(rows))
    for cid, k, value, raw in conn.execute(
        f"SELECT contact_id, kind, value, raw FROM contact_points "
        f"WHERE contact_id IN ({marks}) AND +kind IN ('email', 'phone')",
        list(points),
    ):
        points[cid].update((k, v) for v in (value, raw) if v)
    for cid, name_norm in rows:
        theirs = points[int(cid)]
        if mine and mine & theirs:
            return int(cid), "same name and same email or phone"
        if not mine and not theirs and company and name_norm == company:
            return int(cid), "same name and company, no email or phone on either"
    return None


def point_keys(contact: Contact) -> set[tuple[str, str]]:
    """Every email/phone of a contact as (kind, text), normalized and raw, for identical-point tests."""
    return {
        (p.kind, v)
        for p in contact.points
        if p.kind in ("email", "phone")
        for v in (p.value, p.raw)
        if v
    }


def name_key(contact: Contact) -> str:
    """First and last name, case-folded: the bucket same-person candidates are looked up in."""
    return f"{contact.first_name.casefold()}|{contact.last_name.casefold()}"


def _reason(kind: str, value: str) -> str:
    return f"same email {value}" if kind == "email" else f"same LinkedIn profile {value}"
