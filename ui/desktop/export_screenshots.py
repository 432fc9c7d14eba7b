"""Screenshots of the Export dialog and the Details panel for the docs:
`xvfb-run -a .venv/bin/python -m ui.desktop.export_screenshots`.

Builds a throwaway book of ~200 imported contacts (some SQL, one without a company), opens the
Export dialog on Salesforce with its preview and the Details panel on a contact with a broken
email, and saves docs/screenshots/export_dialog.png and contact_detail.png.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from app.book import LeadBook
from app.contact import RawRecord
from importers.pipeline import run_import
from ui.desktop.main_window import MainWindow
from ui.desktop.screenshots import OUT, screenshot_app, settle, write_sample


def seed_book(book_path: Path, folder: Path) -> None:
    """The sample list, a few contacts moved on to SQL, and one without a company."""
    with LeadBook.open(book_path) as book:
        book.default_region = "GB"
        run_import(book, write_sample(folder / "prospects.csv"))
        for cid in list(book.snapshot())[::9]:
            book.update_contact(cid, {"budget": "€40k", "authority": "Signs off", "need": "CRM",
                                      "timeline": "Q3", "seniority": "Head", "department": "Sales"})  # fmt: skip
            for status in ("MQL", "SAL", "SQL"):  # the lead cycle's steps, BANT filled in
                book.update_contact(cid, {"status": status})
        rec = RawRecord(row=0)
        for name, value in (("first_name", "Nora"), ("last_name", "Quist"),
                            ("email", "nora@quist.io")):  # fmt: skip
            rec.add(name, name, value)
        book.add_contact(rec)


def main() -> int:
    """Write export_dialog.png and contact_detail.png to docs/screenshots."""
    app = screenshot_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book_path = folder / "prospects.db"
        seed_book(book_path, folder)
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(book_path, settings=settings)
        window.resize(1440, 760)
        window.show()
        ids = list(window.book.snapshot())
        broken = next(i for i in ids if window.book.get_contact(i).emails[0].status == "invalid")
        window.select_ids([broken])
        settle(app, window)
        window.details.grab().save(str(OUT / "contact_detail.png"))
        window.grab().save(str(OUT / "main_window_details.png"))

        dialog = window.open_export_dialog()
        dialog.set_preset("salesforce-wizard")
        dialog.start_plan()
        while dialog.plan is None or not dialog.plan.complete:
            app.processEvents()
        settle(app, dialog)
        dialog.grab().save(str(OUT / "export_dialog.png"))
        dialog.tabs.setCurrentIndex(1)
        settle(app, dialog)
        dialog.grab().save(str(OUT / "export_dialog_rejected.png"))
        dialog.reject()
        window.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
