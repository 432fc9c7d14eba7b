"""Exports through the book: selection, do-not-contact, only-new, history, and the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.errors import InvalidValue
from app.ingest import ImportMeta
from app.query import ContactFilter
from ui.cli import run


def rec(row: int, **values: str) -> RawRecord:
    r = RawRecord(row=row)
    for name, value in values.items():
        r.add(name, name, value)
        r.raw[name] = value
    return r


@pytest.fixture
def filled(book: LeadBook) -> LeadBook:
    book.import_records(
        [
            rec(
                1,
                first_name="Ana",
                last_name="López",
                email="ana@acme.com",
                company="Acme",
                phone="+44 20 7946 0958",
                job_title='=HYPERLINK("x")',
            ),
            rec(2, first_name="Bob", last_name="Ray", email="bob@beta.io", company="Beta"),
            rec(3, first_name="Cy", last_name="Zed", email="cy@gamma.org", company="Gamma"),
        ],
        ImportMeta(file_name="people.csv", list_name="Q3"),
    )
    return book


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_generic_csv_is_safe_and_keeps_clean_phones(filled: LeadBook, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = filled.export("csv", out)
    rows = read_csv(out)
    assert result.rows == 3 and len(rows) == 4
    header = rows[0]
    ana = dict(zip(header, rows[1], strict=False))
    assert ana["Job Title"] == '\'=HYPERLINK("x")'
    assert ana["Work Phone"] == "+442079460958"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_do_not_contact_is_never_exported(filled: LeadBook, tmp_path: Path) -> None:
    bob = filled.contacts(ContactFilter(search="bob"))[0]
    filled.update_contact(bob.id or 0, {"do_not_contact": 1, "dnc_reason": "unsubscribed"})
    result = filled.export("csv", tmp_path / "out.csv")
    assert result.rows == 2
    assert "bob@beta.io" not in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")


def test_only_new_exports_each_contact_once_per_preset(filled: LeadBook, tmp_path: Path) -> None:
    assert filled.export("hubspot", tmp_path / "a.csv", only_new=True).rows == 3
    filled.add_contact(rec(0, first_name="Dee", last_name="New", email="dee@delta.com"))
    assert filled.export("hubspot", tmp_path / "b.csv", only_new=True).rows == 1
    assert filled.export("salesforce-wizard", tmp_path / "c.csv", only_new=True).rows >= 1
    history = filled.exports()
    assert [(h["preset"], h["rows"]) for h in history][:2] == [
        ("salesforce-wizard", history[0]["rows"]),
        ("hubspot", 1),
    ]


def test_unknown_format_names_the_choices(filled: LeadBook, tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match=r"unknown format 'crm9'.*hubspot"):
        filled.export("crm9", tmp_path / "x.csv")


def test_cli_export_json(
    filled: LeadBook, book_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filled.close()
    out = tmp_path / "sf.csv"
    code = run(
        [
            "--db",
            str(book_path),
            "export",
            "--format",
            "salesforce-wizard",
            "--out",
            str(out),
            "--list",
            "Q3",
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["rows"] == 3 and doc["files"] == [str(out)]
    rows = read_csv(out)
    assert rows[0][:5] == ["Salutation", "First Name", "Last Name", "Title", "Company"]
    ana = dict(zip(rows[0], rows[1], strict=False))
    assert (ana["Last Name"], ana["Company"], ana["Lead Status"]) == (
        "López",
        "Acme",
        "Open - Not Contacted",
    )
    code = run(["--db", str(book_path), "formats", "--json"])
    names = {f["name"] for f in json.loads(capsys.readouterr().out)["formats"]}
    assert {"csv", "hubspot", "salesforce-wizard", "vcard4", "xlsx", "json"} <= names


def test_leaving_out_invalid_emails_is_a_filter_not_an_id_list(
    filled: LeadBook, tmp_path: Path
) -> None:
    filled.add_contact(rec(0, first_name="Bad", last_name="Mail", email="bad@", company="Delta"))
    f = ContactFilter(exclude_invalid_email=True)
    names = [c.first_name for c in filled.contacts(f)]
    assert "Bad" not in names and len(names) == 3
    assert filled.export("csv", tmp_path / "ok.csv", f).rows == 3
