"""LeadBook.extra_keys scans the table in rowid order: the same keys, in the same order, as the
planner's own plan gives, for every kind of filter."""

from __future__ import annotations

import json

import pytest
from test_export_flat import varied  # noqa: F401  (fixture)

from app.book import LeadBook
from app.query import ContactFilter, where_clause


def planner_keys(book: LeadBook, f: ContactFilter) -> list[str]:
    """The statement as it was before NOT INDEXED: the planner picks its index (the oracle)."""
    where, params = where_clause(f)
    rows = book.conn.execute(
        f"""SELECT j.key FROM contacts c, json_each(c.extra) AS j
            WHERE {where} AND c.extra != '{{}}'
            GROUP BY j.key ORDER BY min(c.id), j.key""",
        params,
    )
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize(
    "f",
    [
        ContactFilter(),
        ContactFilter(exclude_do_not_contact=True),
        ContactFilter(status="SQL"),
        ContactFilter(list_name="Fintech CMOs"),
        ContactFilter(tag="vip"),
        ContactFilter(search="ana"),
        ContactFilter(list_name="no such list"),
    ],
)
def test_extra_keys_by_table_scan_equal_the_planners(
    varied: LeadBook,  # noqa: F811
    f: ContactFilter,
) -> None:
    ids = [r[0] for r in varied.conn.execute("SELECT id FROM contacts ORDER BY id")]
    # Keys first seen in different contacts, one of them only on a deleted contact.
    for i, extra in [
        (ids[50], {"Zeta": "1", "Alpha": "2"}),
        (ids[7], {"Met At": "Expo"}),
        (ids[90], {"Gone": "x"}),
    ]:
        varied.conn.execute("UPDATE contacts SET extra = ? WHERE id = ?", (json.dumps(extra), i))
    varied.conn.execute("UPDATE contacts SET deleted_at = '2026-01-01' WHERE id = ?", (ids[90],))
    assert varied.extra_keys(f) == planner_keys(varied, f)
    if f == ContactFilter():
        keys = varied.extra_keys(f)
        assert sorted(keys) == ["Alpha", "Connected On", "Met At", "Zeta"]  # not the deleted one's
        assert keys.index("Met At") < keys.index("Alpha") < keys.index("Zeta")
