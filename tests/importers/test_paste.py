"""Rows pasted from a spreadsheet: with a header row, without one, and imported into a book."""

from __future__ import annotations

import pytest

from app.book import LeadBook
from app.errors import InvalidFile
from app.ingest import ImportMeta
from importers.mapping import to_record
from importers.paste import open_pasted

NO_HEADER = (
    "Sarah O'Neill\tsarah.oneill@revolut.com\t+44 20 7946 0000\t"
    "https://www.linkedin.com/in/sarahoneill\trevolut.com\tRevolut\n"
    "\n"
    "David Chen\tdavid@monzo.com\t020 7946 0001\tlinkedin.com/in/davidchen\tmonzo.com\tMonzo\n"
)


def test_rows_without_a_header_get_numbered_columns_and_a_guessed_mapping() -> None:
    source = open_pasted(NO_HEADER)
    assert (source.format, source.has_header, source.delimiter) == ("paste", False, "\t")
    assert source.headers == [f"Column {i}" for i in range(1, 7)]
    assert [(m.column, m.field) for m in source.mapping] == [
        ("Column 1", "full_name"),
        ("Column 2", "email"),
        ("Column 3", "phone"),
        ("Column 4", "linkedin_url"),
        ("Column 5", "website"),
        ("Column 6", None),
    ]
    assert list(source.rows()) == [
        (
            1,
            [
                "Sarah O'Neill",
                "sarah.oneill@revolut.com",
                "+44 20 7946 0000",
                "https://www.linkedin.com/in/sarahoneill",
                "revolut.com",
                "Revolut",
            ],
        ),
        (
            3,
            [
                "David Chen",
                "david@monzo.com",
                "020 7946 0001",
                "linkedin.com/in/davidchen",
                "monzo.com",
                "Monzo",
            ],
        ),
    ]


def test_rows_with_a_header_and_a_quoted_cell() -> None:
    # Excel quotes a cell that holds a line break when it copies it.
    text = 'First Name\tLast Name\tEmail\tNotes\nJosé\tÁlvarez\tjose@bbva.com\t"Call\nafter 3pm"\n'
    source = open_pasted(text)
    assert source.has_header is True
    assert source.headers == ["First Name", "Last Name", "Email", "Notes"]
    assert [(m.column, m.field) for m in source.mapping] == [
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        ("Email", "email"),
        ("Notes", "notes"),
    ]
    assert list(source.rows()) == [(1, ["José", "Álvarez", "jose@bbva.com", "Call\nafter 3pm"])]


@pytest.mark.parametrize(
    ("text", "has_header", "mapping"),
    [
        ("Ana\tLópez\tana@telefonica.es\n", False, ["first_name", "last_name", "email"]),
        ("Email\tPhone\nana@telefonica.es\t+34 612 345 678\n", True, ["email", "phone"]),
        ("Name\tEmail\nLiam Byrne\tliam@stripe.com\n", True, ["full_name", "email"]),
        # A first row holding an email is data, whatever the other cells say.
        ("Name\tliam@stripe.com\n", False, [None, "email"]),
    ],
)
def test_header_or_not(text: str, has_header: bool, mapping: list[str | None]) -> None:
    source = open_pasted(text)
    assert source.has_header is has_header
    assert [m.field for m in source.mapping] == mapping


def test_header_can_be_forced() -> None:
    source = open_pasted("Ana\tLópez\nLiam\tByrne\n", has_header=True)
    assert source.headers == ["Ana", "López"]
    assert list(source.rows()) == [(1, ["Liam", "Byrne"])]


def test_nothing_pasted() -> None:
    with pytest.raises(InvalidFile) as caught:
        open_pasted("\n \n")
    assert str(caught.value) == "(pasted rows): nothing was pasted."


def test_pasted_rows_end_to_end(book: LeadBook) -> None:
    source = open_pasted(NO_HEADER)
    records = [to_record(n, cells, source.headers, source.mapping) for n, cells in source.rows()]
    meta = ImportMeta(
        file_name="(pasted rows)",
        format=source.format,
        headers=source.headers,
        mapping={m.column: m.field or "" for m in source.mapping},
    )
    report = book.import_records(records, meta)
    assert (report.rows, report.added) == (2, 2)
    people = {c.first_name: c for c in book.contacts()}
    sarah, david = people["Sarah"], people["David"]
    assert (sarah.last_name, sarah.primary_email, sarah.primary_phone) == (
        "O'Neill",
        "sarah.oneill@revolut.com",
        "+442079460000",
    )
    assert sarah.linkedin_url == "https://www.linkedin.com/in/sarahoneill"
    assert sarah.company.domain == "revolut.com"
    assert sarah.extra == {"Column 6": "Revolut"}
    assert (david.last_name, david.primary_phone) == ("Chen", "+442079460001")
    assert david.linkedin_url == "https://www.linkedin.com/in/davidchen"
