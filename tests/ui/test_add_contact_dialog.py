"""The New contact form: live validation, the duplicate banner, and what Save writes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.book import LeadBook
from app.contact import RawRecord
from ui.desktop import theme
from ui.desktop.add_contact_dialog import AddContactDialog


def make_dialog(qtbot, book: LeadBook) -> AddContactDialog:
    dialog = AddContactDialog(book)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def add_ana(book: LeadBook) -> int:
    rec = RawRecord(row=0)
    rec.add("first_name", "First name", "Ana")
    rec.add("last_name", "Last name", "López")
    rec.add("email", "Email", "ana@x.com")
    result = book.add_contact(rec)
    assert result.contact_id is not None
    return result.contact_id


def test_email_message_appears_while_typing_and_clears_when_valid(qtbot, book: LeadBook) -> None:
    dialog = make_dialog(qtbot, book)
    assert dialog.message_text("email") == ""
    qtbot.keyClicks(dialog.edits["email"], "ana@")
    qtbot.waitUntil(lambda: dialog.message_text("email") == "✗ invalid: nothing after the @")
    assert theme.hex_color("invalid") in dialog.messages["email"].styleSheet()  # red
    qtbot.keyClicks(dialog.edits["email"], "x.com")
    qtbot.waitUntil(lambda: dialog.message_text("email") == "✓ valid")
    dialog.edits["email"].clear()
    qtbot.waitUntil(lambda: dialog.message_text("email") == "")


@pytest.mark.parametrize(
    ("field", "typed", "shown"),
    [
        ("email", "ana.acme.com", "✗ invalid: missing @"),
        ("email", "ana@mailinator.com", "⚠ risky: disposable address"),
        ("phone", "12", "✗ invalid: not a phone number"),
        ("phone", "0123", "⚠ risky: not a valid number for GB"),
        ("phone", "020 7946 0958", "✓ valid"),
        ("mobile_phone", "07700 900123", "⚠ risky: not a valid number for GB"),
        ("linkedin_url", "linkedin.com/company/acme",
         "✗ invalid: not a LinkedIn profile URL (linkedin.com/in/…)"),
        ("linkedin_url", "linkedin.com/in/ana-lopez", "✓ valid"),
        ("website", "acme.com", ""),  # no point to vouch for: nothing shown
    ],
)  # fmt: skip
def test_field_checks(qtbot, book: LeadBook, field: str, typed: str, shown: str) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.edits[field], typed)
    dialog.validate()  # what the 200 ms timer does
    assert dialog.message_text(field) == shown


def test_save_needs_a_name_or_an_email(qtbot, book: LeadBook) -> None:
    dialog = make_dialog(qtbot, book)
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.edits["company"], "Acme")
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.edits["last_name"], "Lopez")
    assert dialog.save_button.isEnabled()
    dialog.edits["last_name"].clear()
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.edits["email"], "a@b.com")
    assert dialog.save_button.isEnabled()


def test_fields_have_accessible_names(qtbot, book: LeadBook) -> None:
    dialog = make_dialog(qtbot, book)
    names = [edit.accessibleName() for edit in dialog.edits.values()]
    assert names == ["First name", "Last name", "Email", "Phone", "Mobile", "Company", "Job title",
                     "Country", "LinkedIn URL", "Website"]  # fmt: skip


def test_duplicate_banner_and_merge_by_default(qtbot, book: LeadBook) -> None:
    ana = add_ana(book)
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.edits["email"], "ANA@x.com")
    qtbot.waitUntil(lambda: dialog.duplicate_text() != "")
    assert (
        dialog.duplicate_text() == f"Already in the book: #{ana} Ana López (same email ana@x.com)"
    )
    assert dialog.merge_choice.isChecked()
    qtbot.keyClicks(dialog.edits["job_title"], "CMO")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.added is not None and dialog.added.action == "merged"
    assert dialog.added.contact_id == ana
    assert book.count() == 1
    assert book.get_contact(ana).job_title == "CMO"


def test_add_anyway_keeps_a_second_contact(qtbot, book: LeadBook) -> None:
    add_ana(book)
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.edits["first_name"], "Ana")
    qtbot.keyClicks(dialog.edits["email"], "ana@x.com")
    qtbot.waitUntil(lambda: dialog.duplicate_text() != "")
    dialog.keep_choice.setChecked(True)
    assert dialog.on_duplicate() == "keep"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(
            dialog.edits["first_name"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert dialog.added is not None and dialog.added.action == "added"
    assert book.count() == 2


def test_banner_goes_away_when_the_email_changes(qtbot, book: LeadBook) -> None:
    add_ana(book)
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.edits["email"], "ana@x.com")
    qtbot.waitUntil(lambda: dialog.duplicate_text() != "")
    qtbot.keyClicks(dialog.edits["email"], "u")
    qtbot.waitUntil(lambda: dialog.duplicate_text() == "")
    assert dialog.on_duplicate() == "merge"


def test_invalid_values_are_kept_with_their_status(qtbot, book: LeadBook) -> None:
    dialog = make_dialog(qtbot, book)
    qtbot.keyClicks(dialog.edits["first_name"], "Bo")
    qtbot.keyClicks(dialog.edits["email"], "bo@")
    qtbot.keyClick(dialog.edits["email"], Qt.Key.Key_Return)  # Enter saves (Save is the default)
    assert dialog.added is not None and dialog.added.contact_id is not None
    contact = book.get_contact(dialog.added.contact_id)
    assert [(p.raw, p.status, p.reason) for p in contact.emails] == [
        ("bo@", "invalid", "nothing after the @")
    ]
    assert book.count() == 1
