"""The filter sidebar: counts per list, tag, status, audience and data-quality filter; a click
narrows the table (together with the search box) and the status bar says what is shown."""

from __future__ import annotations

import pytest
from desktop_data import seed
from PySide6.QtCore import Qt

from app.audience import Criteria
from app.book import LeadBook
from ui.desktop.sidebar import Sidebar


@pytest.fixture
def seeded(book: LeadBook) -> LeadBook:
    """30 seed contacts: 3 invalid emails (kept, without a value), 4 risky phones, every phone
    present; a list, a tag, statuses, an audience."""
    seed(book, 30)
    ids = list(book.snapshot())
    book.create_list("Q3 fintech", cost=150.0)
    book.add_to_list(ids[:5], "Q3 fintech")
    book.add_tag(ids[5:7], "hot")
    book.set_status(ids[10:14], "SAL")
    book.set_status(ids[14:15], "Disqualified")
    book.save_audience("Ann1x", Criteria(title_keywords=("sales",)))  # every seed is Head of Sales
    return book


def click(qtbot, sidebar: Sidebar, label: str) -> None:
    """Click the sidebar item labelled `label` (its text without the count)."""
    item = sidebar.item_labelled(label)
    assert item is not None, label
    index = item.index()
    sidebar.scrollTo(index)
    qtbot.mouseClick(
        sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualRect(index).center()
    )


def texts(sidebar: Sidebar, group: str) -> list[str]:
    """The item texts under a group heading."""
    root = sidebar.model().invisibleRootItem()  # type: ignore[attr-defined]
    top = next(root.child(r) for r in range(root.rowCount()) if root.child(r).text() == group)
    return [top.child(i).text() for i in range(top.rowCount())]


def test_counts_of_every_group(qtbot, make_window, seeded: LeadBook) -> None:
    window = make_window()
    sidebar = window.leads.sidebar
    qtbot.waitUntil(lambda: sidebar.counts is not None)
    assert texts(sidebar, "Lists") == ["Q3 fintech (5)"]
    assert texts(sidebar, "Tags") == ["hot (2)"]
    assert texts(sidebar, "Statuses") == ["New (25)", "MQL (0)", "SAL (4)", "SQL (0)",
        "Opportunity (0)", "Customer (0)", "Recycled (0)", "Disqualified (1)"]  # fmt: skip
    assert texts(sidebar, "Audiences") == ["Ann1x (0)"]  # saved, not applied yet
    assert texts(sidebar, "Data quality") == ["Invalid email (3)", "No email (3)",
        "Invalid phone (0)", "No phone (0)", "Not yet exported (30)"]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "rows", "shown"),
    [
        ("List Q3 fintech", 5, "30 contacts · 5 shown · List Q3 fintech"),
        ("Tag hot", 2, "30 contacts · 2 shown · Tag hot"),
        ("SAL", 4, "30 contacts · 4 shown · SAL"),
        ("Disqualified", 1, "30 contacts · 1 shown · Disqualified"),
        ("Invalid email", 3, "30 contacts · 3 shown · Invalid email"),
        ("No email", 3, "30 contacts · 3 shown · No email"),
        ("Invalid phone", 0, "30 contacts · 0 shown · Invalid phone"),
        ("Not yet exported", 30, "30 contacts · 30 shown · Not yet exported"),
    ],
)
def test_click_filters_the_table(
    qtbot, make_window, seeded: LeadBook, label: str, rows: int, shown: str
) -> None:
    window = make_window()
    sidebar = window.leads.sidebar
    qtbot.waitUntil(lambda: sidebar.counts is not None)
    click(qtbot, sidebar, label)
    qtbot.waitUntil(lambda: window.model.rowCount() == rows)
    qtbot.waitUntil(lambda: window.count_label.text() == shown)
    click(qtbot, sidebar, "All contacts")
    qtbot.waitUntil(lambda: window.count_label.text() == "30 contacts")
    assert window.model.rowCount() == 30


def test_sidebar_and_search_combine(qtbot, make_window, seeded: LeadBook) -> None:
    window = make_window()
    sidebar = window.leads.sidebar
    qtbot.waitUntil(lambda: sidebar.counts is not None)
    click(qtbot, sidebar, "List Q3 fintech")  # Ann0 … Ann4
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    qtbot.keyClicks(window.search_box, "ann3")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.data(window.model.index(0, 0)) == "Ann3 Smith00003"
    assert window.count_label.text() == "30 contacts · 1 shown · List Q3 fintech"
    click(qtbot, sidebar, "All contacts")  # the search stays: Ann3, Ann30…: only Ann3 here
    qtbot.waitUntil(lambda: window.model.contact_filter.list_name == "")
    assert window.model.rowCount() == 1
    assert window.count_label.text() == "30 contacts · 1 shown"


def test_counts_refresh_after_a_write(qtbot, make_window, seeded: LeadBook) -> None:
    window = make_window()
    sidebar = window.leads.sidebar
    qtbot.waitUntil(lambda: sidebar.counts is not None)
    window.select_ids(list(window.model.ids[:2]))  # two of the list's members
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: texts(sidebar, "Lists") == ["Q3 fintech (3)"])
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: texts(sidebar, "Lists") == ["Q3 fintech (5)"])


def test_keyboard_moves_through_the_filters(qtbot, make_window, seeded: LeadBook) -> None:
    window = make_window()
    sidebar = window.leads.sidebar
    qtbot.waitUntil(lambda: sidebar.counts is not None)
    sidebar.setFocus()
    qtbot.keyClick(sidebar, Qt.Key.Key_Down)  # Lists heading (not selectable)…
    qtbot.keyClick(sidebar, Qt.Key.Key_Down)  # …its first list
    assert sidebar.choice.list_name == "Q3 fintech"
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
