"""The dashboard: funnel by status, leads by source, email/phone quality, list economics."""

from __future__ import annotations

from pathlib import Path

from lead_data import PROSPECTS, ids_by_name, import_prospects

from app.book import LeadBook
from ui.desktop.dashboard import Dashboard


def test_dashboard_shows_the_book(qtbot, make_window, book: LeadBook, tmp_path: Path) -> None:
    import_prospects(book, tmp_path, PROSPECTS[:4], list_name="Q3 fintech", source_label="LinkedIn")
    import_prospects(book, tmp_path, PROSPECTS[4:], source_label="Trade show Berlin")
    book.set_list_cost("Q3 fintech", 200.0)
    people = ids_by_name(book)
    book.set_status([people["Ann"], people["Bob"]], "SAL")
    book.set_status([people["Dan"]], "Disqualified")
    window = make_window()
    window.leads.dashboard_action.trigger()
    dashboard = window.leads.dashboard
    assert isinstance(dashboard, Dashboard)
    qtbot.waitUntil(lambda: dashboard.data is not None)

    assert (
        dashboard.summary.text() == "6 contacts · 5 companies · 2 imports"
    )  # Ann and Dan: Acme Pay
    assert dashboard.funnel.bars() == [("New", 3), ("MQL", 0), ("SAL", 2), ("SQL", 0),
        ("Opportunity", 0), ("Customer", 0), ("Recycled", 0), ("Disqualified", 1)]  # fmt: skip
    assert dashboard.sources.bars() == [("LinkedIn", 4), ("Trade show Berlin", 2)]
    assert dashboard.emails.bars() == [("valid", 4), ("risky", 0), ("invalid", 1)]
    assert dashboard.phones.bars() == [("valid", 2), ("risky", 0), ("invalid", 0)]
    table = dashboard.economics
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]  # fmt: skip
    # 200 over 4 leads, 3 valid emails (Dan's is broken), 2 accepted, none qualified.
    assert rows == [
        ["Q3 fintech", "200.00", "4", "3", "2", "0", "50.00", "66.67", "100.00", "—"],
        ["All lists and imports", "200.00", "6", "4", "2", "0", "33.33", "50.00", "100.00", "—"],
    ]


def test_dashboard_reloads_after_a_change(
    qtbot, make_window, book: LeadBook, tmp_path: Path
) -> None:
    import_prospects(book, tmp_path)
    window = make_window()
    dashboard = window.leads.show_dashboard()
    qtbot.waitUntil(lambda: dashboard.data is not None)
    assert dashboard.funnel.bars()[0] == ("New", 6)
    book.set_status([ids_by_name(book)["Eve"]], "Recycled")
    with qtbot.waitSignal(dashboard.loaded):
        window.leads.dashboard_action.trigger()
    assert dashboard.funnel.bars()[0] == ("New", 5)
    assert dashboard.funnel.bars()[6] == ("Recycled", 1)
    assert window.leads.dashboard_action.shortcut().toString() == "Ctrl+D"


def test_empty_book(qtbot, make_window) -> None:
    window = make_window()
    dashboard = window.leads.show_dashboard()
    qtbot.waitUntil(lambda: dashboard.data is not None)
    assert dashboard.summary.text() == "0 contacts · 0 companies · 0 imports"
    assert dashboard.sources.bars() == []
    assert dashboard.economics.rowCount() == 1  # the book total only
