"""Screenshots of the Import Wizard for the docs:
`xvfb-run -a .venv/bin/python -m ui.desktop.import_wizard.screenshots`.

Imports a sample list into a throwaway book, then walks a LinkedIn export with a few problem rows
through every page and saves docs/screenshots/import_*.png (the preview and mapping pages in the
dark scheme too: import_*_dark.png).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.book import LeadBook
from importers.pipeline import ImportOptions, run_import
from ui.desktop.main_window import MainWindow
from ui.desktop.screenshots import OUT, screenshot_app, settle, write_sample
from ui.desktop.theme import apply_scheme

LINKEDIN_ROWS = [
    ("Ines", "Okafor-Lindqvist", "ines-ol", "", "Northwind Analytics, Inc.", "Director of People Ops"),
    ("Chloé", "Dubois", "chloe-dubois", "chloe@finch.vc", "Finch Capital", "CFO"),
    ("Jonas", "Müller", "jonas-mueller", "jonas@lumenhealth", "Lumen Health", "Head of Growth"),
    ("Mia", "Rossi", "mia-rossi", "mia.rossi@brightpay.co.uk", "Brightpay", "VP Sales"),
    ("", "", "", "", "", ""),
    ("Sven", "Jensen", "sven-jensen", "sven@orbit-logistics", "Orbit Logistics", "CMO"),
    ("Tara", "Novak", "tara-novak", "tara.novak@acme.io", "Acme Analytics", "Marketing Director"),
]  # fmt: skip


def write_linkedin(path: Path) -> Path:
    """A LinkedIn Connections.csv: the Notes preamble, then a few connections (two bad emails)."""
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses '
        'are missing. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for first, last, slug, email, company, title in LINKEDIN_ROWS:
        if not first:
            lines.append(",,,,,,12 Jan 2026")
            continue
        url = f"https://www.linkedin.com/in/{slug}"
        lines.append(f'{first},{last},{url},{email},"{company}",{title},08 Feb 2026')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait(app: QApplication, done: Callable[[], bool]) -> None:
    """Process events until a job's outcome arrived."""
    while not done():
        app.processEvents()


def shoot(app: QApplication, widget: QWidget, name: str, dark: bool = False) -> None:
    """Save one PNG of a widget once its layout settled (and one in the dark scheme)."""
    settle(app, widget)
    widget.grab().save(str(OUT / f"import_{name}.png"))
    if dark:
        apply_scheme(Qt.ColorScheme.Dark)
        settle(app, widget)
        widget.grab().save(str(OUT / f"import_{name}_dark.png"))
        apply_scheme(Qt.ColorScheme.Light)


def main() -> int:
    """Write import_source/preview/mapping/validation/report.png (+ two dark) to docs/screenshots."""
    app = screenshot_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book_path = folder / "prospects.db"
        with LeadBook.open(book_path) as book:
            book.default_region = "GB"
            run_import(
                book,
                write_sample(folder / "prospects.csv", 60),
                ImportOptions(list_name="Q1 events"),
            )
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(book_path, settings=settings)
        window.show()
        linkedin = write_linkedin(folder / "Connections.csv")

        wizard = window.open_import_wizard()
        wizard.source_page.path_edit.setText(str(linkedin))
        shoot(app, wizard, "source")
        wizard.next()
        shoot(app, wizard, "preview", dark=True)
        wizard.next()
        wizard.mapping_page.view.selectRow(6)
        shoot(app, wizard, "mapping", dark=True)
        wizard.next()
        wizard.validation_page.list_combo.setCurrentText("LinkedIn network")
        wizard.validation_page.source_edit.setText("LinkedIn export")
        wait(app, wizard.validation_page.isComplete)
        shoot(app, wizard, "validation")
        wizard.next()
        wait(app, wizard.report_page.isComplete)
        shoot(app, wizard, "report")
        wizard.accept()
        window.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
