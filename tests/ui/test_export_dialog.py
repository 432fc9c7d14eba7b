"""File → Export…: preset, selection, the preview that is exactly what is written, preflight,
split notice, Cancel without a partial file, "only new", and the export history."""

from __future__ import annotations

import csv
import io
import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from desktop_data import seed
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.book import LeadBook
from app.contact import RawRecord
from app.errors import InvalidValue
from app.query import ContactFilter
from ui.desktop import export_dialog
from ui.desktop.export_dialog import ExportDialog
from ui.desktop.export_preview_model import ExportPlan, plan_export, plan_summary, split_notice


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Message boxes shown: (kind, title, text); none of them blocks."""
    shown: list[tuple[str, str, str]] = []

    def fake(kind: str):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QMessageBox, "information", fake("information"))
    monkeypatch.setattr(QMessageBox, "warning", fake("warning"))
    return shown


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(export_dialog, "ask_export_path", lambda *args: path)


def wait_plan(qtbot, dialog: ExportDialog) -> ExportPlan:  # type: ignore[no-untyped-def]
    """Wait until the plan for the dialog's current options is shown, its check complete."""

    def ready() -> bool:
        return dialog.plan is not None and dialog.plan.complete and not dialog.timer.isActive()

    qtbot.waitUntil(ready, timeout=30_000)
    assert dialog.plan is not None
    return dialog.plan


def make_sql(book: LeadBook, contact_id: int) -> None:
    """Move a contact to SQL; when the lead cycle asks for BANT and steps, give them."""
    try:
        book.update_contact(contact_id, {"status": "SQL"})
    except InvalidValue:
        bant: dict[str, object] = {
            "budget": "50k",
            "authority": "signs",
            "need": "CRM",
            "timeline": "Q3",
        }
        book.update_contact(contact_id, bant)
        for status in ("MQL", "SAL", "SQL"):
            book.update_contact(contact_id, {"status": status})


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_sql_contacts_of_a_list_to_salesforce_match_the_preview(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    seed(book, 30)
    ids = list(book.snapshot())
    book.create_list("Trade show")
    book.add_to_list(ids[:20], "Trade show")
    sql = [ids[i] for i in (0, 4, 8, 12, 16)]
    for cid in [*sql, ids[25]]:  # ids[25] is SQL but not on the list
        make_sql(book, cid)
    out = tmp_path / "leads.csv"
    save_to(monkeypatch, out)
    window = make_window()
    dialog = window.open_export_dialog()
    dialog.set_preset("salesforce-wizard")
    dialog.set_choice(dialog.list_combo, "Trade show")
    dialog.set_choice(dialog.status_combo, "SQL")
    plan = wait_plan(qtbot, dialog)
    assert dialog.summary_label.text() == "5 contacts selected → 5 will be written."
    assert dialog.tabs.tabText(0) == "Preview (first 5)"
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000) as ended:
        dialog.export_button.click()
    assert ended.args == ["finished"]
    rows = read_csv(out)
    assert rows[0] == dialog.preview_model.header == plan.header
    assert rows[1] == dialog.preview_model.row_cells(0)
    assert rows[1:] == plan.preview
    last_names = sorted(r[rows[0].index("Last Name")] for r in rows[1:])
    assert last_names == ["Smith00000", "Smith00004", "Smith00008", "Smith00012", "Smith00016"]
    assert {r[rows[0].index("Lead Status")] for r in rows[1:]} == {"Working - Contacted"}
    assert out.read_bytes().startswith(b"Salutation,First Name,Last Name,Title,Company,Email,")
    assert boxes == [("information", "Export finished", "Exported 5 contact(s) to leads.csv.")]
    assert dialog.history_table.rowCount() == 1
    history = [dialog.history_table.item(0, c).text() for c in range(1, 5)]
    assert history == ["Salesforce Leads (Data Import Wizard)", "leads.csv", "5", "0"]


@pytest.mark.parametrize("preset", ["hubspot", "csv", "google-csv", "pipedrive", "zoho"])
def test_preview_is_what_the_file_holds(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path, preset: str
) -> None:
    seed(book, 25)
    out = tmp_path / "out.csv"
    save_to(monkeypatch, out)
    window = make_window()
    dialog = window.open_export_dialog()
    dialog.set_preset(preset)
    plan = wait_plan(qtbot, dialog)
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000):
        dialog.export_button.click()
    encoding = book.presets()[preset].encoding
    rows = list(csv.reader(io.StringIO(out.read_text(encoding=encoding), newline="")))
    assert len(plan.preview) == 20
    assert rows[0] == plan.header
    assert rows[1:21] == plan.preview
    assert len(rows) - 1 == plan.rows


def test_vcard_preview_is_the_cards_written(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    seed(book, 4)
    out = tmp_path / "cards.vcf"
    save_to(monkeypatch, out)
    window = make_window()
    dialog = window.open_export_dialog()
    dialog.set_preset("vcard3")
    plan = wait_plan(qtbot, dialog)
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000):
        dialog.export_button.click()
    assert plan.header == ["vCard"]
    assert out.read_bytes().decode("utf-8") == "".join(row[0] for row in plan.preview)


def test_preflight_lists_a_contact_without_company(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook
) -> None:
    seed(book, 10)  # contact 4 (person3@) has an invalid email
    rec = RawRecord(row=0)
    rec.add("first_name", "First name", "Nora")
    rec.add("last_name", "Last name", "Quist")
    rec.add("email", "Email", "nora@quist.io")
    lone = book.add_contact(rec).contact_id
    window = make_window()
    dialog = window.open_export_dialog()
    dialog.set_preset("salesforce-wizard")
    plan = wait_plan(qtbot, dialog)
    assert dialog.summary_label.text() == (
        "11 contacts selected → 9 will be written; 1 rejected by Salesforce (skipped); "
        "1 with an invalid email left out."
    )
    assert dialog.tabs.tabText(1) == "Rejected rows (1)"
    table = dialog.problems_table
    cells = [[table.item(r, c).text() for c in range(4)] for r in range(table.rowCount())]
    assert cells == [
        [f"#{lone} Nora Quist", "Company", "(empty)", "Company is required by Salesforce"]
    ]
    assert plan.rejected_ids == [lone]
    with qtbot.waitSignal(dialog.fix_requested) as fix:
        dialog.fix_button.click()
    assert fix.args == [[lone]]
    assert window.selected_ids() == [lone]
    assert not dialog.isVisible()


def test_keeping_invalid_emails_lets_the_target_reject_them(
    qtbot, make_window, boxes, book: LeadBook
) -> None:
    seed(book, 10)
    window = make_window()
    dialog = window.open_export_dialog()
    dialog.set_preset("salesforce-wizard")
    dialog.valid_email_box.setChecked(False)
    plan = wait_plan(qtbot, dialog)
    assert (plan.rows, plan.rejected, plan.invalid_emails) == (9, 1, 0)
    assert (
        plan.problems[0].message
        == "Email 'person3@' is not a valid email address: nothing after the @"
    )


def test_cancel_leaves_no_file(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    seed(book, 1200)  # progress is reported after the first 1,000 rows
    out = tmp_path / "big.csv"
    save_to(monkeypatch, out)
    window = make_window()
    dialog = window.open_export_dialog()
    wait_plan(qtbot, dialog)
    gate = threading.Event()  # hold the write lane until the cancel hook is in place
    window.jobs.submit_write(lambda book, progress, cancelled: gate.wait(30))
    dialog.export_button.click()
    job = dialog.export_job
    assert job is not None
    job.signals.progressed.connect(
        lambda done, total: job.cancel(), Qt.ConnectionType.DirectConnection
    )
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000) as ended:
        gate.set()
    assert ended.args == ["canceled"]
    assert sorted(p.name for p in tmp_path.iterdir() if "big" in p.name) == []
    assert dialog.result_label.text() == "Export cancelled: no file was written."
    assert book.exports() == []
    assert boxes == []


def test_only_new_exports_nothing_the_second_time(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    seed(book, 3)
    out = tmp_path / "first.csv"
    save_to(monkeypatch, out)
    window = make_window()
    dialog = window.open_export_dialog()
    dialog.set_preset("hubspot")
    dialog.only_new_box.setChecked(True)
    assert wait_plan(qtbot, dialog).rows == 3
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000):
        dialog.export_button.click()
    assert len(read_csv(out)) == 4
    plan = wait_plan(qtbot, dialog)
    assert (plan.rows, plan.already_exported) == (0, 3)
    assert dialog.summary_label.text() == (
        "3 contacts selected → 0 will be written; 3 already exported left out."
    )
    assert not dialog.export_button.isEnabled()
    assert dialog.export() is None
    assert [e["rows"] for e in book.exports()] == [3]
    dialog.set_preset("pipedrive")  # another target: everyone is new to it
    assert wait_plan(qtbot, dialog).rows == 3


def checked_in_small_chunks(make_window, book: LeadBook, leave_out: bool) -> ExportDialog:  # type: ignore[no-untyped-def]
    """A Salesforce export of 60 contacts checked 5 at a time (a big book's 1,000, in small)."""
    seed(book, 60)
    dialog = make_window().open_export_dialog()
    dialog.plan_chunk = 5
    dialog.set_preset("salesforce-wizard")
    dialog.valid_email_box.setChecked(leave_out)
    return dialog


def test_the_preview_and_export_come_before_the_check_ends(
    qtbot, make_window, boxes, book: LeadBook
) -> None:
    dialog = checked_in_small_chunks(make_window, book, leave_out=False)
    seen: list[tuple[object, ...]] = []
    dialog.plan_previewed.connect(
        lambda plan: seen.append(
            (
                plan.complete,
                dialog.export_button.isEnabled(),
                dialog.tabs.tabText(0),
                dialog.tabs.tabText(1),
                dialog.fix_button.isEnabled(),
                dialog.summary_label.text(),
                dialog.preview_model.rowCount(),
            )
        )
    )
    plan = wait_plan(qtbot, dialog)
    [(complete, enabled, preview_tab, problems_tab, fix, summary, shown)] = seen
    assert (complete, enabled, preview_tab, problems_tab, fix, shown) == (
        False,
        True,
        "Preview (first 20)",
        "Rejected rows (checking…)",
        False,
        20,
    )
    assert re.fullmatch(r"Checking the contacts for Salesforce: \d+ of 60…", summary)
    assert plan.rejected > 0
    assert dialog.tabs.tabText(1) == f"Rejected rows ({plan.rejected})"
    assert dialog.summary_label.text() == plan_summary(plan)
    assert dialog.fix_button.isEnabled()


@pytest.mark.parametrize("leave_out", [False, True])
def test_an_export_started_before_the_check_ends_writes_what_it_would_after(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path, leave_out: bool
) -> None:
    out = tmp_path / "early.csv"
    save_to(monkeypatch, out)
    dialog = checked_in_small_chunks(make_window, book, leave_out)
    started: list[object] = []

    def export_at_once(plan: ExportPlan) -> None:  # the user does not wait for the check
        if not started:
            started.append(dialog.export())

    dialog.plan_previewed.connect(export_at_once)
    with qtbot.waitSignal(dialog.export_ended, timeout=30_000) as ended:
        pass
    assert ended.args == ["finished"] and started != [None]
    whole = plan_export(
        book,
        "salesforce-wizard",
        dialog.contact_filter(),
        leave_out_invalid_emails=leave_out,
    )
    assert (whole.rejected > 0, whole.invalid_emails > 0) == (not leave_out, leave_out)
    rows = read_csv(out)
    assert rows[0] == whole.header
    assert rows[1:21] == whole.preview
    assert len(rows) - 1 == whole.rows
    text = f"Exported {whole.rows} contact(s) to early.csv."
    if whole.rejected:
        text += f"\n{whole.rejected} contact(s) were skipped: Salesforce would reject them."
    assert boxes == [("information", "Export finished", text)]
    again = wait_plan(qtbot, dialog)  # worked out again after the export, to the end
    assert (again.rows, again.rejected) == (whole.rows, whole.rejected)


def test_selected_rows_only(qtbot, make_window, book: LeadBook) -> None:
    seed(book, 8)
    window = make_window()
    ids = list(book.snapshot())
    window.select_ids([ids[2], ids[5]])
    dialog = window.open_export_dialog()
    dialog.set_choice(dialog.source_combo, "selected")
    plan = wait_plan(qtbot, dialog)
    assert dialog.source_combo.currentText() == "Selected rows only (2)"
    assert [row[plan.header.index("Leadsmith ID")] for row in plan.preview] == [
        str(ids[2]),
        str(ids[5]),
    ]


@pytest.mark.parametrize(
    ("preset", "rows", "notice"),
    [
        ("salesforce-wizard", 51_000,
         "51,000 contacts → 2 files of at most 50,000 (Salesforce's limit per file)"),
        ("pipedrive", 100_001,
         "100,001 contacts → 3 files of at most 50,000 (Pipedrive's limit per file)"),
        ("salesforce-wizard", 50_000, ""),
        ("csv", 2_000_000, ""),
    ],
)  # fmt: skip
def test_split_notice(book: LeadBook, preset: str, rows: int, notice: str) -> None:
    plan = ExportPlan(book.presets()[preset], [], rows=rows)
    assert split_notice(plan) == notice


@pytest.mark.parametrize("preset", ["hubspot", "csv", "vcard3", "json", "xlsx", "dynamics365"])
def test_every_format_hands_out_its_preview_before_the_check_ends(
    book: LeadBook, preset: str
) -> None:
    seed(book, 60)
    f = ContactFilter()
    whole = plan_export(book, preset, f, leave_out_invalid_emails=True)
    early: list[ExportPlan] = []
    plan = plan_export(
        book, preset, f, leave_out_invalid_emails=True, on_partial=early.append, chunk=5
    )
    assert plan == whole
    [first] = early
    assert not first.complete and first.to_check == whole.to_check == 60
    assert first.preview == whole.preview and len(first.preview) == 20
    assert first.rows < whole.rows and first.export_filter == replace(f, exclude_invalid_email=True)
