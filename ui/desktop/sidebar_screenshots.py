"""Screenshots of the lead tools: `xvfb-run -a .venv/bin/python -m ui.desktop.sidebar_screenshots`.

Builds a throwaway book from the sample prospect list of `screenshots.py`, puts it on a costed
list, applies an audience and reviews a few leads, then saves sidebar.png, audience_editor.png,
review.png and dashboard.png under docs/screenshots/.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.audience import Criteria
from app.book import LeadBook
from importers.pipeline import ImportOptions, run_import
from ui.desktop.main_window import MainWindow
from ui.desktop.screenshots import OUT, screenshot_app, settle, write_sample
from ui.desktop.theme import apply_scheme


def wait_for(app: QApplication, ready: object, widget: QWidget) -> None:
    """Process events until `ready()` is true (background reads), then settle."""
    for _ in range(2000):
        if ready():  # type: ignore[operator]
            break
        app.processEvents()
    settle(app, widget)


def build_book(folder: Path) -> Path:
    """A book of 200 prospects on a list that cost 450, one audience applied, a few reviewed."""
    path = folder / "prospects.db"
    with LeadBook.open(path) as book:
        book.default_region = "GB"
        run_import(
            book,
            write_sample(folder / "prospects.csv"),
            ImportOptions(list_name="UK fintech Q3", source_label="Apollo export"),
        )
        book.set_list_cost("UK fintech Q3", 450.0)
        book.save_audience(
            "UK marketing leaders",
            Criteria(title_keywords=("marketing", "growth"), countries=("GB", "IE")),
            threshold=60,
        )
        book.apply_audience("UK marketing leaders")
        ids = list(book.snapshot())
        book.add_tag(ids[:12], "conference 2026")
        session = book.review_session()
        for i in range(9):
            if i % 3 == 2:
                session.reject("Wrong title")
            else:
                session.accept()
    return path


def main() -> int:
    """Write sidebar.png, audience_editor.png, review.png (+ review_dark.png) and dashboard.png."""
    app = screenshot_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book_path = build_book(folder)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(book_path, settings=settings)
        window.resize(1400, 760)
        window.show()
        sidebar = window.leads.sidebar
        wait_for(app, lambda: sidebar.counts is not None, window)
        item = sidebar.item_labelled("Audience UK marketing leaders")
        assert item is not None
        sidebar.setCurrentIndex(item.index())
        wait_for(app, lambda: window.model.contact_filter.tag != "", window)
        window.grab().save(str(OUT / "sidebar.png"))

        editor = window.leads.edit_audience()
        assert editor is not None
        editor.seniority_list.item(1).setCheckState(
            editor.seniority_list.item(1).checkState().Checked
        )
        editor.update_count()
        wait_for(app, lambda: editor.count_label.text().endswith("match"), editor)
        editor.adjustSize()
        settle(app, editor)
        editor.grab().save(str(OUT / "audience_editor.png"))
        editor.reject()

        review = window.leads.start_review()
        review.resize(760, 520)
        settle(app, review)
        review.grab().save(str(OUT / "review.png"))
        apply_scheme(Qt.ColorScheme.Dark)  # the card's badges and muted lines, dark
        settle(app, review)
        review.grab().save(str(OUT / "review_dark.png"))
        apply_scheme(Qt.ColorScheme.Light)
        review.reject()

        dashboard = window.leads.show_dashboard()
        wait_for(app, lambda: dashboard.data is not None, dashboard)
        dashboard.grab().save(str(OUT / "dashboard.png"))
        dashboard.close()
        window.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
