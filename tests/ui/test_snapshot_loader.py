"""The table's snapshot loader: the first page of a search, then the whole snapshot and the count;
a newer keystroke wins; pages around the screen are read ahead so paging finds them cached."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from desktop_data import seed
from PySide6.QtCore import Qt

from app.book import LeadBook
from app.query import SEARCH_LETTERS, ContactFilter, page_ids
from ui.desktop import snapshot_loader
from ui.desktop.contact_columns import display_phone
from ui.desktop.sidebar import SidebarChoice


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables of a few dozen rows behave like a big book: first page, then the rest."""
    monkeypatch.setattr(snapshot_loader, "SYNC_SNAPSHOT_ROWS", 5)
    monkeypatch.setattr(snapshot_loader, "FIRST_ROWS", 4)


def search(window: object, text: str) -> None:
    window.search_box.setText(text)  # type: ignore[attr-defined]
    window.apply_search()  # type: ignore[attr-defined]  # what the debounce timer does


def watch(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """The searches the lane answered through app.search_order's `name` (the real one)."""
    searches: list[str] = []
    real = getattr(snapshot_loader, name)

    def watched(*args: Any) -> Any:
        searches.append(args[2])
        return real(*args)

    monkeypatch.setattr(snapshot_loader, name, watched)
    return searches


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The searches whose first page was found by walking the table's order."""
    return watch(monkeypatch, "first_matches")


@pytest.fixture
def ranked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The searches whose whole result was the index's matches ranked by the table's order."""
    return watch(monkeypatch, "all_matches")


def test_a_search_shows_its_first_page_then_the_rest_and_the_count(
    qtbot, small_pages, make_window, book: LeadBook, ranked: list[str], walked: list[str]
) -> None:
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 30 and window.snapshots.pending is None)
    shown: list[tuple[int, list[str], bool]] = []
    model = window.model

    def on_reset() -> None:
        names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
        shown.append((model.rowCount(), names, window.snapshots.pending == model.contact_filter))

    model.modelReset.connect(on_reset)
    search(window, "ann2")  # Ann2, Ann20…Ann29
    qtbot.waitUntil(lambda: len(shown) == 1)
    # The first page, shown while the rest was still to be read.
    assert shown == [(4, ["Ann2 Smith00002", "Ann20 Smith00020", "Ann21 Smith00021",
                          "Ann22 Smith00022"], True)]  # fmt: skip
    qtbot.waitUntil(lambda: window.model.rowCount() == 11 and window.snapshots.pending is None)
    assert len(shown) == 1  # the rest was appended, not reset
    assert window.model.data(window.model.index(10, 0)) == "Ann29 Smith00029"
    assert window.count_label.text() == "30 contacts · 11 shown"
    # In id order the index yields the first page itself; the rest is its matches ranked by
    # the unsearched table's order.
    assert (walked, ranked) == ([], ["ann2"])


def test_export_opened_before_the_rest_is_read_counts_the_whole_search(
    qtbot, small_pages, make_window, book: LeadBook
) -> None:
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 30 and window.snapshots.pending is None)
    said: list[tuple[int, str, int]] = []

    def export_now() -> None:  # the first page is shown; the rest is still being read
        dialog = window.open_export_dialog()
        said.append((window.model.rowCount(), dialog.source_combo.itemText(0), dialog.shown.search))
        dialog.reject()

    window.model.modelReset.connect(export_now)
    search(window, "ann2")
    qtbot.waitUntil(lambda: len(said) == 1)
    assert said == [(4, "All contacts shown in the table (11)", "ann2")]
    qtbot.waitUntil(lambda: window.snapshots.pending is None)


def test_a_search_superseded_by_the_next_keystroke_never_shows(
    qtbot, small_pages, make_window, book: LeadBook
) -> None:
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 30 and window.snapshots.pending is None)
    filters: list[str] = []
    window.model.modelReset.connect(lambda: filters.append(window.model.contact_filter.search))
    search(window, "ann1")  # read on the lane while the next key is typed
    search(window, "ann2")
    qtbot.waitUntil(lambda: window.snapshots.pending is None)
    assert filters == ["ann2"]  # the table never showed "ann1"'s rows
    assert window.model.rowCount() == 11
    assert [window.model.data(window.model.index(r, 0)) for r in (0, 10)] == [
        "Ann2 Smith00002",
        "Ann29 Smith00029",
    ]
    assert window.statusBar().currentMessage() == ""  # the older read is no "Search failed"


def test_a_search_keeps_the_sort_order(qtbot, small_pages, make_window, book: LeadBook) -> None:
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 30 and window.snapshots.pending is None)
    window.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # Name, Z→A
    search(window, "ann1")
    qtbot.waitUntil(lambda: window.model.rowCount() == 11 and window.snapshots.pending is None)
    names = [window.model.data(window.model.index(r, 0)) for r in range(11)]
    assert names == [f"Ann{i} Smith{i:05d}" for i in range(19, 9, -1)] + ["Ann1 Smith00001"]
    f = window.model.contact_filter
    assert (f.sort, f.descending, f.search) == ("name", True, "ann1")
    search(window, "")
    qtbot.waitUntil(lambda: window.model.rowCount() == 30 and window.snapshots.pending is None)
    assert window.model.data(window.model.index(0, 0)) == "Ann29 Smith00029"  # by last name
    assert window.count_label.text() == "30 contacts"


def test_a_search_under_a_sort_walks_the_tables_order(
    qtbot, small_pages, make_window, book: LeadBook, walked: list[str]
) -> None:
    seed(book, 40)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 40 and window.snapshots.pending is None)
    window.view.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # Company, Z→A
    sorted_filter = ContactFilter(sort="company", descending=True)
    qtbot.waitUntil(lambda: window.model.contact_filter == sorted_filter)
    whole = window.snapshots._whole
    assert whole is not None and whole.f == sorted_filter
    # Read on the lane while the table is idle: the rank map and the first contacts' texts.
    qtbot.waitUntil(lambda: len(whole.order.blocks) == 1 and window.snapshots._preparing is None)
    first_pages: list[list[int]] = []
    window.model.modelReset.connect(lambda: first_pages.append(list(window.model.ids)))
    for text in ("a", "ann", "ann3", "acme 1"):
        search(window, text)
        qtbot.waitUntil(lambda: window.snapshots.pending is None)
        f = ContactFilter(search=text, sort="company", descending=True)
        assert first_pages[-1] == page_ids(book.conn, f, 4)  # the first page, in company order
        assert list(window.model.ids) == page_ids(book.conn, f, None)  # then all of it
    assert walked == ["a", "ann", "ann3", "acme 1"]


def test_a_search_under_a_rare_sidebar_filter_walks_its_few_contacts(
    qtbot, small_pages, make_window, book: LeadBook, walked: list[str]
) -> None:
    seed(book, 40)
    ids = book.snapshot()
    for contact_id in ids[5:40:6]:  # 6 of the 40 contacts are MQL
        book.update_contact(contact_id, {"status": "MQL"})
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 40 and window.snapshots.pending is None)
    window.leads.sidebar.select_choice(SidebarChoice(label="MQL", status="MQL"))
    mql = ContactFilter(status="MQL")
    qtbot.waitUntil(lambda: window.model.contact_filter == mql)
    qtbot.waitUntil(lambda: window.snapshots.pending is None and not window.snapshots.preparing)
    for text in ("ann", "ann1", "acme"):
        search(window, text)
        qtbot.waitUntil(lambda: window.snapshots.pending is None)
        assert list(window.model.ids) == page_ids(book.conn, replace(mql, search=text), None)
    assert walked == ["ann", "ann1", "acme"]
    assert window.model.rowCount() == len(page_ids(book.conn, replace(mql, search="acme"), None))


def test_paging_down_finds_the_next_pages_read_ahead(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 600)
    window = make_window()
    view, model = window.view, window.model
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: model.rowCount() == 600)
    display_phone.cache_clear()  # the same seeded numbers were formatted by earlier tests
    view.scrollTo(model.index(300, 0))
    view.setCurrentIndex(model.index(view.rowAt(0), 0))
    view.setFocus()

    def screen() -> tuple[int, int]:
        return view.rowAt(0), view.rowAt(view.viewport().height() - 1)

    for _ in range(4):
        # The screens above and below are read on the table lane once the window is idle.
        top, bottom = screen()
        below = bottom + (bottom - top + 1)
        qtbot.waitUntil(lambda top=top, below=below: model.missing_pages(top, below) == [])
        cached = set(model._pages)
        # Their phones were formatted for display there too: the paint finds them cached.
        phone = model.row_data(below).phone  # type: ignore[union-attr]
        hits = display_phone.cache_info().hits
        assert phone and display_phone(phone).startswith("+44 ")
        assert display_phone.cache_info().hits == hits + 1
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        view.viewport().repaint()
        new_top, new_bottom = screen()
        assert new_bottom > bottom
        assert set(model._pages) <= cached  # painted from the cache: no page read on a miss
        assert all(model.is_cached(r) for r in range(new_top, new_bottom + 1))
        name = f"Ann{new_bottom} Smith{new_bottom:05d}"
        assert model.data(model.index(new_bottom, 0)) == name


def test_a_page_read_before_a_change_is_dropped(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 200)
    window = make_window()
    model = window.model
    qtbot.waitUntil(lambda: model.rowCount() == 200 and window.snapshots.pending is None)
    page = 160 // model.PAGE_SIZE  # far off screen: never read by a paint or read ahead
    assert not model.is_cached(page * model.PAGE_SIZE)
    ids = model.page_ids(page)
    rows = book.rows(ids)
    generation = model.generation
    book.update_contact(ids[0], {"first_name": "Zed"})
    model.reload_rows()  # what an edit does: the generation moves
    assert model.store_page(generation, page, rows) is False
    assert not model.is_cached(page * model.PAGE_SIZE)
    assert model.store_page(model.generation, page, book.rows(ids)) is True
    assert model.data(model.index(page * model.PAGE_SIZE, 0)).startswith("Zed ")


def test_phone_and_created_are_formatted_when_shown(qapp, make_window, book: LeadBook) -> None:
    seed(book, 3)
    window = make_window()
    model = window.model
    assert model.data(model.index(1, 2)) == "+44 20 7946 0001"
    assert model.data(model.index(1, 2), Qt.ItemDataRole.EditRole) == "+44 20 7946 0001"
    created = model.data(model.index(1, 11))
    assert len(created) == 16 and created[4] == "-" and created[13] == ":"  # local date, minute
    assert model.contact_filter == ContactFilter()


def names(window: object) -> list[str]:
    model = window.model  # type: ignore[attr-defined]
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def settled(window: object, rows: int) -> bool:
    model = window.model  # type: ignore[attr-defined]
    return bool(model.rowCount() == rows and window.snapshots.pending is None)  # type: ignore[attr-defined]


@pytest.fixture
def thirty(qtbot, small_pages, make_window, book: LeadBook) -> object:
    """A window over 30 contacts, Ann0 Smith00000 … Ann29 Smith00029, every row shown."""
    seed(book, 30)
    window = make_window()
    qtbot.waitUntil(lambda: settled(window, 30))
    return window


def test_the_first_page_arrives_with_its_rows(qtbot, thirty: object, book: LeadBook) -> None:
    window = thirty
    model = window.model
    cached: list[list[bool]] = []
    model.modelReset.connect(
        lambda: cached.append([model.is_cached(r) for r in range(model.rowCount())])
    )
    search(window, "ann1")
    qtbot.waitUntil(lambda: settled(window, 11))
    # Read on the lane with the ids: the paint after the reset reads no page on the UI thread.
    assert cached == [[True, True, True, True]]
    assert names(window)[:4] == ["Ann1 Smith00001", "Ann10 Smith00010", "Ann11 Smith00011",
                                 "Ann12 Smith00012"]  # fmt: skip


def test_a_cleared_search_shows_every_row_at_once_in_order(
    qtbot, thirty: object, book: LeadBook
) -> None:
    window = thirty
    everyone = names(window)
    search(window, "ann2")
    qtbot.waitUntil(lambda: settled(window, 11))
    search(window, "")
    # No trip to the table lane: the whole table is back before apply_search returns.
    assert settled(window, 30)
    assert names(window) == everyone == [f"Ann{i} Smith{i:05d}" for i in range(30)]
    assert window.model.contact_filter == ContactFilter()
    assert window.count_label.text() == "30 contacts"


def test_a_cleared_search_after_a_change_reads_the_book_again(
    qtbot, thirty: object, book: LeadBook
) -> None:
    window = thirty
    search(window, "ann2")
    qtbot.waitUntil(lambda: settled(window, 11))
    book.delete_contacts([book.snapshot()[0]])  # Ann0, from another connection
    search(window, "")
    assert window.snapshots.pending == ContactFilter()  # the cached table is out of date
    qtbot.waitUntil(lambda: settled(window, 29))
    assert names(window) == [f"Ann{i} Smith{i:05d}" for i in range(1, 30)]
    assert window.count_label.text() == "29 contacts"


def test_a_shorter_prefix_shows_its_first_page_at_once(
    qtbot, thirty: object, book: LeadBook
) -> None:
    window = thirty
    search(window, "ann2")
    qtbot.waitUntil(lambda: settled(window, 11))
    search(window, "ann21")
    qtbot.waitUntil(lambda: settled(window, 1))
    search(window, "ann2")  # backspace
    assert window.model.contact_filter.search == "ann2"
    assert names(window) == ["Ann2 Smith00002", "Ann20 Smith00020", "Ann21 Smith00021",
                             "Ann22 Smith00022"]  # fmt: skip
    qtbot.waitUntil(lambda: settled(window, 11))
    assert names(window)[-1] == "Ann29 Smith00029"
    assert window.count_label.text() == "30 contacts · 11 shown"


@pytest.mark.parametrize("text", ["ann1", "ann", "a", "acme"])
def test_a_search_within_a_sidebar_status_shows_its_matches_in_order(
    qtbot, small_pages, make_window, book: LeadBook, text: str
) -> None:
    seed(book, 30)
    ids = book.snapshot()
    book.set_status(ids[1::3], "MQL")  # Ann1, Ann4, Ann7…
    window = make_window()
    qtbot.waitUntil(lambda: settled(window, 30))
    sidebar = window.leads.sidebar
    qtbot.waitUntil(lambda: sidebar.item_labelled("MQL") is not None)
    sidebar.setCurrentIndex(sidebar.item_labelled("MQL").index())
    qtbot.waitUntil(lambda: settled(window, 10))
    search(window, text)
    f = ContactFilter(search=text, status="MQL")
    expected = page_ids(book.conn, f, None)
    qtbot.waitUntil(lambda: settled(window, len(expected)))
    assert window.model.contact_filter == f
    assert list(window.model.ids) == expected
    if text == "ann1":
        assert names(window) == ["Ann1 Smith00001", "Ann10 Smith00010", "Ann13 Smith00013",
                                 "Ann16 Smith00016", "Ann19 Smith00019"]  # fmt: skip
    search(window, "")
    qtbot.waitUntil(lambda: settled(window, 10))
    assert list(window.model.ids) == ids[1::3].tolist()


def test_a_big_table_is_sorted_on_the_lane_and_keeps_its_selection(
    qtbot, thirty: object, book: LeadBook
) -> None:
    window = thirty
    ann7 = book.snapshot()[7]
    window.select_ids([ann7])
    header = window.view.horizontalHeader()
    window.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # Name, Z→A
    assert window.snapshots.pending == ContactFilter(sort="name", descending=True)
    assert header.sortIndicatorSection() == 0  # the header says what is coming
    qtbot.waitUntil(lambda: settled(window, 30))
    assert names(window)[:3] == ["Ann29 Smith00029", "Ann28 Smith00028", "Ann27 Smith00027"]
    assert window.model.contact_filter == ContactFilter(sort="name", descending=True)
    assert window.selected_ids() == [ann7]
    assert header.sortIndicatorSection() == 0
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_a_search_typed_while_a_sort_is_read_keeps_that_sort(
    qtbot, thirty: object, book: LeadBook
) -> None:
    window = thirty
    window.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    search(window, "ann1")  # before the sorted snapshot arrived
    qtbot.waitUntil(lambda: settled(window, 11))
    assert window.model.contact_filter == ContactFilter(search="ann1", sort="name", descending=True)
    assert names(window)[:2] == ["Ann19 Smith00019", "Ann18 Smith00018"]


def test_the_idle_preparation_gives_way_to_scrolling(
    qtbot, small_pages, make_window, book: LeadBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search letters are read while the table is still: a scroll stops the lane's job
    between two letters (its reads slowed the scroll's own) and it goes on once the table has
    been still for QUIET_S."""
    seed(book, 40)
    monkeypatch.setattr(snapshot_loader, "QUIET_S", 0.05)
    moving = {"until": 0.0}  # the user scrolls now and then stops: the loader's _scrolling()
    monkeypatch.setattr(
        snapshot_loader.SnapshotLoader,
        "_scrolling",
        lambda _self: time.monotonic() < moving["until"],
    )
    read: list[tuple[str, float]] = []
    real = snapshot_loader.prepare_letter

    def letter(conn: object, ch: str) -> None:
        read.append((ch, time.monotonic()))
        if len(read) == 1:
            moving["until"] = time.monotonic() + 0.3  # a scroll while the lane reads "a"
        real(conn, ch)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot_loader, "prepare_letter", letter)
    window = make_window()
    loader = window.snapshots
    qtbot.waitUntil(lambda: loader._prepared == loader.book_version(), timeout=10_000)
    assert not loader.preparing
    letters = [ch for ch, _at in read]
    assert letters[:2] == ["a", "a"]  # stopped after its first letter, then all of them
    assert letters[1:] == list(SEARCH_LETTERS)
    assert read[1][1] >= moving["until"]  # only once the table was still


def test_scrolling_the_table_is_seen_by_the_loader(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 600)
    window = make_window()
    qtbot.waitUntil(lambda: window.model.rowCount() == 600)
    assert not window.snapshots._scrolling()
    window.view.verticalScrollBar().setValue(300)
    assert window.snapshots._scrolling()


def test_a_preparation_waiting_for_the_table_to_be_still_ends_with_the_window(
    qtbot, small_pages, make_window, book: LeadBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(book, 40)
    monkeypatch.setattr(snapshot_loader, "QUIET_S", 0.05)
    window = make_window()
    loader = window.snapshots
    qtbot.waitUntil(lambda: window.model.rowCount() == 40 and loader.pending is None)
    qtbot.waitUntil(lambda: not loader.preparing)
    loader._prepared = None  # letters to read again, and the table just scrolled
    loader._scrolled_at = time.monotonic()
    loader._prepare_letters()
    assert loader.preparing and loader._preparing is None  # waiting, no job on the lane
    window.shutdown()
    qtbot.wait(200)  # the retry fires after the book is closed: nothing is read, nothing raised
    assert loader._preparing is None
