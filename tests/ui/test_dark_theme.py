"""Light and dark on every screen: status and highlight colours come from the theme, switch live,
and keep WCAG AA contrast (4.5:1) against the text or background they meet, in both schemes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from desktop_data import seed
from lead_data import import_prospects
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from app.book import LeadBook
from app.contact import RawRecord
from app.dedupe import DuplicateGroup
from importers.mapping import ColumnMapping
from ui.desktop import theme
from ui.desktop.add_contact_dialog import AddContactDialog
from ui.desktop.duplicate_compare import (
    DIFFERS,
    FIELD_ROWS,
    PICKED,
    RESULT,
    CompareTable,
    GroupList,
    GroupRecords,
    group_item,
)
from ui.desktop.history_dialog import HistoryDialog
from ui.desktop.import_wizard.mapping_model import MappingTableModel
from ui.desktop.review_mode import ReviewDialog

BADGE_ROLES = ("valid", "risky", "invalid", "unchecked", "muted")
HIGHLIGHT_ROLES = ("differs_bg", "picked_bg", "result_bg", "banner_bg")
ROLES = QPalette.ColorRole
SCHEMES = [Qt.ColorScheme.Light, Qt.ColorScheme.Dark]


@pytest.fixture
def app_palette(qapp) -> Iterator[None]:
    """Put the application palette back after a test that switches the scheme."""
    before = QPalette(QGuiApplication.palette())
    yield
    QGuiApplication.setPalette(before)


def switch(qtbot, scheme: Qt.ColorScheme, widget: QWidget) -> None:
    """Switch the scheme the way the app does, and wait until the widget has the new palette."""
    theme.apply_scheme(scheme)
    dark = scheme == Qt.ColorScheme.Dark
    qtbot.waitUntil(lambda: theme.is_dark(widget.palette()) == dark)


def roles(scheme: Qt.ColorScheme) -> dict[str, str]:
    return theme.DARK if scheme == Qt.ColorScheme.Dark else theme.LIGHT


def pixel(widget: QWidget, at: QPoint) -> QColor:
    """The colour a user sees at a point of a widget (rendered, not what was asked for)."""
    return widget.grab().toImage().pixelColor(at)


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#000000", "#ffffff", 21.0), ("#777777", "#777777", 1.0), ("#767676", "#ffffff", 4.54)],
)
def test_contrast_ratio_is_wcags(a: str, b: str, ratio: float) -> None:
    assert theme.contrast_ratio(QColor(a), QColor(b)) == pytest.approx(ratio, abs=0.01)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_badges_and_highlights_reach_aa_contrast(qapp, scheme: Qt.ColorScheme) -> None:
    palette = theme.dark_palette() if scheme == Qt.ColorScheme.Dark else theme.light_palette()
    for role in BADGE_ROLES:  # coloured text on the table, its alternate rows, and the window
        for background in (ROLES.Base, ROLES.AlternateBase, ROLES.Window):
            ratio = theme.contrast_ratio(QColor(roles(scheme)[role]), palette.color(background))
            assert ratio >= 4.5, (role, background, round(ratio, 2))
    for role in HIGHLIGHT_ROLES:  # the view's own text on a highlighted fill
        for text in (ROLES.Text, ROLES.WindowText):
            ratio = theme.contrast_ratio(palette.color(text), QColor(roles(scheme)[role]))
            assert ratio >= 4.5, (role, text, round(ratio, 2))


def smith_pair(book: LeadBook) -> GroupRecords:
    """Robert and Bob Smith: a first name, a job title and a city that differ."""
    for first, title, city in (
        ("Robert", "Sales Director", "London"),
        ("Bob", "VP Sales", "Leeds"),
    ):
        rec = RawRecord(row=1)
        for field, value in (("first_name", first), ("last_name", "Smith"), ("job_title", title),
                             ("city", city), ("company", "Acme")):  # fmt: skip
            rec.add(field, field, value)
        book.add_contact(rec, on_duplicate="keep")
    return GroupRecords.load(book, [1, 2])


def test_compare_fills_follow_the_scheme_and_stay_readable(
    qtbot, book: LeadBook, app_palette
) -> None:
    table = CompareTable()
    qtbot.addWidget(table)
    table.resize(700, 600)
    table.show_group(smith_pair(book))
    table.show()
    row = next(n for n, (key, _l, _k) in enumerate(FIELD_ROWS) if key == "job_title")
    assert table.verticalHeaderItem(row).text() == "Job title ≠"  # type: ignore[union-attr]
    assert table.choices()["job_title"] == 2  # the newest source's title: Bob's cell is picked
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, table)
        text = table.palette().color(ROLES.Text)
        for column, tone in ((0, DIFFERS), (1, PICKED), (2, RESULT)):
            item = table.item(row, column)
            assert item is not None
            assert item.background().color() == QColor(roles(scheme)[tone])
            assert theme.contrast_ratio(text, item.background().color()) >= 4.5
            # What is painted: the cell's top right corner, away from its (left-aligned) text.
            rect = table.visualItemRect(item)
            corner = QPoint(rect.right() - 3, rect.top() + 3)
            assert pixel(table.viewport(), corner) == QColor(roles(scheme)[tone])


def test_group_list_entries_take_the_schemes_status_colour(qtbot, app_palette) -> None:

    groups = GroupList()
    qtbot.addWidget(groups)
    group = DuplicateGroup(ids=(1, 2), score=70, certain=False, reasons=("same name",))
    groups.addItem(group_item(group, {1: "Robert Smith", 2: "Bob Smith"}))
    item = groups.item(0)
    assert item.text().startswith("70  review — ")  # the word says it, not only the colour
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, groups)
        assert item.foreground().color() == QColor(roles(scheme)["risky"])


def test_duplicate_banner_is_dark_in_the_dark_scheme(qtbot, book: LeadBook, app_palette) -> None:
    rec = RawRecord(row=0)
    rec.add("email", "Email", "ana@x.com")
    book.add_contact(rec)
    dialog = AddContactDialog(book)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edits["email"], "ANA@x.com")
    qtbot.waitUntil(dialog.banner.isVisible)
    qtbot.waitUntil(lambda: dialog.message_text("email") == "✓ valid")
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, dialog)
        inside = QPoint(6, dialog.banner.height() // 2)  # in the margin left of the text
        background = pixel(dialog.banner, inside)
        assert background == QColor(roles(scheme)["banner_bg"])
        text = dialog.banner_text.palette().color(ROLES.WindowText)
        assert theme.contrast_ratio(text, background) >= 4.5
        check = dialog.messages["email"].palette().color(ROLES.WindowText)
        assert check == QColor(roles(scheme)["valid"])


def test_mapping_confidence_colours_follow_the_scheme(qtbot, app_palette) -> None:
    mapping = [
        ColumnMapping("E-mail", 0, "email", 100, "synonym"),
        ColumnMapping("Firma", 1, "company", 70, "fuzzy"),
        ColumnMapping("Notes", 2, None, 0, "no match"),
    ]
    model = MappingTableModel(mapping, [["a@b.io"], ["Acme"], ["hi"]])
    label = QLabel()
    qtbot.addWidget(label)
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, label)
        shown = [model.data(model.index(r, 3)) for r in range(3)]
        assert shown == ["100%", "70%", "—"]  # the confidence is written, not only coloured
        colours = [model.data(model.index(r, 3), Qt.ItemDataRole.ForegroundRole) for r in range(3)]
        assert colours == [QColor(roles(scheme)[r]) for r in ("valid", "risky", "muted")]


def test_review_card_is_redrawn_in_the_new_scheme(
    qtbot, book: LeadBook, tmp_path: Path, app_palette
) -> None:
    import_prospects(book, tmp_path)
    review = ReviewDialog(book)
    qtbot.addWidget(review)
    review.show()
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, review)
        other = theme.LIGHT if scheme == Qt.ColorScheme.Dark else theme.DARK
        assert roles(scheme)["muted"] in review.card.text()
        assert other["muted"] not in review.card.text()
        hint = review.hint.palette().color(ROLES.WindowText)
        assert hint == QColor(roles(scheme)["muted"])


def test_undone_history_rows_are_muted_in_either_scheme(qtbot, book: LeadBook, app_palette) -> None:
    seed(book, 2)
    cid = next(iter(book.snapshot()))
    book.update_contact(cid, {"job_title": "CTO"})
    book.undo()
    dialog = HistoryDialog(book, cid)
    qtbot.addWidget(dialog)
    dialog.show()
    last = dialog.table.rowCount() - 1
    assert dialog.table.item(last, 2).text() == f"Edit contact #{cid} (undone)"  # type: ignore[union-attr]
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, dialog)
        item = dialog.table.item(last, 2)
        assert item is not None
        assert item.foreground().color() == QColor(roles(scheme)["muted"])
        base = dialog.table.palette().color(ROLES.Base)
        assert theme.contrast_ratio(item.foreground().color(), base) >= 4.5


def test_detail_badges_take_the_schemes_status_colours(
    qtbot, make_window, book: LeadBook, app_palette
) -> None:
    seed(book, 6)  # person3@ has no domain: an invalid email beside a valid phone
    window = make_window()
    window.view.selectRow(3)
    qtbot.waitUntil(lambda: window.details.contact is not None)
    email, phone = window.details.points
    for scheme in (Qt.ColorScheme.Dark, Qt.ColorScheme.Light):
        switch(qtbot, scheme, window)
        assert email.badge.text() == "✗" and phone.badge.text() == "✓"
        assert roles(scheme)["invalid"] in email.badge.styleSheet()
        assert roles(scheme)["invalid"] in email.value.styleSheet()
        assert roles(scheme)["valid"] in phone.badge.styleSheet()
