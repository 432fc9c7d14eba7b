"""The Details dock: the selected contact's fields with validation badges, its sources, and the
history dialog with "Undo last change"."""

from __future__ import annotations

import pytest
from desktop_data import seed

from app.book import LeadBook
from ui.desktop.history_dialog import describe_change


def point_cells(window) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """(kind, badge, value, tooltip) of every email/phone/URL the panel shows."""
    return [
        (p.kind, p.badge.text(), p.value.text(), p.badge.toolTip()) for p in window.details.points
    ]


def test_panel_shows_an_invalid_email_with_its_reason_and_follows_the_selection(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 6)  # person3@ has no domain; 0123 is a risky phone
    ids = list(book.snapshot())
    window = make_window()
    assert window.detail_dock.windowTitle() == "Details"
    assert window.details.contact is None
    window.view.selectRow(3)
    # The panel follows the selection once it rests (a short debounce for keyboard paging).
    qtbot.waitUntil(lambda: window.details.contact is not None)
    values = window.details.values
    assert window.details.contact is not None and window.details.contact.id == ids[3]
    assert (values["name"].text(), values["company"].text()) == ("Ann3 Smith00003", "Acme 3")
    assert (values["job_title"].text(), values["status"].text()) == ("Head of Sales", "New")
    assert values["do_not_contact"].text() == "No"
    assert point_cells(window) == [
        ("email", "✗", "person3@", "Invalid: nothing after the @"),
        ("phone", "✓", "+44 20 7946 0003", "Valid\nAs given: 020 7946 0003"),
    ]
    assert values["sources"].text().startswith("seed.csv, row 4 — added ")
    window.view.selectRow(5)
    qtbot.waitUntil(lambda: window.details.values is not values)  # refilled for the new contact
    assert window.details.values["name"].text() == "Ann5 Smith00005"
    email, phone = point_cells(window)
    assert email == ("email", "✓", "person5@acme5.com", "Valid")
    assert phone == ("phone", "!", "+44 0123", "Risky: not a valid number for GB\nAs given: 0123")
    window.view.clearSelection()
    qtbot.waitUntil(lambda: window.details.contact is None)
    assert not window.details.history_button.isEnabled()


def test_panel_shows_do_not_contact_tags_and_lists(make_window, book: LeadBook) -> None:
    seed(book, 2)
    ids = list(book.snapshot())
    book.create_list("Webinar")
    book.add_to_list([ids[1]], "Webinar")
    book.set_do_not_contact([ids[1]], "unsubscribed")
    window = make_window()
    window.select_ids([ids[1]])
    values = window.details.values
    assert (values["do_not_contact"].text(), values["lists"].text()) == ("Yes", "Webinar")
    assert values["tags"].text() == "—"


def test_history_lists_an_edit_and_undo_reverts_it(make_window, book: LeadBook) -> None:
    seed(book, 5)
    cid = list(book.snapshot())[2]
    book.update_contact(cid, {"job_title": "CTO"})
    window = make_window()
    window.select_ids([cid])
    assert window.details.values["job_title"].text() == "CTO"
    dialog = window.details.open_history()
    assert dialog is not None
    last = dialog.table.rowCount() - 1
    cells = [dialog.table.item(last, c).text() for c in (1, 2, 3)]
    assert cells[1:] == [f"Edit contact #{cid}", "job_title: “Head of Sales” → “CTO”"]
    assert dialog.table.item(0, 2).text() == "Import seed.csv"
    assert dialog.undo_button.isEnabled()
    dialog.undo_button.click()
    assert book.get_contact(cid).job_title == "Head of Sales"
    assert window.details.values["job_title"].text() == "Head of Sales"
    assert window.model.data(window.model.index(2, 4)) == "Head of Sales"
    assert window.statusBar().currentMessage() == f"Undone: Edit contact #{cid}"
    assert dialog.table.item(last, 2).text() == f"Edit contact #{cid} (undone)"


def test_undo_is_disabled_when_the_last_change_is_another_contacts(
    make_window, book: LeadBook
) -> None:
    seed(book, 5)
    first, second = list(book.snapshot())[:2]
    book.update_contact(first, {"city": "Leeds"})
    book.update_contact(second, {"city": "York"})
    window = make_window()
    window.select_ids([first])
    dialog = window.details.open_history()
    assert dialog is not None
    assert not dialog.undo_button.isEnabled()
    assert dialog.undo_button.toolTip() == (
        f"The book's last operation (Edit contact #{second}) did not touch this contact: "
        "undo it first with Edit → Undo."
    )
    assert dialog.undo_last() is None
    assert book.get_contact(first).city == "Leeds"


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ({"table": "contacts", "before": {"status": "New", "updated_at": "a"},
          "after": {"status": "SQL", "updated_at": "b"}}, "status: “New” → “SQL”"),
        ({"table": "contacts", "before": {"city": ""}, "after": {"city": "Leeds"}},
         "city: (empty) → “Leeds”"),
        ({"table": "contact_points", "before": None,
          "after": {"kind": "email", "raw": "a@b.io"}}, "added email “a@b.io”"),
        ({"table": "contact_tags", "before": {"name": "vip"}, "after": None},
         "removed tag “vip”"),
        ({"table": "contacts", "label": "Import leads.csv", "before": None,
          "after": {"action": "added", "import_id": 1}}, "Added by Import leads.csv"),
    ],
)  # fmt: skip
def test_describe_change(entry: dict[str, object], text: str) -> None:
    assert describe_change(entry) == text


def test_open_a_contacts_history_and_undo_a_merge_from_it(make_window, book: LeadBook) -> None:
    seed(book, 5)
    survivor, merged = list(book.snapshot())[:2]
    before = (book.get_contact(survivor), book.get_contact(merged))
    book.merge_contacts(survivor, [merged])
    window = make_window()
    assert window.model.rowCount() == 4
    window.select_ids([survivor])
    dialog = window.details.open_history()
    assert dialog is not None
    last = dialog.table.rowCount() - 1
    assert "Merge" in dialog.table.item(last, 2).text()
    assert dialog.undo_button.isEnabled()
    dialog.undo_button.click()
    assert (book.get_contact(survivor), book.get_contact(merged)) == before
    assert window.model.rowCount() == 5
    assert dialog.table.item(last, 2).text().endswith("(undone)")
