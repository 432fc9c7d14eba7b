"""The sidebar's counts read in one pass per set equal the filters' own counts, row by row."""

from __future__ import annotations

from pathlib import Path

from app.book import LeadBook
from app.query import QUALITY_FILTERS, QUALITY_SETS, ContactFilter
from tests.app.book_rows import import_rows

ROWS = [
    {"first_name": "Ada", "last_name": "One", "email": "ada@acme.com", "phone": "+14155550101"},
    {"first_name": "Bo", "last_name": "Two", "email": "not an email"},  # invalid email only
    {"first_name": "Cy", "last_name": "Three", "email": "cy@acme.com; broken@"},  # one of each
    {"first_name": "Di", "last_name": "Four", "phone": "12"},  # a phone no one can dial
    {"first_name": "Ed", "last_name": "Five"},  # nothing to reach him by
    {"first_name": "Flo", "last_name": "Six", "email": "flo@beta.org", "phone": "+442079460000"},
    {"first_name": "Gil", "last_name": "Seven", "email": "gil@beta.org"},
    {"first_name": "Hal", "last_name": "Eight", "phone": "+14155550199"},
]


def filter_counts(book: LeadBook) -> dict[str, int]:
    return {key: book.count(ContactFilter(quality=key)) for key in QUALITY_FILTERS}


def test_every_filter_has_its_set() -> None:
    assert set(QUALITY_SETS) == set(QUALITY_FILTERS)


def test_counts_equal_the_filters_through_deletes_merges_and_exports(
    book: LeadBook, tmp_path: Path
) -> None:
    ids = import_rows(book, "mixed.csv", *ROWS)
    expected = filter_counts(book)
    assert book.quality_counts() == expected
    # Each set is non-trivial here: a count of 0 or of every contact would prove little.
    assert all(0 < n < len(ROWS) for key, n in expected.items() if key != "not_exported")
    assert expected["not_exported"] == len(ROWS)

    book.export("hubspot", tmp_path / "first.csv", ContactFilter(ids=tuple(ids[:3])))
    book.delete_contacts([ids[1], ids[4]])  # an invalid email and a contact without points
    book.merge_contacts(ids[5], [ids[6]])  # Gil's email now counts for Flo, Gil is not live
    after = filter_counts(book)
    assert after != expected
    assert book.quality_counts() == after
    assert after["not_exported"] == book.count() - 2  # Ada and Cy; Bo is deleted


def test_status_counts_are_the_live_contacts_by_status(book: LeadBook) -> None:
    ids = import_rows(book, "mixed.csv", *ROWS)
    book.delete_contacts([ids[0]])
    book.set_status([ids[1], ids[2]], "MQL")
    assert book.status_counts() == {"New": len(ROWS) - 3, "MQL": 2}
    assert book.stats()["by_status"] == {"New": len(ROWS) - 3, "MQL": 2}


def test_counts_equal_the_snapshots_they_stand_for(book: LeadBook, tmp_path: Path) -> None:
    ids = import_rows(book, "mixed.csv", *ROWS)
    book.set_status(ids[:3], "MQL")
    book.add_tag(ids[2:5], "hot")
    book.delete_contacts([ids[0]])
    book.export("hubspot", tmp_path / "out.csv", ContactFilter(ids=(ids[1],)))
    filters = [
        ContactFilter(),
        ContactFilter(status="mql"),
        ContactFilter(tag="hot"),
        ContactFilter(search="acme"),
        ContactFilter(ids=tuple(ids[:4])),
        ContactFilter(not_exported_to="hubspot", exclude_do_not_contact=True),
        *(ContactFilter(quality=key) for key in QUALITY_FILTERS),
    ]
    for f in filters:
        assert book.count(f) == len(book.snapshot(f)), f
