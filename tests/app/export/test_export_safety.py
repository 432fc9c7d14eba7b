"""Formula injection (OWASP, FORMATS §8): free text neutralized, clean E.164 phones untouched."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from app.contact import Company, Contact, ContactPoint
from app.export import Preset, is_clean_e164, neutralize_cell, write_export


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+SUM(1)", "'+SUM(1)"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\ncmd", "'\ncmd"),
        ("\0cmd", "'\0cmd"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("Ana = CMO", "Ana = CMO"),  # only the first character matters
        ("O'Brien", "O'Brien"),
        ("", ""),
    ],
)
def test_neutralize_cell(value: str, expected: str) -> None:
    assert neutralize_cell(value) == expected


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("+447700900123", True),
        ("+1234567", True),
        ("+123456789012345", True),
        ("+12345", False),  # too short
        ("+1234567890123456", False),  # 16 digits
        ("+44 7700 900123", False),
        ("+SUM(1)", False),
        ("447700900123", False),
        ("+447700900123\n", False),
    ],
)
def test_is_clean_e164(value: str, clean: bool) -> None:
    assert is_clean_e164(value) is clean


# OWASP's examples: the written CSV field is quoted, prefixed with ' and has "" for ".
OWASP = [
    ('=1+2";=1+2', '"\'=1+2"";=1+2"'),
    ("=1+2'\" ;,=1+2", '"\'=1+2\'"" ;,=1+2"'),
]


@pytest.mark.parametrize(("value", "field"), OWASP)
def test_owasp_examples_in_a_written_csv(
    value: str, field: str, presets: dict[str, Preset], tmp_path: Path
) -> None:
    out = tmp_path / "leads.csv"
    write_export(
        presets["salesforce-wizard"],
        [Contact(first_name=value, last_name="Ana", company=Company(name="Acme"))],
        out,
    )
    data_line = out.read_bytes().decode("utf-8").split("\r\n")[1]
    assert data_line.startswith("," + field + ",Ana,,Acme,")


@pytest.mark.parametrize(
    ("raw", "e164", "written"),
    [
        ("07700 900123", "+447700900123", "+447700900123"),  # validated: untouched
        ("+SUM(1)", None, "'+SUM(1)"),  # not a phone: neutralized
        ("+44 (0)20 7946", None, "'+44 (0)20 7946"),  # unvalidated text starting with +
        ("020 7946 0123", None, "020 7946 0123"),
    ],
)
def test_phones_in_a_crm_export(
    raw: str, e164: str | None, written: str, presets: dict[str, Preset], tmp_path: Path
) -> None:
    contact = Contact(last_name="Ng", company=Company(name="Acme"))
    contact.points.append(ContactPoint("phone", raw, e164, "mobile"))
    out = tmp_path / "leads.csv"
    write_export(presets["hubspot"], [contact], out)
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert rows[0]["Mobile Phone Number"] == written
