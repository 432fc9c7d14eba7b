"""Screenshots of the desktop for the docs: `xvfb-run -a .venv/bin/python -m ui.desktop.screenshots`.

Builds a throwaway book of ~200 imported contacts, opens the main window and the New contact form
with an invalid email typed, and saves PNGs under docs/screenshots/.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QThread
from PySide6.QtWidgets import QApplication, QWidget

from app.book import LeadBook
from importers.pipeline import run_import
from ui.desktop.main_window import MainWindow
from ui.desktop.theme import apply_scheme
from ui.desktop.welcome import WelcomeDialog

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FIRST = ["Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hugo", "Isla", "Jonas", "Kira",
         "Liam", "Mia", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sven", "Tara"]  # fmt: skip
LAST = ["López", "Smith", "Müller", "Okafor", "Nguyen", "Rossi", "Kowalski", "Dubois", "Brown",
        "Jensen", "Silva", "Haddad", "O'Neil", "Tanaka", "Novak"]  # fmt: skip
COMPANIES = [("Acme Analytics", "acme.io"), ("Brightpay", "brightpay.co.uk"),
             ("Northwind Traders", "northwind.com"), ("Lumen Health", "lumenhealth.de"),
             ("Finch Capital", "finch.vc"), ("Orbit Logistics", "orbit-logistics.fr")]  # fmt: skip
TITLES = ["Chief Marketing Officer", "Head of Growth", "VP Sales", "Marketing Director",
          "Demand Generation Manager", "CFO", "Head of Partnerships"]  # fmt: skip
COUNTRIES = ["GB", "United Kingdom", "DE", "France", "US", "Ireland"]


def write_sample(path: Path, n: int = 200) -> Path:
    """A realistic little prospect list, with a few broken emails and phones."""
    rnd = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["First Name", "Last Name", "Email", "Phone", "Company", "Title", "Country"])
        for i in range(n):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            company, domain = rnd.choice(COMPANIES)
            plain = last.lower().translate(str.maketrans("óéü", "oeu", "'"))
            local = f"{first[0].lower()}.{plain}"
            email = f"{local}{i}@{domain}" if i % 13 else f"{local}{i}@"
            phone = f"+44 20 7946 {rnd.randrange(10000):04d}" if i % 17 else "12345"
            out.writerow([first, last, email, phone, company, rnd.choice(TITLES),
                          rnd.choice(COUNTRIES)])  # fmt: skip
    return path


def screenshot_app() -> QApplication:
    """The application every screenshot script runs in (Fusion, the app's names); makes OUT."""
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Leadsmith")
    app.setOrganizationName("Leadsmith")
    app.setStyle("Fusion")
    OUT.mkdir(parents=True, exist_ok=True)
    return app


def settle(app: QApplication, widget: QWidget) -> None:
    """Let layouts and paints finish before grabbing."""
    for _ in range(5):
        app.processEvents()
    widget.repaint()
    app.processEvents()


def bulk_menu(app: QApplication, window: MainWindow) -> None:
    """The table's right-click menu on five selected rows, Set status open (bulk_actions.png).

    Menus are windows of their own: the screen is grabbed where the main window is."""
    window.move(0, 0)
    window.select_ids([window.model.id_at(r) for r in range(2, 7)])
    menu = window.bulk.context_menu()
    view = window.view
    menu.popup(view.viewport().mapToGlobal(view.visualRect(window.model.index(4, 1)).center()))
    status = menu.actions()[2]
    corner = menu.actionGeometry(status).topRight()
    window.bulk.status_menu.popup(menu.mapToGlobal(corner))
    settle(app, window)
    frame = window.frameGeometry()
    screen = app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
    screen.save(str(OUT / "bulk_actions.png"))
    window.bulk.status_menu.hide()
    menu.hide()
    window.view.selectRow(2)


def main() -> int:
    """Write the main window (light and dark), the New contact form, the welcome, a dark dashboard."""
    app = screenshot_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book_path = folder / "prospects.db"
        with LeadBook.open(book_path) as book:
            book.default_region = "GB"
            run_import(book, write_sample(folder / "prospects.csv"))
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(book_path, settings=settings)
        window.resize(1280, 720)
        window.show()
        window.view.selectRow(2)
        window.show_message("Imported prospects.csv: 200 added, 0 merged")
        settle(app, window)
        window.grab().save(str(OUT / "main_window.png"))
        apply_scheme(Qt.ColorScheme.Dark)  # what a dark system theme gives
        settle(app, window)
        window.grab().save(str(OUT / "main_window_dark.png"))
        apply_scheme(Qt.ColorScheme.Light)
        settle(app, window)
        bulk_menu(app, window)

        dialog = window.open_add_dialog()
        for name, text in (("first_name", "Ana"), ("last_name", "López"), ("email", "ana@"),
                           ("phone", "020 7946 0958"), ("company", "Acme Analytics"),
                           ("linkedin_url", "linkedin.com/in/ana-lopez")):  # fmt: skip
            dialog.edits[name].setText(text)
        dialog.validate()
        settle(app, dialog)
        dialog.grab().save(str(OUT / "add_contact.png"))

        rows = (window.model.row_data(r) for r in range(window.model.rowCount()))
        existing = next(r for r in rows if r is not None and r.email_status == "valid")
        dialog.edits["email"].setText(existing.email.upper())
        dialog.validate()
        dialog.adjustSize()
        settle(app, dialog)
        dialog.grab().save(str(OUT / "add_contact_duplicate.png"))
        dialog.reject()
        window.close()

        welcome = WelcomeDialog(sample_path=folder / "Sample book.db")
        welcome.move(0, 0)  # away from where Xvfb parks the pointer (a hover frame)
        welcome.show()
        settle(app, welcome)
        welcome.grab().save(str(OUT / "welcome.png"))
        welcome.sample_button.click()
        sample = MainWindow(folder / "Sample book.db", settings=settings)
        sample.resize(1280, 720)
        sample.show()
        sample.leads.show_dashboard()
        settle(app, sample)
        apply_scheme(Qt.ColorScheme.Dark)
        dashboard = sample.leads.dashboard
        assert dashboard is not None
        for _ in range(50):  # the dashboard reads its numbers in a background job
            app.processEvents()
            if dashboard.funnel.bars():
                break
            QThread.msleep(20)
        settle(app, dashboard)
        dashboard.grab().save(str(OUT / "dashboard_dark.png"))
        apply_scheme(Qt.ColorScheme.Light)
        sample.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
