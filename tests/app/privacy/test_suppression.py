"""Suppression list and do-not-contact: hashed values, refused imports and hand entries, exports."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.book import LeadBook
from app.errors import InvalidValue
from app.privacy import exclusion_sql, guess_kind, normalize_value, suppressed_contact_ids
from importers.pipeline import ImportOptions, run_import
from tests.app.book_rows import rec


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("raw", "kind", "normalized"),
    [
        (" Ana.Lopez@Example.COM ", "email", "ana.lopez@example.com"),
        ("mailto:Bob@Acme.io", "email", "bob@acme.io"),
        ("+49 151 23456789", "phone", "+4915123456789"),
        ("020 7946 0958", "phone", "+442079460958"),
        ("WWW.Acme.COM", "domain", "acme.com"),
        ("@Competitor.co.uk", "domain", "competitor.co.uk"),
        ("https://Example.org/about", "domain", "example.org"),
    ],
)
def test_values_are_normalized_before_hashing(raw: str, kind: str, normalized: str) -> None:
    assert guess_kind(raw) == kind
    assert normalize_value(kind, raw, "GB") == normalized


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        ("not-an-email@", "email", "is not an email address"),
        ("12", "phone", "is not a phone number"),
        ("localhost", "domain", "is not a domain"),
    ],
)
def test_unreadable_values_are_refused(raw: str, kind: str, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        normalize_value(kind, raw, "GB")


def test_the_list_holds_hashes_never_values(book: LeadBook) -> None:
    assert book.suppress(["Ana@Example.com", "+44 20 7946 0958", "acme.com"], "complaint") == (3, 0)
    assert book.suppress(["ana@example.com"]) == (0, 1)
    rows = book.conn.execute("SELECT kind, hash, reason FROM suppression ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("email", sha("ana@example.com"), "complaint"),
        ("phone", sha("+442079460958"), "complaint"),
        ("domain", sha("acme.com"), "complaint"),
    ]
    raw = book.path.read_bytes()
    assert b"ana@example.com" not in raw.lower()


@pytest.mark.parametrize(
    ("suppressed", "fields", "reason"),
    [
        ("ana@example.com", {"email": "ANA@example.com"}, "suppressed (email)"),
        ("+442079460958", {"phone": "020 7946 0958"}, "suppressed (phone)"),
        ("example.com", {"email": "someone@example.com"}, "suppressed (domain)"),
        ("example.com", {"email": "someone@mail.example.com"}, "suppressed (domain)"),
    ],
)
def test_hand_entry_of_a_suppressed_person_is_refused(
    book: LeadBook, suppressed: str, fields: dict[str, str], reason: str
) -> None:
    book.suppress([suppressed], "asked us to stop")
    result = book.add_contact(rec(0, first_name="Ana", last_name="Lopez", **fields))
    assert result.action == "skipped"
    assert result.contact_id is None
    assert result.report.skipped_rows == [(0, reason)]
    assert book.count() == 0


def test_import_skips_suppressed_rows_and_never_merges_them(book: LeadBook, tmp_path: Path) -> None:
    book.add_contact(rec(first_name="Ana", last_name="Lopez", email="ana@example.com"))
    book.suppress(["ana@example.com", "+4915123456789", "spam.io"], "requested")
    csv = tmp_path / "people.csv"
    csv.write_text(
        "First Name,Last Name,Email,Phone\n"
        "Ana,Lopez,ana@example.com,\n"
        "Zoe,Brandt,zoe@brandt.io,+49 151 23456789\n"
        "Sam,Spam,sam@spam.io,\n"
        "Li,Wei,li.wei@fine.org,\n",
        encoding="utf-8",
    )
    report = run_import(book, csv, ImportOptions())
    assert (report.rows, report.added, report.merged, report.skipped) == (4, 1, 0, 3)
    assert report.skipped_rows == [
        (1, "suppressed (email)"),
        (2, "suppressed (phone)"),
        (3, "suppressed (domain)"),
    ]
    assert book.count() == 2
    ana = book.contacts()[0]
    assert [s.file for s in ana.sources] == ["(hand entry)"]


def test_suppression_file_one_value_per_line(book: LeadBook, tmp_path: Path) -> None:
    f = tmp_path / "dnc.txt"
    f.write_text("# exported from the ESP\nA@x.com\n\n+44 20 7946 0958\nbroken@\nx.org\n")
    result = book.import_suppression(f, reason="ESP unsubscribes")
    assert (result.added, result.already) == (3, 0)
    assert [(line, value) for line, value, _ in result.refused] == [(5, "broken@")]
    kinds = [r[0] for r in book.conn.execute("SELECT kind FROM suppression ORDER BY id")]
    assert kinds == ["email", "phone", "domain"]


def test_suppression_file_csv_column(book: LeadBook, tmp_path: Path) -> None:
    f = tmp_path / "unsubscribed.csv"
    f.write_text(
        "Name,E-mail,Date\nAna,ana@example.com,2026-01-01\nBob,bob@example.com,2026-01-02\n"
    )
    result = book.import_suppression(f, column="E-mail")
    assert (result.added, result.refused) == (2, [])
    assert book.add_contact(rec(first_name="Bob", email="bob@example.com")).action == "skipped"
    with pytest.raises(InvalidValue, match="no column 'Mail'"):
        book.import_suppression(f, column="Mail")


def test_export_exclusion_covers_suppressed_and_do_not_contact(book: LeadBook) -> None:
    ids = [
        book.add_contact(rec(first_name=n, email=f"{n.lower()}@{d}")).contact_id or 0
        for n, d in (
            ("Ana", "example.com"),
            ("Bob", "acme.com"),
            ("Cy", "fine.org"),
            ("Di", "ok.net"),
        )
    ]
    book.suppress(["ana@example.com", "acme.com"])
    assert book.set_do_not_contact([ids[2]], "unsubscribed") == 1
    assert suppressed_contact_ids(book.conn) == {ids[0], ids[1], ids[2]}
    assert book.export_exclusions() == {ids[0], ids[1], ids[2]}
    where = exclusion_sql(book.conn)
    kept = [r[0] for r in book.conn.execute(f"SELECT c.id FROM contacts c WHERE {where}")]
    assert kept == [ids[3]]
    reasons = [book.is_suppressed(book.get_contact(i)) for i in ids]
    assert reasons == ["suppressed (email)", "suppressed (domain)", "do not contact", None]


def test_export_file_leaves_suppressed_people_out(book: LeadBook, tmp_path: Path) -> None:
    book.add_contact(rec(first_name="Ana", last_name="Lopez", email="ana@example.com"))
    book.add_contact(rec(first_name="Li", last_name="Wei", email="li@fine.org"))
    book.suppress(["ana@example.com"])
    out = tmp_path / "out.csv"
    result = book.export("csv", out)
    text = out.read_text(encoding="utf-8-sig")
    assert result.rows == 1
    assert "li@fine.org" in text and "ana@example.com" not in text


def test_do_not_contact_is_undoable_and_needs_a_known_reason(book: LeadBook) -> None:
    cid = book.add_contact(rec(first_name="Ana", email="ana@example.com")).contact_id or 0
    with pytest.raises(InvalidValue, match="unknown reason 'angry'"):
        book.set_do_not_contact([cid], "angry")
    book.set_do_not_contact([cid], "bounced")
    row = book.conn.execute("SELECT do_not_contact, dnc_reason FROM contacts").fetchone()
    assert tuple(row) == (1, "bounced")
    undone = book.undo()
    assert undone is not None and undone.kind == "dnc"
    row = book.conn.execute("SELECT do_not_contact, dnc_reason FROM contacts").fetchone()
    assert tuple(row) == (0, "")
