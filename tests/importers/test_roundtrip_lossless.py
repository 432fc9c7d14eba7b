"""A Leadsmith CSV export re-imports with every field it carries: typed text, labels, order."""

from __future__ import annotations

from pathlib import Path

from app.book import LeadBook
from app.contact import Contact, RawRecord
from app.fields import CONTACT_COLUMNS
from importers.pipeline import ImportOptions, run_import


def rec(**fields: str) -> RawRecord:
    r = RawRecord(row=0)
    for name, value in fields.items():
        r.add(name, name.replace("_", " ").title(), value)
        r.raw[name] = value
    return r


def fill(book: LeadBook) -> None:
    book.add_contact(
        rec(
            first_name="Ana",
            last_name="López",
            email="Ana.Lopez@Acme.CO.UK; ANA@gmail.com",
            phone="020 7946 0958; 0161 496 0000",
            mobile_phone="07700 900 123",
            home_phone="+44 (0)20 7946 0001",
            company="Acme Ltd",
            company_phone="020 7946 0000",
            linkedin_url="linkedin.com/in/ana-lopez/",
            country="GB",
            tags="VIP",
        ),
        list_name="Q3",
    )
    book.add_contact(
        rec(first_name="Bob", email="=bob@beta.io", phone="call reception", country="GB")
    )
    book.add_contact(rec(first_name="Cy", mobile_phone="+1 415 555 0100", country="US"))
    conn = book.conn
    # Labels and primary flags an import never makes but an edit or a merge can.
    conn.execute("UPDATE contact_points SET label = 'other' WHERE raw = '0161 496 0000'")
    conn.execute("UPDATE contact_points SET label = 'home' WHERE raw = 'ANA@gmail.com'")
    conn.execute("UPDATE contact_points SET is_primary = 1 WHERE raw = '07700 900 123'")
    conn.execute("UPDATE contact_points SET is_primary = 0 WHERE raw = '020 7946 0958'")


def everything(c: Contact) -> dict[str, object]:
    """Every field the Leadsmith CSV carries (not the exporting book's ids, scores, times)."""
    co = c.company
    return {
        **{col: getattr(c, col) for col in CONTACT_COLUMNS},
        "company": (co.name, co.domain, co.website, co.industry, co.employees, co.annual_revenue),
        "company_more": (co.phone, co.country),
        "points": [
            (p.kind, p.raw, p.value, p.label, p.is_primary, p.status, p.reason) for p in c.points
        ],
        "tags": c.tags,
        "lists": c.lists,
        "extra": c.extra,
    }


def test_every_field_of_every_contact_survives_export_and_import(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    with LeadBook.open(tmp_path / "first.db") as first:
        first.default_region = "GB"
        fill(first)
        before = [everything(c) for c in first.contacts()]
        assert first.export("csv", out).rows == 3
    with LeadBook.open(tmp_path / "second.db") as second:
        second.default_region = "GB"
        report = run_import(second, out, ImportOptions())
        after = [everything(c) for c in second.contacts()]
    assert (report.added, report.skipped) == (3, 0)
    assert after == before
    ana = [p[:5] for p in after[0]["points"]]  # type: ignore[attr-defined]
    assert ana[:3] == [  # typed text, labels and primary flags, in the same order
        ("email", "Ana.Lopez@Acme.CO.UK", "ana.lopez@acme.co.uk", "work", True),
        ("phone", "07700 900 123", "+447700900123", "mobile", True),
        (
            "url",
            "linkedin.com/in/ana-lopez/",
            "https://www.linkedin.com/in/ana-lopez",
            "linkedin",
            True,
        ),
    ]
    assert ("email", "ANA@gmail.com", "ana@gmail.com", "home", False) in ana
    assert ("phone", "0161 496 0000", "+441614960000", "other", False) in ana


def test_an_edited_visible_cell_wins_over_the_typed_details(tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    with LeadBook.open(tmp_path / "first.db") as first:
        first.default_region = "GB"
        first.add_contact(rec(first_name="Dee", email="Dee@Delta.com", country="GB"))
        first.export("csv", out)
    text = out.read_text(encoding="utf-8-sig").replace(",dee@delta.com,", ",dee@epsilon.com,")
    out.write_text(text, encoding="utf-8-sig")
    with LeadBook.open(tmp_path / "second.db") as second:
        run_import(second, out, ImportOptions())
        (dee,) = second.contacts()
    assert [(p.raw, p.value) for p in dee.emails] == [("dee@epsilon.com", "dee@epsilon.com")]
