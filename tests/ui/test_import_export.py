"""File → Import CSV… / Export CSV…: the job runs off the UI thread with progress and Cancel."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from desktop_data import seed, write_csv
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.book import LeadBook
from ui.desktop import import_runner


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Message boxes the window showed: (kind, title, text); none of them blocks."""
    shown: list[tuple[str, str, str]] = []

    def fake(kind: str):  # type: ignore[no-untyped-def]
        def show(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    monkeypatch.setattr(QMessageBox, "information", fake("information"))
    monkeypatch.setattr(QMessageBox, "warning", fake("warning"))
    return shown


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        import_runner.QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), "")
    )


def test_import_csv_from_the_menu(qtbot, monkeypatch, make_window, boxes, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "prospects.csv", 120)
    choose_file(monkeypatch, path)
    window = make_window()
    with qtbot.waitSignal(window.files.job_ended, timeout=30_000) as ended:
        window.quick_import_action.trigger()
    assert ended.args == ["finished"]
    assert window.model.rowCount() == 120
    assert window.count_label.text() == "120 contacts"
    assert window.model.data(window.model.index(119, 0)) == "Ann119 Smith00119"
    assert boxes == [
        (
            "information",
            "Import finished",
            "prospects.csv: 120 rows read — 120 added, 0 merged, 0 skipped.\n"
            "12 contact(s) have invalid values; they were kept and marked.\n"
            "29 value(s) need a look.",
        )
    ]
    assert window.statusBar().currentMessage() == "Imported prospects.csv: 120 added, 0 merged"


def test_reimport_merges_instead_of_duplicating(
    qtbot, monkeypatch, make_window, boxes, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "prospects.csv", 20)
    choose_file(monkeypatch, path)
    window = make_window()
    for _ in range(2):
        with qtbot.waitSignal(window.files.job_ended, timeout=30_000):
            window.quick_import_action.trigger()
    assert window.model.rowCount() == 20
    assert boxes[1][2].startswith("prospects.csv: 20 rows read — 0 added, 20 merged, 0 skipped.")


def test_cancelled_import_leaves_the_book_unchanged(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    seed(book, 3)
    path = write_csv(tmp_path / "big.csv", 6000, start=100)  # three chunks of 2,000 rows
    choose_file(monkeypatch, path)
    window = make_window()
    # Hold the write lane so the import cannot start before the cancel hook is in place.
    gate = threading.Event()
    window.jobs.submit_write(lambda book, progress, cancelled: gate.wait(30))
    window.quick_import_action.trigger()
    job = window.files.current_job
    assert job is not None
    # Runs in the worker, right after the first chunk was written inside the transaction.
    job.signals.progressed.connect(
        lambda done, total: job.cancel(), Qt.ConnectionType.DirectConnection
    )
    with qtbot.waitSignal(window.files.job_ended, timeout=30_000) as ended:
        gate.set()
    assert ended.args == ["canceled"]
    assert window.statusBar().currentMessage() == "Import big.csv cancelled: nothing was changed."
    assert boxes == []
    assert book.count() == 3
    assert window.model.rowCount() == 3
    assert [op.kind for op in book.history()] == ["import"]  # only the seed


def test_broken_file_shows_a_message_and_changes_nothing(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    choose_file(monkeypatch, path)
    window = make_window()
    with qtbot.waitSignal(window.files.job_ended, timeout=30_000) as ended:
        window.quick_import_action.trigger()
    assert ended.args == ["failed"]
    assert len(boxes) == 1
    kind, title, text = boxes[0]
    assert (kind, title) == ("warning", "Import photo.csv failed")
    assert str(path) in text and "PNG" in text
    assert book.count() == 0


def test_cancelling_the_file_dialog_does_nothing(monkeypatch, make_window, boxes) -> None:
    monkeypatch.setattr(import_runner.QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    window = make_window()
    window.quick_import_action.trigger()
    assert window.files.current_job is None
    assert not window.jobs.busy
    assert boxes == []


def test_undo_after_import_empties_the_table(
    qtbot, monkeypatch, make_window, boxes, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "prospects.csv", 40)
    choose_file(monkeypatch, path)
    window = make_window()
    with qtbot.waitSignal(window.files.job_ended, timeout=30_000):
        window.quick_import_action.trigger()
    assert window.model.rowCount() == 40
    window.undo_action.trigger()
    assert window.model.rowCount() == 0
    assert window.count_label.text() == "0 contacts"
    assert window.statusBar().currentMessage() == "Undone: Import prospects.csv"


def test_export_csv_of_the_search_results(
    qtbot, monkeypatch, make_window, boxes, book: LeadBook, tmp_path: Path
) -> None:
    seed(book, 30)
    out = tmp_path / "out.csv"
    monkeypatch.setattr(
        import_runner.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "")
    )
    window = make_window()
    qtbot.keyClicks(window.search_box, "ann2")
    qtbot.waitUntil(lambda: window.model.rowCount() == 11)
    with qtbot.waitSignal(window.files.job_ended, timeout=30_000) as ended:
        window.export_action.trigger()
    assert ended.args == ["finished"]
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["First Name"] for r in rows) == ["Ann2", *(f"Ann{i}" for i in range(20, 30))]
    ann2 = next(r for r in rows if r["First Name"] == "Ann2")
    assert (ann2["Email"], ann2["Work Phone"]) == ("person2@acme2.com", "+442079460002")
    assert boxes == [("information", "Export finished", "Exported 11 contact(s) to out.csv.")]


def test_qfiledialog_is_called_through_the_module() -> None:
    assert import_runner.QFileDialog is QFileDialog
