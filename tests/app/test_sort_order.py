"""Every sort of the table against Python's own sort of the same live rows.

A sort that contacts_name serves walks it (LIVE); the others read the live contacts in rowid order
and sort them (LIVE_SCAN, app.query.ordered_where). The "+" only changes the plan: these tests
hold the order itself, for each sort, direction and a few sidebar filters, to a reference built
without SQL ordering.
"""

from __future__ import annotations

import string
from typing import Any

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta
from app.query import (
    INDEXED_SORTS,
    SORT_KEYS,
    ContactFilter,
    order_clause,
    ordered_where,
    page_ids,
    snapshot_ids,
)

# first, last, company, title, city, country (ties, empty values, case and accents on purpose)
PEOPLE = [
    ("Ann", "Zeller", "acme", "CMO", "berlin", "DE"),
    ("ann", "zeller", "Acme", "cmo", "Berlin", "DE"),
    ("Émile", "Ångström", "Zeta AG", "Head of Sales", "Zürich", "CH"),
    ("Bob", "brown", "", "", "", ""),
    ("Carla", "Brown", "beta GmbH", "VP Marketing", "Bonn", "DE"),
    ("Dan", "Ng", "Beta GmbH", "vp marketing", "bonn", "de"),
    ("Eve", "", "Éclair SA", "Chief Marketing Officer", "Paris", "FR"),
    ("", "Ortiz", "acme", "CMO", "Madrid", "ES"),
    ("Zoë", "Adams", "", "CEO", "", "GB"),
    ("Yan", "Li", "Zeta AG", "Head of sales", "zürich", "CH"),
]
FILTERS: list[dict[str, Any]] = [{}, {"status": "MQL"}, {"quality": "no_phone"}, {"tag": "vip"}]
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # SQLite's NOCASE
NOCASE = {"name", "first_name", "last_name", "company", "job_title", "city"}


@pytest.fixture
def sorted_book(book: LeadBook) -> LeadBook:
    records = []
    for k in range(3):
        for i, (first, last, company, title, city, country) in enumerate(PEOPLE):
            rec = RawRecord(row=k * len(PEOPLE) + i + 1)
            for field, value in (
                ("first_name", first),
                ("last_name", last),
                ("company", company),
                ("job_title", title),
                ("city", city),
                ("country", country),
                ("email", f"p{k}.{i}@example.com"),
                ("phone", "+49 30 1234567" if i % 3 == 0 else ""),
            ):
                rec.add(field, field, value)
            records.append(rec)
    book.import_records(records, ImportMeta(file_name="people.csv"))
    conn = book.conn
    conn.execute("UPDATE contacts SET score = CASE WHEN id % 4 = 0 THEN NULL ELSE id % 7 END")
    conn.execute("UPDATE contacts SET status = 'MQL' WHERE id % 3 = 1")
    conn.execute("UPDATE contacts SET created_at = '2026-0' || (1 + id % 5) || '-01T00:00:00'")
    ids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
    book.add_tag(ids[::2], "vip")
    conn.execute("UPDATE contacts SET deleted_at = '2026-11-01T00:00:00' WHERE id % 11 = 5")
    conn.execute("UPDATE contacts SET merged_into = 1 WHERE id % 13 = 7")
    return book


def _null_first(value: Any, nocase: bool) -> tuple[Any, ...]:
    if value is None:
        return (0,)
    return (1, value.translate(ASCII_LOWER) if nocase and isinstance(value, str) else value)


def reference(book: LeadBook, f: ContactFilter, narrowed: dict[str, Any]) -> list[int]:
    """The live contacts `f` selects, ordered in Python by the sort's columns, then by id."""
    selected = set(page_ids(book.conn, ContactFilter(**narrowed), None))
    columns = {
        "id": ["c.id"],
        "name": ["c.last_name", "c.first_name"],
        "company": ["co.name"],
    }.get(f.sort, [f"c.{f.sort}"])
    rows = book.conn.execute(
        f"""SELECT c.id, {", ".join(columns)} FROM contacts c
            LEFT JOIN companies co ON co.id = c.company_id
            WHERE c.merged_into IS NULL AND c.deleted_at IS NULL"""
    ).fetchall()
    nocase = f.sort in NOCASE
    keyed = [
        (tuple(_null_first(v, nocase) for v in row[1:]), row[0])
        for row in rows
        if row[0] in selected
    ]
    keyed.sort(reverse=f.descending)
    return [cid for _key, cid in keyed]


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
def test_every_sort_orders_the_live_contacts_as_python_does(
    sorted_book: LeadBook, sort: str
) -> None:
    for narrowed in FILTERS:
        for descending in (False, True):
            f = ContactFilter(sort=sort, descending=descending, **narrowed)
            want = reference(sorted_book, f, narrowed)
            assert want, (sort, narrowed)
            assert list(snapshot_ids(sorted_book.conn, f)) == want, (sort, narrowed, descending)
            assert page_ids(sorted_book.conn, f, 5) == want[:5], (sort, narrowed, descending)


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
def test_only_the_name_sorts_walk_contacts_name(sorted_book: LeadBook, sort: str) -> None:
    f = ContactFilter(sort=sort)
    where, params = ordered_where(f)
    sql = f"SELECT c.id FROM contacts c WHERE {where} ORDER BY {order_clause(f)}"
    plan = " ".join(
        str(r[3]) for r in sorted_book.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
    )
    if sort not in INDEXED_SORTS:
        assert "contacts_name" not in plan
