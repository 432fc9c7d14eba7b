"""A scan's groups reach the list a batch at a time, in order, and a new scan stops the filling."""

from __future__ import annotations

import pytest
from test_duplicates_view import seed_duplicates

from app.book import LeadBook
from app.dedupe import DuplicateGroup
from ui.desktop import duplicates_view, theme
from ui.desktop.duplicate_compare import CERTAIN, REVIEW, GroupList, group_item

EXPECTED = [
    "100  certain — Jane Doe · J Doe\nsame email",
    "70  review — Robert Smith · Bob Smith\nsame name + nickname + same company + same "
    "company domain + different work emails",
]


@pytest.fixture
def one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates_view, "FIRST_ITEMS", 1)
    monkeypatch.setattr(duplicates_view, "ITEM_BATCH", 1)


def test_groups_are_listed_a_batch_at_a_time(
    qtbot, make_window, book: LeadBook, one_at_a_time: None
) -> None:
    seed_duplicates(book)
    window = make_window()
    window.duplicates.action.trigger()
    view = window.duplicates.view
    counts: list[int] = []
    view.groups_list.model().rowsInserted.connect(
        lambda *_args: counts.append(view.groups_list.count())
    )
    qtbot.waitUntil(lambda: view.groups_list.count() == 2)
    assert counts == [1, 2]  # the first entry at once, the second on a later turn of the loop
    texts = [view.groups_list.item(r).text() for r in range(view.groups_list.count())]
    assert texts == EXPECTED
    assert view.status_label.text() == "2 groups of duplicates (1 to review)"
    assert view.groups_list.currentRow() == 0
    assert view.skip_button.isEnabled()  # there is a next group now that it is listed


def test_a_new_scan_clears_the_list_and_lists_its_own_groups(
    qtbot, make_window, book: LeadBook, one_at_a_time: None
) -> None:
    seed_duplicates(book)
    window = make_window()
    window.duplicates.action.trigger()
    view = window.duplicates.view
    qtbot.waitUntil(lambda: not view.scanning)
    view.start_scan()  # before or while the first list fills
    assert view.groups_list.count() == 0
    qtbot.waitUntil(lambda: not view.scanning and view.groups_list.count() == 2)
    qtbot.wait(20)  # a stale batch would add a third entry here
    assert [view.groups_list.item(r).text() for r in range(2)] == EXPECTED
    assert view.groups_list.count() == 2


def test_thousands_of_groups_paint_in_their_scheme_colours(qtbot) -> None:
    # An item subclass answering ForegroundRole in Python aborted the process (PySide6 6.12)
    # once the list held a few thousand groups, as a 100k-contact scan finds.
    groups = GroupList()
    qtbot.addWidget(groups)
    for n in range(6_000):
        groups.addItem(
            group_item(
                DuplicateGroup(
                    ids=(2 * n, 2 * n + 1),
                    score=70 + n % 31,
                    certain=n % 2 == 0,
                    reasons=("same email",),
                ),
                {},
            )
        )
    groups.resize(400, 300)
    groups.show()
    for row in range(0, groups.count(), 250):
        groups.scrollToItem(groups.item(row))
        groups.viewport().grab()  # paints every visible entry, asking each for its colours
    certain, review = groups.item(0), groups.item(1)
    assert certain.foreground().color() == theme.color(CERTAIN, groups.palette())
    assert review.foreground().color() == theme.color(REVIEW, groups.palette())
    assert certain.foreground().color() != review.foreground().color()
