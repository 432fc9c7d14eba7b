"""first_ids: a search's first page read from the FTS match set in order, equal to page_ids."""

from __future__ import annotations

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta
from app.query import ContactFilter, fast_fts_query, first_ids, fts_query, page_ids

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


@pytest.mark.parametrize(
    "f",
    [
        ContactFilter(search="n", sort="name"),
        ContactFilter(search="n", sort="company", descending=True),
        ContactFilter(search="n", status="New"),
        ContactFilter(search="d", quality="no_email"),
    ],
)
def test_other_sorts_and_filters_take_the_general_plan(book: LeadBook, f: ContactFilter) -> None:
    fill(book)
    assert first_ids(book.conn, f, 5) == page_ids(book.conn, f, 5)
