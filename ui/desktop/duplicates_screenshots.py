"""The duplicates screenshot: `xvfb-run -a .venv/bin/python -m ui.desktop.duplicates_screenshots`.

Imports the docs' sample list plus a second file in which a few people come back under a nickname,
another address or a new job, runs the duplicates scan and saves docs/screenshots/duplicates.png
(and duplicates_dark.png, the same view under a dark system theme) with a review group selected
and one value picked from the second contact.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from app.book import LeadBook
from importers.pipeline import ImportOptions, run_import
from ui.desktop.duplicate_compare import FIELD_ROWS
from ui.desktop.main_window import MainWindow
from ui.desktop.screenshots import OUT, screenshot_app, settle, write_sample
from ui.desktop.theme import apply_scheme

HEADER = ["First Name", "Last Name", "Email", "Phone", "Company", "Title", "City", "Country"]
FIRST = [
    ["Robert", "Smith", "r.smith@acme.io", "", "Acme Analytics", "Sales Director", "London", "GB"],
    ["Katherine", "Okafor", "kate.okafor@brightpay.co.uk", "+44 20 7946 0101", "Brightpay",
     "Head of Growth", "Leeds", "GB"],
    ["Jonathan", "Müller", "jon@lumenhealth.de", "", "Lumen Health", "CFO", "Berlin", "DE"],
]  # fmt: skip
SECOND = [
    ["Bob", "Smith", "bob.smith@acme.io", "+44 20 7946 0958", "ACME Analytics Ltd", "VP Sales",
     "London", "United Kingdom"],
    ["Kate", "Okafor", "kate.okafor@brightpay.co.uk", "", "Brightpay", "VP Growth", "", "GB"],
    ["Jon", "Mueller", "j.mueller@lumenhealth.de", "+49 30 901820", "Lumen Health GmbH", "CFO",
     "Berlin", "Germany"],
]  # fmt: skip


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    """A small CSV with the screenshot's people."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        out.writerows(rows)
    return path


def main() -> int:
    """Write duplicates.png and duplicates_dark.png to docs/screenshots."""
    app = screenshot_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book_path = folder / "prospects.db"
        with LeadBook.open(book_path) as book:
            book.default_region = "GB"
            run_import(book, write_rows(folder / "crm_export.csv", FIRST))
            run_import(book, write_sample(folder / "prospects.csv", 120))
            run_import(book, write_rows(folder / "event_badges.csv", SECOND))
            # The same badge scanned twice, kept apart on import: a certain group.
            keep = ImportOptions(on_duplicate="keep")
            run_import(book, write_rows(folder / "badge_rescan.csv", SECOND[1:2]), keep)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(book_path, settings=settings)
        window.resize(1280, 720)
        window.show()
        view = window.duplicates.open()
        view.resize(1240, 700)
        while view.scanning:
            app.processEvents()
        row = next(
            (n for n, g in enumerate(view.groups) if not g.certain and 1 in g.ids), 0
        )  # Robert / Bob Smith: a review group
        view.select_group(row)
        first = next(n for n, (key, _l, _k) in enumerate(FIELD_ROWS) if key == "first_name")
        view.compare.pick(first, 1)  # keep the nickname the person uses
        view.compare.setCurrentCell(first + 1, 1)
        view.compare.setFocus()
        settle(app, view)
        view.grab().save(str(OUT / "duplicates.png"))
        apply_scheme(Qt.ColorScheme.Dark)  # what a dark system theme gives
        settle(app, view)
        view.grab().save(str(OUT / "duplicates_dark.png"))
        apply_scheme(Qt.ColorScheme.Light)
        view.close()
        window.close()
    print(f"screenshot written to {OUT / 'duplicates.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
