"""The Import Wizard: preview with overrides, mapping, dry run, import with Cancel, report, drop and
paste. Real files in tmp_path, a real book, jobs on the real write lane."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from app.book import LeadBook
from app.contact import Contact, ImportReport
from ui.desktop.import_wizard import report_page, source_page
from ui.desktop.import_wizard.report_csv import PROBLEM_COLUMN, ROW_COLUMN
from ui.desktop.import_wizard.wizard import (
    MAPPING_PAGE,
    PREVIEW_PAGE,
    REPORT_PAGE,
    SOURCE_PAGE,
    VALIDATION_PAGE,
    ImportWizard,
)

LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    'missing. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ines,Okafor-Lindqvist,https://www.linkedin.com/in/ines-ol,,"
    '"Northwind Analytics, Inc.",Director of People Ops,08 Feb 2026\n'
    "Chloé,Dubois,https://www.linkedin.com/in/chloe-dubois,chloe@finch.vc,Finch Capital,CFO,"
    "15 Mar 2024\n"
)


def people(book: LeadBook) -> list[Contact]:
    """Every live contact, in import order."""
    return book.contacts()


def write_rows(
    path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def finish_import(qtbot, wizard: ImportWizard) -> ImportReport:  # type: ignore[no-untyped-def]
    """Next from the preview or mapping page through the dry run into the import; its report."""
    while wizard.currentId() in (PREVIEW_PAGE, MAPPING_PAGE):
        wizard.next()
    assert wizard.currentId() == VALIDATION_PAGE
    qtbot.waitUntil(wizard.validation_page.isComplete, timeout=30_000)
    with qtbot.waitSignal(wizard.imported, timeout=30_000) as got:
        wizard.next()
    assert wizard.currentId() == REPORT_PAGE
    report: ImportReport = got.args[0]
    return report


def choose_encoding(wizard: ImportWizard, encoding: str) -> None:
    combo = wizard.preview_page.encoding_combo
    index = combo.findData(encoding)
    assert index >= 0, encoding
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_linkedin_export_from_the_import_menu(
    qtbot, monkeypatch, make_window, book: LeadBook, tmp_path: Path
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_text(LINKEDIN, encoding="utf-8")
    monkeypatch.setattr(source_page, "choose_import_file", lambda parent, start: str(path))
    window = make_window()
    window.import_action.trigger()
    wizard = window.files.wizard
    assert wizard is not None and wizard.currentId() == SOURCE_PAGE
    qtbot.mouseClick(wizard.source_page.browse_button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == PREVIEW_PAGE
    page = wizard.preview_page
    assert page.layout_label.text() == "Recognized: LinkedIn Connections.csv"
    assert page.header_spin.value() == 4
    assert page.format_label.text() == "CSV · encoding utf-8 · column names on row 4"
    assert page.table.horizontalHeaderItem(0).text() == "First Name"
    assert [page.cell_text(r, 0) for r in range(page.table.rowCount())] == ["Ines", "Chloé"]
    assert page.cell_text(0, 4) == "Northwind Analytics, Inc."
    wizard.next()
    mapping = {m.column: m.field for m in wizard.mapping_page.model.mapping}
    assert mapping == {
        "First Name": "first_name", "Last Name": "last_name", "URL": "linkedin_url",
        "Email Address": "email", "Company": "company", "Position": "job_title",
        "Connected On": None,
    }  # fmt: skip
    report = finish_import(qtbot, wizard)
    assert (report.rows, report.added, report.merged) == (2, 2, 0)
    got = [(c.first_name, c.last_name, c.company.name, c.job_title) for c in people(book)]
    assert got == [
        ("Ines", "Okafor-Lindqvist", "Northwind Analytics, Inc.", "Director of People Ops"),
        ("Chloé", "Dubois", "Finch Capital", "CFO"),
    ]
    assert window.model.rowCount() == 2  # finishing refreshed the main table
    assert window.statusBar().currentMessage() == "Imported Connections.csv: 2 added, 0 merged"
    wizard.accept()


def test_encoding_override_fixes_the_preview_and_the_import(
    qtbot, make_window, book: LeadBook, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "kunden.csv",
        ["Vorname", "Nachname", "E-Mail"],
        [["Jürgen", "Müller", "j.mueller@beispiel.de"], ["Anna", "Groß", "anna@beispiel.de"]],
        encoding="cp1252",
    )
    window = make_window()
    wizard = window.open_import_wizard(path)
    page = wizard.preview_page
    assert wizard.currentId() == PREVIEW_PAGE
    choose_encoding(wizard, "cp850")  # the wrong guess of an old DOS export
    assert page.cell_text(0, 1) == "M³ller"
    assert wizard.read_options.encoding == "cp850"
    choose_encoding(wizard, "cp1252")
    assert (page.cell_text(0, 0), page.cell_text(0, 1), page.cell_text(1, 1)) == (
        "Jürgen",
        "Müller",
        "Groß",
    )
    report = finish_import(qtbot, wizard)
    assert report.encoding == "cp1252"
    assert [(c.first_name, c.last_name) for c in people(book)] == [
        ("Jürgen", "Müller"),
        ("Anna", "Groß"),
    ]


def test_changed_mapping_is_used_and_remembered(
    qtbot, make_window, book: LeadBook, tmp_path: Path
) -> None:
    header = ["Name", "Email", "Company", "Firm"]
    first = write_rows(
        tmp_path / "fair.csv", header, [["Ana López", "ana@acme.io", "Group A", "Acme Analytics"]]
    )
    window = make_window()
    wizard = window.open_import_wizard(first)
    wizard.next()
    model = wizard.mapping_page.model
    # "Company" wins the field at first; the user knows "Firm" is the employer.
    assert [m.field for m in model.mapping] == ["full_name", "email", "company", None]
    wizard.mapping_page.set_target("Firm", "company")
    assert [m.field for m in model.mapping] == ["full_name", "email", None, "company"]
    assert model.data(model.index(2, 2)) == "Keep as extra column"
    editor = wizard.mapping_page.view.indexWidget(model.index(2, 2))
    assert editor.currentText() == "Keep as extra column"  # the moved column's combo follows
    assert wizard.mapping_page.remember_box.isChecked()
    finish_import(qtbot, wizard)
    wizard.accept()
    ana = people(book)[0]
    assert (ana.company.name, ana.extra) == ("Acme Analytics", {"Company": "Group A"})

    second = write_rows(
        tmp_path / "fair2.csv", header, [["Ben Okafor", "ben@brightpay.co.uk", "B", "Brightpay"]]
    )
    wizard = window.open_import_wizard(second)
    wizard.next()
    assert [m.field for m in wizard.mapping_page.model.mapping] == [
        "full_name",
        "email",
        None,
        "company",
    ]
    finish_import(qtbot, wizard)
    assert [c.company.name for c in people(book)] == ["Acme Analytics", "Brightpay"]


def test_the_mapping_combo_moves_a_single_valued_field(qtbot, make_window, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "a.csv", ["Email", "Mail 2"], [["a@b.co", "c@d.co"]])
    window = make_window()
    wizard = window.open_import_wizard(path)
    wizard.next()
    view = wizard.mapping_page.view
    editor = view.indexWidget(wizard.mapping_page.model.index(0, 2))
    assert editor.currentText() == "Email"
    index = editor.findText("Website")
    editor.setCurrentIndex(index)
    editor.activated.emit(index)
    assert wizard.mapping_page.model.mapping[0].field == "website"
    assert wizard.mapping_page.model.data(wizard.mapping_page.model.index(0, 3)) == "100%"


def test_cancel_during_the_import_leaves_the_book_unchanged(
    qtbot, make_window, book: LeadBook, tmp_path: Path
) -> None:
    rows = [[f"Ann{i}", f"Smith{i}", f"ann{i}@acme.io"] for i in range(6000)]
    path = write_rows(tmp_path / "big.csv", ["First name", "Last name", "Email"], rows)
    window = make_window()
    wizard = window.open_import_wizard(path)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(wizard.validation_page.isComplete, timeout=60_000)
    assert wizard.validation_page.summary_label.text().startswith(
        "6,000 rows read: 6,000 new · 0 would merge · 0 skipped"
    )
    # Hold the write lane so Cancel is pressed before the import's first chunk is committed.
    gate = threading.Event()
    window.jobs.submit_write(lambda book, progress, cancelled: gate.wait(30))
    wizard.next()
    page = wizard.report_page
    assert wizard.currentId() == REPORT_PAGE and not page.isComplete()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.completeChanged, timeout=60_000):
        gate.set()
    assert page.outcome == "canceled"
    assert page.status_label.text() == "Import cancelled. Nothing was imported."
    assert book.count() == 0
    assert window.model.rowCount() == 0
    assert book.history() == []


def test_report_lists_problem_rows_and_saves_them_as_csv(
    qtbot, monkeypatch, make_window, book: LeadBook, tmp_path: Path
) -> None:
    path = write_rows(
        tmp_path / "leads.csv",
        ["Name", "Email", "Notes"],
        [["Ana López", "ana@acme.io", ""], ["Ben Smith", "ben@", "met at fair"],
         ["", "", "only a note"], ["Cara Byrne", "cara@brightpay.co.uk", ""]],
    )  # fmt: skip
    window = make_window()
    wizard = window.open_import_wizard(path)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(wizard.validation_page.isComplete, timeout=30_000)
    assert wizard.validation_page.summary_label.text() == (
        "4 rows read: 3 new · 0 would merge · 1 skipped · 1 with invalid values (kept and marked)"
        "\n2 problem(s), listed below."
    )
    assert wizard.validation_page.problems.lines() == [
        ("2", "Email", "ben@", wizard.validation_page.problems.item(0, 3).text()),
        ("3", "", "", "Skipped: empty row: no name, email, phone or company"),
    ]
    report = finish_import(qtbot, wizard)
    page = wizard.report_page
    assert (report.added, report.skipped, report.invalid) == (3, 1, 1)
    assert page.problems.lines() == [
        (str(i.row), i.column, i.value, i.message) for i in report.issues
    ]
    assert page.problems.lines()[0][:3] == ("2", "Email", "ben@")
    assert page.skipped.lines() == [("3", "empty row: no name, email, phone or company")]
    out = tmp_path / "leads_problems.csv"
    monkeypatch.setattr(report_page, "choose_report_path", lambda parent, start: str(out))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.saved_to == out, timeout=30_000)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        saved = list(csv.DictReader(fh))
    assert [(r["Name"], r["Email"], r["Notes"], r[ROW_COLUMN]) for r in saved] == [
        ("Ben Smith", "ben@", "met at fair", "2"),
        ("", "", "only a note", "3"),
    ]
    assert saved[1][PROBLEM_COLUMN] == "Skipped: empty row: no name, email, phone or company"
    assert saved[0][PROBLEM_COLUMN].startswith("Email: 'ben@' — ")


def drag_events(path_or_text: Path | str) -> tuple[QDragEnterEvent, QDropEvent, QMimeData]:
    mime = QMimeData()
    if isinstance(path_or_text, Path):
        mime.setUrls([QUrl.fromLocalFile(str(path_or_text))])
    else:
        mime.setText(path_or_text)
    action = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPointF(50, 50).toPoint(), action, mime, buttons, mods)
    drop = QDropEvent(QPointF(50, 50), action, mime, buttons, mods)
    return enter, drop, mime


def test_dropping_a_file_opens_the_wizard_at_the_preview(
    qtbot, make_window, book: LeadBook, tmp_path: Path
) -> None:
    path = write_rows(tmp_path / "dropped.csv", ["Name", "Email"], [["Ana López", "ana@acme.io"]])
    window = make_window()
    enter, drop, _mime = drag_events(path)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, drop)
    wizard = window.files.wizard
    assert wizard is not None and wizard.currentId() == PREVIEW_PAGE
    assert wizard.preview_page.cell_text(0, 0) == "Ana López"
    finish_import(qtbot, wizard)
    assert [(c.first_name, c.last_name) for c in people(book)] == [("Ana", "López")]


def test_dropping_text_is_refused(make_window) -> None:
    window = make_window()
    enter, drop, _mime = drag_events("just some text")
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
    QApplication.sendEvent(window, drop)
    assert window.files.wizard is None


@pytest.mark.parametrize(
    ("text", "headers", "names"),
    [
        ("Name\tEmail\nAna López\tana@acme.io\nBen Okafor\tben@brightpay.co.uk\n",
         ["Name", "Email"], ["Ana López", "Ben Okafor"]),
        ("Ana López\tana@acme.io\nBen Okafor\tben@brightpay.co.uk\n",
         ["Column 1", "Column 2"], ["Ana López", "Ben Okafor"]),
    ],
)  # fmt: skip
def test_paste_rows_imports_the_clipboard(
    qtbot, make_window, book: LeadBook, text: str, headers: list[str], names: list[str]
) -> None:
    QGuiApplication.clipboard().setText(text)
    window = make_window()
    window.paste_rows_action.trigger()
    wizard = window.files.wizard
    assert wizard is not None and wizard.currentId() == PREVIEW_PAGE
    page = wizard.preview_page
    assert page.format_label.text() == "Pasted rows"
    assert [page.table.horizontalHeaderItem(c).text() for c in range(2)] == headers
    assert page.cell_text(1, 1) == "ben@brightpay.co.uk"
    wizard.next()
    assert [m.field for m in wizard.mapping_page.model.mapping] == ["full_name", "email"]
    finish_import(qtbot, wizard)
    got = [(f"{c.first_name} {c.last_name}", c.emails[0].value) for c in people(book)]
    assert got == list(zip(names, ["ana@acme.io", "ben@brightpay.co.uk"], strict=True))


def test_paste_rows_with_an_empty_clipboard_says_so(make_window) -> None:
    QGuiApplication.clipboard().setText("  \n")
    window = make_window()
    window.paste_rows_action.trigger()
    assert window.files.wizard is None
    assert window.statusBar().currentMessage() == (
        "The clipboard holds no rows: copy some from a spreadsheet."
    )


def test_a_file_that_cannot_be_read_stays_on_the_source_page(make_window, tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    window = make_window()
    wizard = window.open_import_wizard()
    wizard.source_page.path_edit.setText(str(path))
    wizard.next()
    assert wizard.currentId() == SOURCE_PAGE
    assert "PNG" in wizard.source_page.error_label.text()


def test_escape_closes_the_wizard_without_importing(qtbot, make_window, book: LeadBook) -> None:
    window = make_window()
    wizard = window.open_import_wizard()
    with qtbot.waitSignal(wizard.rejected):
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert book.count() == 0
