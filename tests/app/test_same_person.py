"""Rows without an email or LinkedIn key: matched to a namesake by a shared email or phone text.

An import first asks a SeenTexts of every stored email/phone text and skips the namesake lookup
when none of the row's texts is there. These tests hold that shortcut to the plain lookup.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from book_rows import rec

import app.ingest
from app.book import LeadBook
from app.contact import RawRecord
from app.exact_match import SeenTexts, stored_person_texts
from app.ingest import ImportMeta


def _meta() -> ImportMeta:
    return ImportMeta(file_name="people.csv", headers=["x"])


def _outcome(book: LeadBook, import_id: int | None) -> list[tuple[int, int, str]]:
    """(row, contact, action) for every row an import stored."""
    return [
        (int(row), int(cid), str(action))
        for row, cid, action in book.conn.execute(
            "SELECT row_number, contact_id, action FROM contact_sources WHERE import_id = ? "
            "ORDER BY row_number",
            (import_id,),
        )
    ]


def test_seen_texts_never_misses_a_text_and_rarely_claims_one() -> None:
    rng = random.Random(7)
    texts = SeenTexts(20_000)
    added = [("phone", f"+{rng.randrange(10**11, 10**12)}") for _ in range(10_000)]
    for kind, text in added:
        texts.see("Ana", "Ruiz", kind, text, "")
    assert all(texts.may_hold("Ana", "Ruiz", [key]) for key in added)
    absent = [("phone", f"+{rng.randrange(10**12, 10**13)}") for _ in range(20_000)]
    assert sum(texts.may_hold("Ana", "Ruiz", [key]) for key in absent) < 200  # ~0.3 % expected
    assert sum(texts.may_hold("Bo", "Ruiz", [key]) for key in added) < 100  # another name


def test_seen_texts_holds_the_value_and_the_raw_text_under_a_case_blind_name() -> None:
    texts = SeenTexts(10)
    texts.see("Ana", "Ruiz", "email", None, "ana@@acme.com")
    texts.see("Ana", "Ruiz", "phone", "+442079460958", "020 7946 0958")
    for first, last in [("Ana", "Ruiz"), ("ANA", "ruiz"), ("ana", "RUIZ")]:
        assert texts.may_hold(first, last, [("email", "ana@@acme.com")])
        assert texts.may_hold(first, last, [("phone", "x"), ("phone", "+442079460958")])
        assert texts.may_hold(first, last, [("phone", "020 7946 0958")])
    assert not texts.may_hold("Ana", "Ruiz", [("email", "+442079460958"), ("phone", "")])
    assert not texts.may_hold("Ana", "Ruiz", [])


def test_stored_texts_come_from_emails_and_phones_only(book: LeadBook) -> None:
    book.add_contact(
        rec(
            first_name="Ana",
            last_name="Ruiz",
            email="Ana@Acme.com",
            phone="+34 612 345 678",
            linkedin_url="linkedin.com/in/ana",
        )
    )
    texts = stored_person_texts(book.conn, 100)
    for key in [
        ("email", "ana@acme.com"),
        ("email", "Ana@Acme.com"),
        ("phone", "+34612345678"),
        ("phone", "+34 612 345 678"),
    ]:
        assert texts.may_hold("ana", "ruiz", [key])
        assert not texts.may_hold("Ana", "Ruiz-Diaz", [key])
    assert not texts.may_hold("Ana", "Ruiz", [("url", "https://www.linkedin.com/in/ana")])


def test_a_row_without_keys_finds_a_namesake_stored_written_or_merged_earlier(
    book: LeadBook,
) -> None:
    ana = book.add_contact(rec(first_name="Ana", last_name="Ruiz", phone="+34 612 345 678"))
    bo = book.add_contact(rec(first_name="Bo", last_name="Lind", email="bo@@lind.se"))
    dan = book.add_contact(rec(first_name="Dan", email="dan@oak.io", phone="+1 415 555 0100"))
    rows = [
        rec(1, first_name="ana", last_name="RUIZ", phone="+34612345678"),  # stored: its value
        rec(2, first_name="Bo", last_name="Lind", email="bo@@lind.se"),  # stored: invalid, raw
        rec(3, first_name="Cy", last_name="Moe", phone="+44 20 7946 0958"),  # new
        # Next chunk: row 3 is written by now; row 4 adds a mobile to Ana, stored before.
        rec(
            4, first_name="Ana", last_name="Ruiz", phone="+34612345678", mobile_phone="+34699000111"
        ),
        rec(5, first_name="Cy", last_name="Moe", phone="020 7946 0958"),  # row 3, GB number
        rec(6, first_name="Eve", last_name="Ode", phone="+33 1 23 45 67 89"),  # new
        # Next chunk: Ana's mobile came from row 4's merge; Eve's number from row 6.
        rec(7, first_name="Ana", last_name="Ruiz", mobile_phone="+34 699 000 111"),
        rec(8, first_name="Eve", last_name="Ode", phone="+33123456789"),
        rec(9, first_name="Ana", last_name="Ruiz", phone="+34 600 000 000"),  # a namesake only
        # Dan gets his last name from row 10's email match; row 13 knows him only by it.
        rec(10, first_name="Dan", last_name="Oak", email="dan@oak.io"),
        rec(11, first_name="Fay", last_name="Po"),
        rec(12, first_name="Gus", last_name="Qi"),
        rec(13, first_name="Dan", last_name="Oak", phone="+14155550100"),
    ]
    session = book.begin_import(_meta())
    for at in range(0, len(rows), 3):
        session.add(rows[at : at + 3])
    # The shortcut is in use: these rows are exactly what it must not get wrong.
    assert session._person_texts is not None
    report = session.finish()
    assert (report.added, report.merged) == (5, 8)
    by_row = {row: cid for row, cid, _ in _outcome(book, report.import_id)}
    assert by_row[1] == by_row[4] == by_row[7] == ana.contact_id
    assert by_row[2] == bo.contact_id
    assert by_row[3] == by_row[5] != by_row[6] == by_row[8]
    assert by_row[9] not in (ana.contact_id, by_row[3], by_row[6])
    assert by_row[10] == by_row[13] == dan.contact_id


def _namesake_rows(rng: random.Random, start: int, count: int) -> list[RawRecord]:
    """Rows of a few common names with phones, some shared, and some with no email or phone."""
    names = [("John", "Smith"), ("Maria", "Garcia"), ("Wei", "Zhang")]
    rows = []
    for n in range(start, start + count):
        first, last = rng.choice(names)
        roll = rng.random()
        if roll < 0.1:
            rows.append(rec(n, first_name=first, last_name=last, company=rng.choice("ABC")))
            continue
        phone = f"+44 20 7946 {rng.randrange(0, 400):04d}"
        values = {"first_name": first, "last_name": last, "phone": phone}
        if roll < 0.2:
            values["email"] = f"{first}.{rng.randrange(0, 50)}@@broken"  # invalid: raw text only
        rows.append(rec(n, **values))
    return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_imports_match_the_same_rows_with_and_without_the_shortcut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # Namesakes well past the lookup's 50 candidates, numbers shared among some of them, rows
    # with no email or phone at all: both books must end up with every row on the same contact.
    outcomes = []
    for shortcut in (True, False):
        if not shortcut:  # never worth building: every lookup goes to SQL, as before
            monkeypatch.setattr(app.ingest, "_POINTS_SCANNED_PER_ASK", -1)
        rng = random.Random(seed)
        with LeadBook.open(tmp_path / f"book_{shortcut}.db") as book:
            book.default_region = "GB"
            first = book.import_records(_namesake_rows(rng, 1, 400), _meta(), chunk=50)
            second = book.import_records(_namesake_rows(rng, 401, 400), _meta(), chunk=50)
            outcomes.append(
                (_outcome(book, first.import_id), _outcome(book, second.import_id), book.count())
            )
    assert outcomes[0] == outcomes[1]
    merged = [action for _, _, action in outcomes[0][1]].count("merged")
    assert 50 < merged < 390  # both ways are exercised
