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

PERSON_KINDS = ("email", "phone")  # the points that tell two namesakes apart (find_same_person)


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


class SeenTexts:
    """Which (name, email or phone text) pairs may be in the book: the same-person shortcut.

    find_same_person matches a row with no email/LinkedIn key to a namesake sharing one of its
    email or phone texts. In a 1M-contact book a common name has 50 namesakes to read with their
    points (~1-4 ms a row). This Bloom filter (two bits a pair in a bytearray, ~32 bits a pair
    expected) answers "no namesake holds any of these texts" for nearly every such row: its "no"
    is always right; its "maybe" is wrong for ~0.3 % of absent pairs, and then SQL decides.

    The name is each part lower-cased: SQLite's NOCASE equality (ASCII letters only) implies
    equal lower-cased names, so a namesake SQL would find is never missed.
    """

    def __init__(self, expected: int) -> None:
        bits = 1 << min(28, max(16, (expected * 32).bit_length()))  # at most 32 MB
        self._mask = bits - 1
        self._bits = bytearray(bits >> 3)

    def see(self, first: str, last: str, kind: str, value: str | None, raw: str) -> None:
        """Add one point of a contact so named: its normalized value and its raw text."""
        bits, mask = self._bits, self._mask
        first, last = first.lower(), last.lower()
        for text in (value, raw):
            if text:
                h = hash((first, last, kind, text))
                low, high = h & mask, (h >> 32) & mask
                bits[low >> 3] |= 1 << (low & 7)
                bits[high >> 3] |= 1 << (high & 7)

    def see_contact(self, contact: Contact) -> None:
        """Add every email and phone of a contact under its name (again after a name change)."""
        for p in contact.points:
            if p.kind in PERSON_KINDS:
                self.see(contact.first_name, contact.last_name, p.kind, p.value, p.raw)

    def may_hold(self, first: str, last: str, keys: Iterable[tuple[str, str]]) -> bool:
        """False when no contact so named holds any of these (kind, text) pairs."""
        bits, mask = self._bits, self._mask
        first, last = first.lower(), last.lower()
        for kind, text in keys:
            h = hash((first, last, kind, text))
            low, high = h & mask, (h >> 32) & mask
            if bits[low >> 3] >> (low & 7) & bits[high >> 3] >> (high & 7) & 1:
                return True
        return False


def stored_person_texts(conn: sqlite3.Connection, expected: int) -> SeenTexts:
    """Every stored email/phone text under its contact's name, read once; sized for `expected`."""
    cur = conn.cursor()
    cur.row_factory = None
    texts = SeenTexts(expected)
    see = texts.see
    # "+kind": one pass over the table, not a lookup per row through points_kind_status.
    cur.execute(
        "SELECT c.first_name, c.last_name, p.kind, p.value, p.raw FROM contact_points p "
        "JOIN contacts c ON c.id = p.contact_id WHERE +p.kind IN (?, ?)",
        PERSON_KINDS,
    )
    while rows := cur.fetchmany(1_000):  # short GIL holds, for a desktop UI thread beside it
        for first, last, kind, value, raw in rows:
            see(first, last, kind, value, raw)
    return texts


def point_keys(contact: Contact) -> set[tuple[str, str]]:
    """Every email/phone of a contact as (kind, text), normalized and raw, for identical-point tests."""
    return {
        (p.kind, v) for p in contact.points if p.kind in PERSON_KINDS for v in (p.value, p.raw) if v
    }


def name_key(contact: Contact) -> str:
    """First and last name, case-folded: the bucket same-person candidates are looked up in."""
    return f"{contact.first_name.casefold()}|{contact.last_name.casefold()}"


def _reason(kind: str, value: str) -> str:
    return f"same email {value}" if kind == "email" else f"same LinkedIn profile {value}"
