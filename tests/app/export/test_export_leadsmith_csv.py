"""The generic Leadsmith CSV: the whole contact, lossless, raw text where nothing normalized."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.contact import Contact, ContactPoint
from app.export import (
    LEADSMITH_CSV_COLUMNS,
    Preset,
    leadsmith_csv_header,
    leadsmith_csv_row,
    row_values,
    write_export,
)


def test_header_is_fixed_columns_then_extra_keys() -> None:
    assert leadsmith_csv_header(["Connected On", "Badge", "Connected On"]) == [
        *LEADSMITH_CSV_COLUMNS, "Connected On", "Badge",
    ]  # fmt: skip


def test_an_extra_key_that_clashes_with_a_fixed_column_is_marked() -> None:
    assert leadsmith_csv_header(["notes"])[-1] == "Extra: notes"


def test_row_holds_the_whole_contact(contact: Contact) -> None:
    row = dict(
        zip(
            leadsmith_csv_header(["Connected On"]),
            leadsmith_csv_row(contact, ["Connected On"]),
            strict=True,
        )
    )
    assert row == {
        "Leadsmith ID": "42",
        "Prefix": "Dr",
        "First Name": "Ana María",
        "Middle Name": "",
        "Last Name": "López",
        "Suffix": "",
        "Job Title": "Chief Marketing Officer",
        "Seniority": "C-level",
        "Department": "Marketing",
        "Company": "Northwind Analytics, Inc.",
        "Website": "https://northwind.example",
        "Company Domain": "northwind.example",
        "Industry": "Financial Services",
        "Employees": "250",
        "Annual Revenue": "12500000",
        "Company Phone": "+442079460000",
        "Company Country": "GB",
        "Email": "ana.lopez@northwind.example",
        "Other Emails": "ana@@home",
        "Work Phone": "+442079460123",
        "Mobile Phone": "+447700900123",
        "Home Phone": "",
        "Other Phones": "",
        "LinkedIn URL": "https://www.linkedin.com/in/ana-lopez",
        "Other URLs": "",
        "Street": "1 King's Road",
        "City": "London",
        "State/Region": "Greater London",
        "Postal Code": "SW3 4XX",
        "Country": "GB",
        "Lead Source": "Purchased List",
        "Status": "SQL",
        "Score": "87",
        "Grade": "A",
        "Legal Basis": "legitimate interest",
        "Tags": "fintech; cmo",
        "Lists": "UK fintech CMOs",
        "Notes": "Met at Money20/20",
        "Created At": "2026-02-08T10:15:00+00:00",
        "Updated At": "2026-02-09T11:00:00+00:00",
        "Points As Typed": (
            '[["email", "Ana.Lopez@Northwind.example", "work", 1, "ana.lopez@northwind.example"], '
            '["email", "ana@@home", "home", 0], '
            '["phone", "020 7946 0123", "work", 0, "+442079460123"], '
            '["phone", "07700 900123", "mobile", 0, "+447700900123"], '
            '["url", "linkedin.com/in/ana-lopez", "linkedin", 0, '
            '"https://www.linkedin.com/in/ana-lopez"]]'
        ),
        "Connected On": "08 Feb 2026",
    }


def test_unnormalized_values_are_written_as_their_raw_text() -> None:
    contact = Contact(
        points=[
            ContactPoint("email", "bob at example", None, "work", status="invalid"),
            ContactPoint("phone", "call reception", None, "work", status="invalid"),
            ContactPoint("phone", "+33 1 23", None, "home", status="invalid"),
            ContactPoint("phone", "+14155550100", "+14155550100", "work"),
            ContactPoint("phone", "+14155550101", "+14155550101", "other"),
            ContactPoint("url", "linkedin.com/in/?x", None, "linkedin", status="invalid"),
            ContactPoint("url", "https://bob.example", "https://bob.example", "website"),
        ]
    )
    row = dict(zip(LEADSMITH_CSV_COLUMNS, leadsmith_csv_row(contact, []), strict=True))
    assert (row["Email"], row["Work Phone"], row["Home Phone"]) == (
        "bob at example", "call reception", "'+33 1 23",
    )  # fmt: skip
    assert row["Other Phones"] == "+14155550100; +14155550101"  # clean E.164 list: untouched
    assert (row["LinkedIn URL"], row["Other URLs"]) == ("linkedin.com/in/?x", "https://bob.example")


@pytest.mark.parametrize(
    ("notes", "written"),
    [("=1+2", "'=1+2"), ("-not a formula", "'-not a formula"), ("plain", "plain")],
)
def test_free_text_is_neutralized(notes: str, written: str) -> None:
    row = leadsmith_csv_row(Contact(notes=notes, extra={"Memo": "@SUM(1)"}), ["Memo"])
    assert (row[LEADSMITH_CSV_COLUMNS.index("Notes")], row[-1]) == (written, "'@SUM(1)")


def test_row_values_of_the_csv_preset_is_the_generic_row(
    presets: dict[str, Preset], contact: Contact
) -> None:
    assert row_values(presets["csv"], contact) == leadsmith_csv_row(contact, [])


def test_file_reads_back_with_the_csv_module(
    presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    contact.notes = 'Line one\nLine "two", with comma'
    out = tmp_path / "all.csv"
    write_export(presets["csv"], [contact], out, extra_keys=["Connected On"])
    with out.open(encoding="utf-8-sig", newline="") as fh:
        (record,) = list(csv.DictReader(fh))
    assert record["Notes"] == 'Line one\nLine "two", with comma'
    assert record["First Name"] == "Ana María"
    assert record["Connected On"] == "08 Feb 2026"
