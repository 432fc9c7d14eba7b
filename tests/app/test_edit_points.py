"""Editing a contact's email, phone and company (real SQLite): cleaned, kept, undone, redone."""

from __future__ import annotations

import pytest
from book_rows import import_rows as import_people
from book_rows import table_state

from app.book import LeadBook
from app.errors import InvalidValue, NotFound
from app.exact_match import find_exact
from app.query import ContactFilter

DATA_TABLES = ("contacts", "contact_points", "companies")


def import_rows(book: LeadBook, *rows: dict[str, str]) -> list[int]:
    return import_people(book, "people.csv", *rows)


def state(book: LeadBook) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an edit touches, plus the search index."""
    return table_state(book, DATA_TABLES)


def points(book: LeadBook, contact_id: int, kind: str) -> list[tuple[object, ...]]:
    return [
        tuple(r)
        for r in book.conn.execute(
            "SELECT raw, value, status, reason, is_primary FROM contact_points "
            "WHERE contact_id = ? AND kind = ? ORDER BY id",
            (contact_id, kind),
        )
    ]


def found(book: LeadBook, text: str) -> list[int]:
    return list(book.snapshot(ContactFilter(search=text)))


def indexed_emails(book: LeadBook, contact_id: int) -> str:
    row = book.conn.execute("SELECT emails FROM contacts_fts WHERE rowid = ?", (contact_id,))
    return str(row.fetchone()[0])


@pytest.fixture
def ana(book: LeadBook) -> int:
    (cid,) = import_rows(
        book,
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com", "phone": "020 7946 0958",
         "country": "GB", "company": "Acme Ltd"},
    )  # fmt: skip
    return cid


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("email", "  Ana.Ruiz@Globex.COM ", ("Ana.Ruiz@Globex.COM", "ana.ruiz@globex.com", "valid", "", 1)),
        ("email", "ana.ruiz@globex", ("ana.ruiz@globex", None, "invalid",
                                      "The part after the @-sign is not valid. It should have a period.", 0)),
        # Read with the contact's country (GB), not the book's default region (US).
        ("phone", "07400 123456", ("07400 123456", "+447400123456", "valid", "", 1)),
        ("phone", "07700 900123", ("07700 900123", "+447700900123", "risky", "not a valid number for GB", 1)),
        ("phone", "12", ("12", None, "invalid", "not a phone number", 0)),
    ],
)  # fmt: skip
def test_set_point_replaces_the_shown_value_and_keeps_an_invalid_one(
    book: LeadBook, ana: int, kind: str, typed: str, stored: tuple[object, ...]
) -> None:
    edit = book.set_point(ana, kind, typed)
    assert points(book, ana, kind) == [stored]
    assert (edit.changed, edit.status, edit.value, edit.also_on) == (
        True, stored[2], stored[1], None,
    )  # fmt: skip
    assert book.next_undo() is not None
    assert book.next_undo().label == f"Edit {kind} of contact #{ana}"


def test_set_point_undo_restores_exactly_and_redo_reapplies(book: LeadBook, ana: int) -> None:
    before = state(book)
    book.set_point(ana, "email", "ana.ruiz@globex.com")
    after = state(book)
    assert found(book, "globex") == [ana]
    assert indexed_emails(book, ana) == "ana.ruiz@globex.com"
    undone = book.undo()
    assert undone is not None and undone.contact_ids == (ana,)
    assert state(book) == before
    assert indexed_emails(book, ana) == "ana@acme.com"
    redone = book.redo()
    assert redone is not None and redone.label == f"Edit email of contact #{ana}"
    assert state(book) == after
    assert found(book, "globex") == [ana]


def test_set_point_adds_a_phone_to_a_contact_without_one_and_undo_removes_it(
    book: LeadBook,
) -> None:
    (cid,) = import_rows(book, {"first_name": "Li", "last_name": "Wei", "country": "DE"})
    before = state(book)
    edit = book.set_point(cid, "phone", "030 1234567")
    assert points(book, cid, "phone") == [("030 1234567", "+49301234567", "valid", "", 1)]
    after = state(book)
    book.undo()
    assert state(book) == before and points(book, cid, "phone") == []
    book.redo()
    assert state(book) == after
    row = book.conn.execute("SELECT contact_id FROM contact_points WHERE id = ?", (edit.point_id,))
    assert row.fetchone()[0] == cid  # the same point id again


def test_duplicate_email_is_saved_with_a_warning_and_moves_the_exact_key(book: LeadBook) -> None:
    first, second = import_rows(
        book,
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
        {"first_name": "Bo", "last_name": "Lind", "email": "bo@acme.com"},
    )
    edit = book.set_point(second, "email", "ANA@acme.com")
    assert (edit.changed, edit.also_on) == (True, first)
    assert points(book, second, "email") == [("ANA@acme.com", "ana@acme.com", "valid", "", 1)]
    assert find_exact(book.conn, [("email", "bo@acme.com")]) is None  # the old key is gone
    assert find_exact(book.conn, [("email", "ana@acme.com")]) == (first, "same email ana@acme.com")
    book.undo()
    assert find_exact(book.conn, [("email", "bo@acme.com")]) == (second, "same email bo@acme.com")


def test_set_point_replace_picks_the_point_and_a_valid_value_becomes_primary(
    book: LeadBook,
) -> None:
    (cid,) = import_rows(
        book, {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com; broken@"}
    )
    before = state(book)
    book.set_point(cid, "email", "ana@globex.com", replace="broken@")
    assert points(book, cid, "email") == [
        ("ana@acme.com", "ana@acme.com", "valid", "", 0),
        ("ana@globex.com", "ana@globex.com", "valid", "", 1),
    ]
    book.undo()
    assert state(book) == before
    with pytest.raises(NotFound, match=r"has no email 'gone@acme\.com' any more"):
        book.set_point(cid, "email", "x@acme.com", replace="gone@acme.com")


def test_unchanged_value_records_nothing_and_empty_text_removes_the_point(
    book: LeadBook, ana: int
) -> None:
    ops = len(book.history())
    edit = book.set_point(ana, "email", "ana@acme.com")
    assert (edit.changed, len(book.history())) == (False, ops)
    before = state(book)
    assert book.set_point(ana, "phone", "  ").changed
    assert points(book, ana, "phone") == []
    book.undo()
    assert state(book) == before


@pytest.mark.parametrize(
    ("kind", "contact", "error", "message"),
    [
        ("url", None, InvalidValue, "cannot edit a 'url' point; use email or phone"),
        ("email", 999, NotFound, "no contact with id 999"),
    ],
)
def test_set_point_refuses(
    book: LeadBook, ana: int, kind: str, contact: int | None, error: type, message: str
) -> None:
    before = state(book)
    with pytest.raises(error, match=message):
        book.set_point(contact or ana, kind, "x@y.com")
    assert state(book) == before


def test_a_deleted_contact_cannot_be_edited(book: LeadBook, ana: int) -> None:
    book.delete_contacts([ana])
    with pytest.raises(NotFound):
        book.set_company(ana, "Globex")


def company_of(book: LeadBook, contact_id: int) -> tuple[object, ...]:
    row = book.conn.execute(
        """SELECT co.id, co.name, co.name_norm FROM contacts c
           LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?""",
        (contact_id,),
    ).fetchone()
    return tuple(row)


def test_set_company_links_an_existing_company_by_normalized_name(book: LeadBook) -> None:
    ana, bo = import_rows(
        book,
        {"first_name": "Ana", "last_name": "Ruiz", "company": "Acme Ltd"},
        {"first_name": "Bo", "last_name": "Lind", "company": "Globex"},
    )
    acme = company_of(book, ana)
    before = state(book)
    edit = book.set_company(bo, "ACME, Ltd.")
    assert (edit.created, edit.changed, edit.name) == (False, True, "Acme Ltd")
    assert company_of(book, bo) == acme
    assert book.conn.execute("SELECT count(*) FROM companies").fetchone()[0] == 2
    assert sorted(found(book, "acme")) == [ana, bo]
    book.undo()
    assert state(book) == before
    assert book.set_company(ana, "acme").changed is False  # already there: nothing recorded


def test_set_company_creates_a_new_company_undo_removes_it_redo_brings_it_back(
    book: LeadBook, ana: int
) -> None:
    before = state(book)
    edit = book.set_company(ana, "  Initech   GmbH ")
    assert (edit.created, edit.name) == (True, "Initech GmbH")
    assert company_of(book, ana) == (edit.company_id, "Initech GmbH", "initech")
    assert found(book, "initech") == [ana]
    after = state(book)
    book.undo()
    assert state(book) == before
    book.redo()
    assert state(book) == after
    book.set_company(ana, "")
    assert company_of(book, ana) == (None, None, None)
    book.undo()
    assert state(book) == after


def test_erasure_leaves_no_edited_email_in_the_history(book: LeadBook, ana: int) -> None:
    book.set_point(ana, "email", "ana.old@globex.com")
    book.set_point(ana, "email", "")  # the point is gone; its earlier values are in the history
    book.erase([ana], backup_first=False)
    history = " ".join(
        f"{b} {a}" for b, a in book.conn.execute("SELECT before, after FROM changes")
    )
    assert "globex" not in history and "ana@acme.com" not in history


@pytest.mark.parametrize(
    ("listed", "kind", "typed", "message"),
    [
        ("bo@globex.com", "email", "Bo@Globex.com",
         "Bo@Globex.com is on the suppression list: this person asked not to be contacted, "
         "so the email was not saved"),
        ("globex.com", "email", "bo@mail.globex.com",
         "the domain of bo@mail.globex.com is on the suppression list"),
        ("+442079460000", "phone", "020 7946 0000", "020 7946 0000 is on the suppression list"),
    ],
)  # fmt: skip
def test_set_point_refuses_a_suppressed_value_and_changes_nothing(
    book: LeadBook, ana: int, listed: str, kind: str, typed: str, message: str
) -> None:
    book.suppress([listed], reason="asked by phone")
    before = state(book)
    with pytest.raises(InvalidValue, match=message):
        book.set_point(ana, kind, typed)
    assert state(book) == before
    assert book.set_point(ana, kind, "").changed  # removing a value is always allowed
