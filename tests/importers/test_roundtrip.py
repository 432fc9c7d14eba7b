"""Leadsmith's own CSV export imported into a fresh book gives back the same contacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.book import LeadBook
from app.contact import Contact, RawRecord
from app.fields import CONTACT_COLUMNS
from importers.layouts import detect_layout
from importers.pipeline import ImportOptions, run_import
from importers.roundtrip import extra_key, split_multi, undo_neutralize


def rec(extra: dict[str, str] | None = None, **fields: str) -> RawRecord:
    r = RawRecord(row=0)
    for name, value in fields.items():
        r.add(name, name.replace("_", " ").title(), value)
        r.raw[name] = value
    r.extra.update(extra or {})
    return r


def fill(book: LeadBook) -> None:
    book.add_contact(
        rec(
            extra={"Twitter": "@ana", "Notes": "-from the badge scan", "Mobile": "07700 900999"},
            prefix="Dr.",
            first_name="Ana María",
            last_name="López-García",
            job_title="=Head of Sales",
            email="ana@acme.co.uk; ana.lopez@gmail.com; not-an-email",
            phone="+442079460958; call reception",
            mobile_phone="+447911123456",
            company="Acme Ltd",
            website="https://acme.co.uk",
            industry="Fintech",
            employees="250",
            annual_revenue="1500000.5",
            company_phone="+442079460000",
            linkedin_url="https://www.linkedin.com/in/ana-lopez",
            street="1 Finsbury Square",
            city="London",
            postal_code="EC2A 1AE",
            country="GB",
            status="MQL",
            lead_source="Trade show",
            legal_basis="Legitimate interest",
            notes="Met at the stand\n+ follow up in May",
            tags="Fintech; VIP",
        ),
        list_name="Berlin 2026",
    )
    book.add_contact(
        rec(
            first_name="Jürgen",
            last_name="Weiß",
            job_title="-Leiter Vertrieb",
            email="juergen@beispiel.de",
            phone="+49301234567",
            country="DE",
            website="https://www.linkedin.com/in/jweiss",
            linkedin_url="linkedin.com/company/acme",
        ),
        list_name="DACH",
    )
    book.add_contact(
        rec(full_name="李小龙", email="li@example.com", mobile_phone="+8613800138000", country="CN")
    )
    book.add_contact(rec(first_name="Ana María", email="ana@acme.co.uk"), list_name="DACH")


def points(contact: Contact) -> list[tuple[object, ...]]:
    return sorted(
        ((p.kind, p.raw, p.value or "", p.label, p.status, p.reason) for p in contact.points),
        key=repr,
    )


def person(contact: Contact) -> dict[str, object]:
    co = contact.company
    return {
        **{col: getattr(contact, col) for col in CONTACT_COLUMNS},
        "company": (co.name, co.domain, co.website, co.industry, co.employees),
        "company_more": (co.annual_revenue, co.phone, co.country),
        "points": points(contact),
        "primary": (contact.primary_email, contact.primary_phone, contact.linkedin_url),
        "tags": sorted(contact.tags),
        "lists": sorted(contact.lists),
        "extra": contact.extra,
    }


def test_export_then_import_into_a_fresh_book_keeps_every_field(tmp_path: Path) -> None:
    with LeadBook.open(tmp_path / "first.db") as first:
        first.default_region = "GB"
        fill(first)
        before = {c.display_name: person(c) for c in first.contacts()}
        out = tmp_path / "export.csv"
        first.export("csv", out)
    assert "'=Head of Sales" in out.read_text(encoding="utf-8-sig")  # neutralized in the file
    with LeadBook.open(tmp_path / "second.db") as second:
        second.default_region = "GB"
        report = run_import(second, out, ImportOptions())
        after = {c.display_name: person(c) for c in second.contacts()}
    assert (report.rows, report.added, report.merged, report.skipped) == (3, 3, 0, 0)
    assert after == before
    ana = after["Dr. Ana María López-García"]
    assert ana["job_title"] == "=Head of Sales"
    assert ana["extra"] == {
        "Twitter": "@ana",
        "Notes": "-from the badge scan",
        "Mobile": "07700 900999",
    }
    assert ana["lists"] == ["Berlin 2026", "DACH"]
    assert ana["company_more"] == (1500000.5, "+442079460000", "")
    assert ("email", "not-an-email", "", "work", "invalid", "missing @") in ana["points"]
    assert after["Jürgen Weiß"]["job_title"] == "-Leiter Vertrieb"
    assert ("url", "linkedin.com/company/acme", "", "linkedin", "invalid") in [
        p[:5]
        for p in after["Jürgen Weiß"]["points"]  # type: ignore[attr-defined]
    ]


def test_reimport_is_detected_and_undo_removes_its_list_memberships(tmp_path: Path) -> None:
    with LeadBook.open(tmp_path / "first.db") as first:
        fill(first)
        out = tmp_path / "export.csv"
        first.export("csv", out)
    with LeadBook.open(tmp_path / "second.db") as second:
        report = run_import(second, out, ImportOptions())
        assert report.format == "csv"
        assert sorted(second.lists()) == [("Berlin 2026", 1), ("DACH", 2)]
        second.undo()
        assert second.count() == 0
        assert sorted(second.lists()) == [("Berlin 2026", 0), ("DACH", 0)]


def test_importing_the_same_export_twice_merges_instead_of_duplicating(tmp_path: Path) -> None:
    with LeadBook.open(tmp_path / "first.db") as first:
        fill(first)
        out = tmp_path / "export.csv"
        first.export("csv", out)
    with LeadBook.open(tmp_path / "second.db") as second:
        run_import(second, out, ImportOptions())
        again = run_import(second, out, ImportOptions())
        assert (again.added, again.merged, second.count()) == (0, 3, 3)


def test_leadsmith_headers_are_recognized() -> None:
    headers = ["Leadsmith ID", "First Name", "Email", "Other Emails", "Tags"]
    assert detect_layout(headers) == "leadsmith_csv"
    assert detect_layout(["First Name", "Email", "Other Emails"]) != "leadsmith_csv"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("'=SUM(A1:A3)", "=SUM(A1:A3)"),
        ("'+44 20 7946", "+44 20 7946"),
        ("'-Leiter", "-Leiter"),
        ("'@ana", "@ana"),
        ("'\tindented", "\tindented"),
        ("''=x", "''=x"),  # the export never quotes a cell that starts with a quote
        ("'quoted", "'quoted"),  # a quote before plain text was the user's own
        ("O'Brien", "O'Brien"),
        ("'", "'"),
        ("", ""),
    ],
)
def test_undo_neutralize_takes_off_only_what_the_export_added(cell: str, value: str) -> None:
    assert undo_neutralize(cell) == value


@pytest.mark.parametrize(
    ("cell", "values"),
    [
        ("a@x.com; b@y.com", ["a@x.com", "b@y.com"]),
        ("Fintech, UK; VIP", ["Fintech, UK", "VIP"]),
        ("one;two", ["one;two"]),
        ("", []),
    ],
)
def test_split_multi_splits_on_the_export_separator_only(cell: str, values: list[str]) -> None:
    assert split_multi(cell) == values


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Extra: Notes", "Notes"),
        ("Extra: email", "email"),
        ("Extra: Badge", "Extra: Badge"),  # not a clash: the key really was "Extra: Badge"
        ("Twitter", "Twitter"),
    ],
)
def test_extra_key_inverts_the_clash_prefix(header: str, key: str) -> None:
    assert extra_key(header) == key
