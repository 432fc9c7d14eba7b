"""The flat SQL path of CSV presets writes exactly what the Contact path writes, byte for byte."""

from __future__ import annotations

import json
import random
from pathlib import Path

import openpyxl
import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.export import ExportResult, write_export
from app.export.compiled import can_stream
from app.export.source import BookContacts
from app.ingest import ImportMeta
from app.query import ContactFilter

FIRST = ["Ana", "=cmd", "-Bob", "@Cy", "Zoë", "", "  ", "Łukasz", "+Eve", "O'Neil"]
LAST = ["López", "Müller", "", "van den Berg", "X" * 90, "\tTab", "Ng", "Smith, Jr"]
EMAILS = ["ana{n}@acme.com", "Bob.Ray{n}@Beta.IO", "bad{n}@", "bob{n}@@x.com", "", "=x{n}@y.com"]
PHONES = [
    "+44 20 7946 0958",
    "020 7946 0123",
    "n/a",
    "",
    "+1 (555)",
    "07700 900123",
    "-12",
    "+49 30 1234567",
]
COMPANIES = ["Acme Inc", "", "=SUM(A1)", "Beta GmbH", "Gamma S.L."]
COUNTRIES = ["GB", "de", "Deutschland", "", "US", "xx", "ES"]
PREFIXES = ["", "Dr", "Mr", "Herr", "Prof."]
SOURCES = ["", "Web", "LinkedIn", "Referral", "-list"]
INDUSTRIES = ["", "Fintech", "Weird Industry", "Software"]
STATUSES = ["New", "MQL", "SAL", "SQL", "Opportunity", "Customer", "Recycled", "Disqualified"]


def _record(rng: random.Random, row: int) -> RawRecord:
    r = RawRecord(row=row)
    values = {
        "prefix": rng.choice(PREFIXES),
        "first_name": rng.choice(FIRST),
        "last_name": rng.choice(LAST),
        "email": rng.choice(EMAILS).format(n=row),
        "phone": rng.choice(PHONES),
        "mobile_phone": rng.choice(PHONES),
        "home_phone": rng.choice(["", "", "0161 496 0000"]),
        "company": rng.choice(COMPANIES),
        "job_title": rng.choice(["CMO", "", "=HYPERLINK(1)", "Head of Sales"]),
        "country": rng.choice(COUNTRIES),
        "city": rng.choice(["London", "", "Berlin"]),
        "street": rng.choice(["", "1 King's Road"]),
        "postal_code": rng.choice(["", "SW3 4XX"]),
        "lead_source": rng.choice(SOURCES),
        "industry": rng.choice(INDUSTRIES),
        "employees": rng.choice(["", "250", "2000000"]),
        "annual_revenue": rng.choice(["", "12500000", "1234.5"]),
        "linkedin_url": rng.choice(["", f"linkedin.com/in/ana-{row}", "not a url"]),
        "website": rng.choice(["", "https://acme.example", "=evil"]),
        "notes": rng.choice(["", "Met at\nMoney20/20", "=1+1", "a\r\nb"]),
        "tags": rng.choice(["", "fintech", "cmo, fintech"]),
    }
    for name, value in values.items():
        if value:
            r.add(name, name, value)
            r.raw[name] = value
    if rng.random() < 0.3:
        r.add("email", "email 2", rng.choice(EMAILS).format(n=row + 1000))
    if rng.random() < 0.3:
        r.extra["Connected On"] = rng.choice(["08 Feb 2026", "=x"])
    return r


@pytest.fixture
def varied(book: LeadBook) -> LeadBook:
    """A book of 120 contacts covering the awkward cases of every column a preset can name."""
    rng = random.Random(6)
    records = [_record(rng, i) for i in range(1, 121)]
    book.import_records(records, ImportMeta(file_name="varied.csv", list_name="Q3"))
    conn = book.conn
    ids = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
    # What an import cannot make but a book can hold: odd labels, statuses, numbers, extra keys.
    conn.execute("UPDATE contact_points SET label = '' WHERE id % 7 = 0 AND kind = 'phone'")
    conn.execute("UPDATE contact_points SET label = 'other' WHERE id % 11 = 0")
    conn.execute("UPDATE contact_points SET is_primary = 1 - is_primary WHERE id % 5 = 0")
    conn.execute("UPDATE contact_points SET status = 'invalid' WHERE id % 13 = 0")
    conn.execute("UPDATE contacts SET status = 'Weird' WHERE id % 17 = 0")
    conn.execute("UPDATE contacts SET score = id % 100, grade = 'B' WHERE id % 3 = 0")
    conn.execute("UPDATE companies SET employees = 12.5 WHERE id % 4 = 1")
    conn.execute("UPDATE contacts SET region = '-North', suffix = 'PhD' WHERE id % 9 = 0")
    conn.execute("UPDATE contacts SET middle_name = 'María' WHERE id % 8 = 0")
    conn.execute(
        "INSERT INTO contact_points(contact_id, kind, raw, value, label, status) "
        "VALUES (?, 'url', 'example.org/me', 'https://example.org/me', 'website', 'valid')",
        (ids[2],),
    )
    for i, status in zip(ids[::10], STATUSES, strict=False):
        conn.execute("UPDATE contacts SET status = ? WHERE id = ?", (status, i))
    book.add_tag(ids[::4], "vip")
    book.create_list("Fintech CMOs")
    book.add_to_list(ids[::3], "Fintech CMOs")
    book.update_contact(ids[5], {"do_not_contact": 1, "dnc_reason": "unsubscribed"})
    gone = RawRecord(row=0)
    gone.add("first_name", "First", "Sue")
    gone.add("email", "Email", "suppressed@acme.com")
    book.add_contact(gone)
    book.suppress(["suppressed@acme.com"], reason="bounced")
    return book


def _slow_export(
    book: LeadBook, name: str, out: Path, f: ContactFilter, skip_invalid: bool
) -> ExportResult:
    """The Contact path the flat path replaces: full Contacts through `_record`."""
    selection = book.export_selection(f, name)
    ids = book.snapshot(selection)
    contacts = BookContacts(book.conn, ids, book.export_exclusions())
    return write_export(
        book.presets()[name],
        (c for c in contacts),  # a plain iterable of Contacts takes the Contact path
        out,
        skip_invalid=skip_invalid,
        total=len(ids),
        extra_keys=book.extra_keys(selection),
    )


def _content(path: Path) -> object:
    if path.read_bytes()[:2] != b"PK":
        return path.read_bytes()
    # An XLSX zip holds its creation time: compare the cells.
    with path.open("rb") as fh:
        sheet = openpyxl.load_workbook(fh, read_only=True).active
        assert sheet is not None
        return [[c.value for c in row] for row in sheet.iter_rows()]


def _same(fast: ExportResult, slow: ExportResult) -> None:
    assert [_content(p) for p in fast.files] == [_content(p) for p in slow.files]
    assert [p.name for p in fast.files] == [p.name for p in slow.files]
    assert (fast.rows, fast.skipped) == (slow.rows, slow.skipped)
    assert (fast.warnings, fast.warning_count) == (slow.warnings, slow.warning_count)


PRESETS = sorted(p.stem for p in (Path(__file__).parents[3] / "resources" / "crm").glob("*.toml"))


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("skip_invalid", [True, False])
def test_every_preset_writes_the_same_bytes_both_ways(
    varied: LeadBook, tmp_path: Path, name: str, skip_invalid: bool
) -> None:
    (tmp_path / "fast").mkdir()
    (tmp_path / "slow").mkdir()
    fast = varied.export(name, tmp_path / "fast" / "out.csv", skip_invalid=skip_invalid)
    slow = _slow_export(varied, name, tmp_path / "slow" / "out.csv", ContactFilter(), skip_invalid)
    _same(fast, slow)
    live = varied.count(ContactFilter())
    assert fast.rows + len({p.contact_id for p in fast.skipped}) == live - 2  # DNC, suppressed


def test_the_flat_path_is_taken_by_every_crm_csv_preset(varied: LeadBook) -> None:
    streamed = sorted(n for n, p in varied.presets().items() if can_stream(p))
    assert streamed == [
        "dynamics365",
        "google-csv",
        "hubspot",
        "outlook-csv",
        "pipedrive",
        "salesforce-dataloader",
        "salesforce-wizard",
        "zoho",
    ]


def test_split_and_selection_are_the_same_both_ways(varied: LeadBook, tmp_path: Path) -> None:
    varied.set_setting("export_overrides", json.dumps({"salesforce-wizard": {"max_rows": 3}}))
    f = ContactFilter(list_name="Fintech CMOs", sort="name", descending=True)
    (tmp_path / "fast").mkdir()
    (tmp_path / "slow").mkdir()
    fast = varied.export("salesforce-wizard", tmp_path / "fast" / "leads.csv", f)
    slow = _slow_export(varied, "salesforce-wizard", tmp_path / "slow" / "leads.csv", f, True)
    _same(fast, slow)
    assert len(fast.files) == -(-fast.rows // 3) and len(fast.files) > 2


def test_flat_export_never_writes_do_not_contact_or_suppressed(
    varied: LeadBook, tmp_path: Path
) -> None:
    out = tmp_path / "hs.csv"
    varied.export("hubspot", out)
    text = out.read_text(encoding="utf-8")
    assert "suppressed@acme.com" not in text and "Sue" not in text
    dnc = varied.conn.execute("SELECT id FROM contacts WHERE do_not_contact = 1").fetchall()
    assert len(dnc) == 1
    members = {r[0] for r in varied.conn.execute("SELECT contact_id FROM export_members")}
    assert dnc[0][0] not in members and members
