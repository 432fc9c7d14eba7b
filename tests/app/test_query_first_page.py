"""first_ids: a search's first page read from the FTS match set in order, equal to page_ids."""

from __future__ import annotations

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta
from app.query import (
    QUALITY_FILTERS,
    SEARCH_LETTERS,
    SORT_KEYS,
    ContactFilter,
    fast_fts_query,
    first_ids,
    first_page_walk,
    fts_query,
    page_ids,
    prepare_letter,
)

PEOPLE = [
    ("Nadia", "Nelson", "nadia@north.com", "Northwind"),
    ("Nils", "Ångström", "nils@nord.se", "Nordic AB"),
    ("Ñeco", "Núñez", "neco@nube.es", "Nube SL"),
    ("Ann", "N", "ann.n@acme.com", "Acme"),
    ("Mia", "Nquist", "mia@9lives.com", "9 Lives"),
    ("Bob", "Brown", "bob@brown.com", "Brown & Co"),
    ("Dana", "Davis", "dana@davis.io", "Davis Data"),
    ("Noor", "Naidu", "", "N2 Labs"),
]


def fill(book: LeadBook, copies: int = 3) -> None:
    records = []
    for k in range(copies):
        for i, (first, last, email, company) in enumerate(PEOPLE):
            rec = RawRecord(row=k * len(PEOPLE) + i + 1)
            rec.add("first_name", "First name", first)
            rec.add("last_name", "Last name", f"{last}{k}" if k else last)
            rec.add("email", "Email", email.replace("@", f"{k}@") if email else "")
            rec.add("company", "Company", company)
            records.append(rec)
    book.import_records(records, ImportMeta(file_name="people.csv"))


@pytest.mark.parametrize("search", ["n", "N", "d", "n a", "a n", "9", "ne", "nel", "nels",
                                    "ñ", "Ång", "x", "z", "n d", "  ", "brown n"])  # fmt: skip
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("limit", [1, 4, 100])
def test_first_page_equals_the_general_plan(
    book: LeadBook, search: str, descending: bool, limit: int
) -> None:
    fill(book)
    f = ContactFilter(search=search, descending=descending)
    assert first_ids(book.conn, f, limit) == page_ids(book.conn, f, limit)


def test_one_letter_words_read_the_two_letter_prefixes(book: LeadBook) -> None:
    fill(book, copies=1)
    query = fast_fts_query(book.conn, "n Brown")
    # "n0" from "ann.n0@acme.com", "nu" from "Núñez" (diacritics removed): read from the index.
    assert query == (
        '("n" OR "n0"* OR "n2"* OR "na"* OR "ne"* OR "ni"* OR "no"* OR "nq"* OR "nu"*) AND "Brown"*'
    )
    assert fts_query("n Brown") == '"n"* "Brown"*'  # what every other query still uses


def test_deleted_and_merged_contacts_are_not_in_the_first_page(book: LeadBook) -> None:
    fill(book)
    f = ContactFilter(search="n")
    before = first_ids(book.conn, f, 100)
    book.delete_contacts(before[:2])
    after = first_ids(book.conn, f, 100)
    assert after == before[2:] == page_ids(book.conn, f, 100)


def test_a_new_second_letter_is_found_after_a_write(book: LeadBook) -> None:
    fill(book, copies=1)
    f = ContactFilter(search="n")
    assert len(first_ids(book.conn, f, 100)) == 6
    rec = RawRecord(row=1)
    rec.add("first_name", "First name", "Nkechi")  # "nk": no term started so before
    rec.add("last_name", "Last name", "Okafor")
    book.import_records([rec], ImportMeta(file_name="more.csv"))
    ids = first_ids(book.conn, f, 100)  # the cached prefixes of "n" are read again
    assert len(ids) == 7 and ids == page_ids(book.conn, f, 100)


def narrow(book: LeadBook) -> None:
    """Sidebar material: a status, a tag, a list and a do-not-contact flag on some contacts."""
    ids = book.snapshot()
    book.set_status(ids[::3], "MQL")
    book.add_tag(ids[1::2], "fintech")
    book.create_list("Q3")
    book.add_to_list(ids[::4], "Q3")
    book.conn.execute("UPDATE contacts SET do_not_contact = 1 WHERE id = ?", (ids[5],))
    book.conn.commit()


SEARCHES = ["n", "d", "ne", "n a", "brown n", "x"]
NARROWED = [
    {"status": "MQL"},
    {"status": "new"},  # the sidebar's statuses match whatever the case
    {"tag": "fintech"},
    {"list_name": "Q3"},
    {"list_name": "Q3", "tag": "fintech"},
    {"tag": "nobody"},
    *({"quality": key} for key in QUALITY_FILTERS),
    {"exclude_do_not_contact": True},
    {"status": "MQL", "quality": "no_email"},
]


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("narrowed", NARROWED)
@pytest.mark.parametrize("descending", [False, True])
def test_a_search_narrowed_by_the_sidebar_walks_the_matches_in_order(
    book: LeadBook, search: str, narrowed: dict[str, object], descending: bool
) -> None:
    fill(book, copies=4)
    narrow(book)
    f = ContactFilter(search=search, descending=descending, **narrowed)  # type: ignore[arg-type]
    expected = page_ids(book.conn, f, None)
    for limit in (1, 5, 100):
        assert first_ids(book.conn, f, limit) == expected[:limit]


@pytest.mark.parametrize("sort", [key for key in SORT_KEYS if key != "id"])
@pytest.mark.parametrize("narrowed", [{}, {"status": "MQL"}, {"tag": "fintech"}])
@pytest.mark.parametrize("descending", [False, True])
def test_other_sorts_take_the_general_plan(
    book: LeadBook, sort: str, narrowed: dict[str, object], descending: bool
) -> None:
    fill(book)
    narrow(book)
    f = ContactFilter(search="n", sort=sort, descending=descending, **narrowed)  # type: ignore[arg-type]
    assert first_ids(book.conn, f, 5) == page_ids(book.conn, f, 5)


@pytest.mark.parametrize("narrowed", NARROWED)
def test_the_narrowed_walk_never_sorts_the_match_set(
    book: LeadBook, narrowed: dict[str, object]
) -> None:
    fill(book)
    narrow(book)
    walk = first_page_walk(book.conn, ContactFilter(search="n", **narrowed), 5)  # type: ignore[arg-type]
    assert walk is not None
    sql, args = walk
    plan = [str(row[3]) for row in book.conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)]
    assert plan[0].startswith("SCAN contacts_fts VIRTUAL TABLE")
    assert not any("TEMP B-TREE" in step for step in plan)  # no ORDER BY over every match


@pytest.mark.parametrize(
    "f",
    [ContactFilter(), ContactFilter(search="  "), ContactFilter(status="New"),
     ContactFilter(search="n", sort="name"), ContactFilter(search="n", sort="score")],
)  # fmt: skip
def test_no_search_or_another_sort_takes_the_general_plan(book: LeadBook, f: ContactFilter) -> None:
    fill(book)
    assert first_page_walk(book.conn, f, 5) is None
    assert first_ids(book.conn, f, 5) == page_ids(book.conn, f, 5)


def test_letters_prepared_ahead_search_the_same(book: LeadBook) -> None:
    fill(book)
    for letter in [*SEARCH_LETTERS, "ñ", "é"]:
        prepare_letter(book.conn, letter)  # what the table lane reads while the window is idle
    for search in ["n", "d", "9", "z", "ñ"]:
        f = ContactFilter(search=search)
        assert first_ids(book.conn, f, 100) == page_ids(book.conn, f, 100)
    book.delete_contacts(book.snapshot()[:3])  # the book moved: prepared prefixes are re-read
    f = ContactFilter(search="n")
    assert first_ids(book.conn, f, 100) == page_ids(book.conn, f, 100)
