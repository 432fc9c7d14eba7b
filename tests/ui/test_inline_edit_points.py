"""Inline editing of email, phone and company in the contacts table; the four extra columns."""

from __future__ import annotations

import pytest
from desktop_data import seed
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush, QIcon, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView
from test_inline_edit import edit_cell

from app.book import LeadBook
from ui.desktop.contact_columns import COLUMNS

EMAIL, PHONE, COMPANY = 1, 2, 3
DECORATION = Qt.ItemDataRole.DecorationRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def stored_points(book: LeadBook, contact_id: int, kind: str) -> list[tuple[object, ...]]:
    saved = LeadBook.open(book.path)  # what another reader of the file sees: it was committed
    try:
        return [
            tuple(r)
            for r in saved.conn.execute(
                "SELECT raw, value, status FROM contact_points WHERE contact_id = ? AND kind = ?",
                (contact_id, kind),
            )
        ]
    finally:
        saved.close()


def test_edit_an_email_by_keyboard_saves_it_and_ctrl_z_restores_it(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 3)
    window = make_window()
    model = window.model
    cid = model.id_at(1)
    edit_cell(qtbot, window, 1, EMAIL, "Ana.Lopez@Globex.com")
    assert model.data(model.index(1, EMAIL)) == "ana.lopez@globex.com"
    assert stored_points(book, cid, "email") == [
        ("Ana.Lopez@Globex.com", "ana.lopez@globex.com", "valid")
    ]
    assert window.statusBar().currentMessage() == f"Saved contact #{cid} — Ctrl+Z to undo"
    assert model.data(model.index(1, EMAIL), DECORATION) is None  # a valid email: no badge
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.data(model.index(1, EMAIL)) == "person1@acme1.com"
    assert window.statusBar().currentMessage() == f"Undone: Edit email of contact #{cid}"
    assert stored_points(book, cid, "email") == [
        ("person1@acme1.com", "person1@acme1.com", "valid")
    ]


def test_an_invalid_email_is_kept_with_its_badge_and_reason(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 3)
    window = make_window()
    model = window.model
    cid = model.id_at(0)
    reason = "The part after the @-sign is not valid. It should have a period."
    edit_cell(qtbot, window, 0, EMAIL, "ana@globex")
    assert model.data(model.index(0, EMAIL)) == "ana@globex"
    assert isinstance(model.data(model.index(0, EMAIL), DECORATION), QIcon)
    assert isinstance(model.data(model.index(0, EMAIL), FOREGROUND), QBrush)
    assert model.data(model.index(0, EMAIL), TOOLTIP) == f"Invalid email: {reason}"
    assert window.statusBar().currentMessage() == (
        f"Saved contact #{cid} — invalid email: {reason} — Ctrl+Z to undo"
    )
    assert stored_points(book, cid, "email") == [("ana@globex", None, "invalid")]


def test_fixing_an_invalid_email_clears_its_badge(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 4)  # row 3's email "person3@" is invalid
    window = make_window()
    model = window.model
    assert isinstance(model.data(model.index(3, EMAIL), DECORATION), QIcon)
    edit_cell(qtbot, window, 3, EMAIL, "person3@acme3.com")
    assert model.data(model.index(3, EMAIL)) == "person3@acme3.com"
    assert model.data(model.index(3, EMAIL), DECORATION) is None
    assert stored_points(book, model.id_at(3), "email") == [
        ("person3@acme3.com", "person3@acme3.com", "valid")
    ]


def test_an_email_already_on_another_contact_is_saved_with_a_warning(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 3)
    window = make_window()
    first, third = window.model.id_at(0), window.model.id_at(2)
    edit_cell(qtbot, window, 2, EMAIL, "person0@acme0.com")
    assert window.model.data(window.model.index(2, EMAIL)) == "person0@acme0.com"
    assert window.statusBar().currentMessage() == (
        f"Saved contact #{third} — also on contact #{first} — Ctrl+Z to undo"
    )


def test_edit_a_phone_reads_it_as_e164_and_an_invalid_one_gets_a_badge(
    qtbot, make_window, book: LeadBook
) -> None:
    seed(book, 2)
    window = make_window()
    model = window.model
    cid = model.id_at(0)
    edit_cell(qtbot, window, 0, PHONE, "+49 30 1234567")
    assert model.data(model.index(0, PHONE)) == "+49 30 1234567"
    assert stored_points(book, cid, "phone") == [("+49 30 1234567", "+49301234567", "valid")]
    edit_cell(qtbot, window, 0, PHONE, "12")
    assert model.data(model.index(0, PHONE)) == "12"
    assert isinstance(model.data(model.index(0, PHONE), DECORATION), QIcon)
    assert window.statusBar().currentMessage() == (
        f"Saved contact #{cid} — invalid phone: not a phone number — Ctrl+Z to undo"
    )
    window.undo()
    assert model.data(model.index(0, PHONE)) == "+49 30 1234567"


@pytest.mark.parametrize(
    ("typed", "shown", "message", "companies"),
    [
        ("ACME 1, Inc.", "Acme 1", "linked to Acme 1", 2),
        ("Initech GmbH", "Initech GmbH", "new company Initech GmbH", 3),
        ("", "", "company removed", 2),
    ],
)
def test_edit_a_company_links_or_creates_it_and_undo_restores(
    qtbot, make_window, book: LeadBook, typed: str, shown: str, message: str, companies: int
) -> None:
    seed(book, 2)  # Acme 0, Acme 1
    window = make_window()
    model = window.model
    cid = model.id_at(0)
    edit_cell(qtbot, window, 0, COMPANY, typed)
    assert model.data(model.index(0, COMPANY)) == shown
    assert (
        window.statusBar().currentMessage() == f"Saved contact #{cid} — {message} — Ctrl+Z to undo"
    )
    assert book.conn.execute("SELECT count(*) FROM companies").fetchone()[0] == companies
    window.undo()
    assert model.data(model.index(0, COMPANY)) == "Acme 0"
    assert book.conn.execute("SELECT count(*) FROM companies").fetchone()[0] == 2


def test_show_the_tags_column_from_the_chooser(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 3)
    ids = list(book.snapshot())
    book.add_tag(ids[:2], "vip")
    book.add_tag(ids[1:2], "fintech")
    window = make_window()
    tags = [title for title, _attr, _sort in COLUMNS].index("Tags")
    assert window.view.isColumnHidden(tags)
    action = next(a for a in window.columns.actions if a.text() == "Tags")
    action.trigger()
    assert not window.view.isColumnHidden(tags)
    assert window.columns.visible_titles()[-1] == "Tags"
    shown = [window.model.data(window.model.index(r, tags)) for r in range(3)]
    assert shown == ["vip", "fintech, vip", ""]
    assert window.model.sort_column() == -1
    window.view.sortByColumn(tags, Qt.SortOrder.AscendingOrder)  # Tags cannot be sorted
    assert window.model.ids.tolist() == ids


def test_the_extra_columns_show_city_source_and_created(qapp, book: LeadBook) -> None:
    from ui.desktop.contact_table_model import ContactTableModel

    seed(book, 1)
    book.update_contact(book.snapshot()[0], {"city": "Lyon"})
    model = ContactTableModel(book)
    titles = [title for title, _attr, _sort in COLUMNS]
    row = {t: model.data(model.index(0, titles.index(t))) for t in ("City", "Source", "Created")}
    assert row["City"] == "Lyon" and row["Source"] == "seed.csv"
    assert len(row["Created"]) == len("2026-11-22 19:55") and row["Created"][4] == "-"


def test_a_layout_saved_before_the_new_columns_falls_back_to_the_defaults(
    qtbot, make_window, book: LeadBook, settings: QSettings
) -> None:
    # What an older Leadsmith saved: an 8-column header with Phone hidden, under the old key.
    old = QTableView()
    qtbot.addWidget(old)
    old.setModel(QStandardItemModel(0, 8))
    old.horizontalHeader().setSectionHidden(2, True)
    settings.setValue("main_window/table_header", old.horizontalHeader().saveState())
    seed(book, 2)
    window = make_window()
    header: QHeaderView = window.view.horizontalHeader()
    assert header.count() == 12
    assert window.columns.visible_titles() == [
        "Name", "Email", "Phone", "Company", "Job title", "Country", "Status", "Score",
    ]  # fmt: skip
    assert [a.isChecked() for a in window.columns.actions] == [True] * 8 + [False] * 4
    next(a for a in window.columns.actions if a.text() == "City").trigger()
    window.shutdown()
    again = make_window()
    assert again.columns.visible_titles()[-1] == "City"
