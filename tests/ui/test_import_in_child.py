"""A quick import runs in a child process (so it never holds the window's GIL): same result, same
errors, same Cancel as `run_import` in the window's own process. And the start-up gc freeze."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from app.book import LeadBook
from app.errors import ImportFailed, JobCancelled, LeadsmithError
from importers.child import REPORT_PIECE, import_in_child
from importers.pipeline import ImportOptions, run_import
from ui.desktop import launch

HEADER = "First Name,Last Name,Email,Phone,Company,Country\n"
ROWS = [
    "Ana,López,ana.lopez@acme.com,+34 912 345 678,Acme S.L.,ES",
    "Bob,Miller,bob@example.org,,Example Inc,US",
    "Ana,Lopez,ANA.LOPEZ@ACME.COM,,Acme,ES",  # the same person again: merged on the email
    "Chloé,Martin,not-an-address,,Globex SAS,FR",  # kept, marked invalid
]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def counts(path: Path) -> tuple[int, int, int]:
    with LeadBook.open(path) as book:
        q = book.conn.execute
        return (
            q("SELECT count(*) FROM contacts WHERE merged_into IS NULL").fetchone()[0],
            q("SELECT count(*) FROM contact_points").fetchone()[0],
            q("SELECT count(*) FROM imports WHERE status = 'done'").fetchone()[0],
        )


def test_a_child_import_writes_and_reports_what_run_import_does(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "people.csv", ROWS)
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    with LeadBook.open(here) as book:
        expected = run_import(book, csv, ImportOptions())
    seen: list[tuple[int, int]] = []
    with LeadBook.open(there) as book:
        report = import_in_child(
            book, csv, ImportOptions(), lambda d, t: seen.append((d, t)), lambda: False
        )
    assert (report.rows, report.added, report.merged, report.skipped, report.invalid) == (
        4, 3, 1, 0, 1
    )  # fmt: skip
    assert (report.rows, report.added, report.merged, report.invalid) == (
        expected.rows, expected.added, expected.merged, expected.invalid
    )  # fmt: skip
    assert [i.message for i in report.issues] == [i.message for i in expected.issues]
    assert counts(there) == counts(here) == (3, counts(here)[1], 1)
    assert seen and seen[-1][0] == seen[-1][1]  # progress came through, ending at the total


def test_a_report_with_more_issues_than_one_message_holds_arrives_whole(tmp_path: Path) -> None:
    rows = [f"P{n},Q{n},broken{n}@,,Firm {n} Ltd,GB" for n in range(2 * REPORT_PIECE + 50)]
    csv = write_csv(tmp_path / "broken.csv", rows)
    with LeadBook.open(tmp_path / "here.db") as book:
        expected = run_import(book, csv, ImportOptions())
    with LeadBook.open(tmp_path / "there.db") as book:
        report = import_in_child(book, csv, ImportOptions(), lambda d, t: None, lambda: False)
    assert len(report.issues) == len(expected.issues) > REPORT_PIECE
    assert report.issues == expected.issues
    assert report.skipped_rows == expected.skipped_rows
    assert report.invalid == 2 * REPORT_PIECE + 50


def test_cancel_stops_the_child_and_changes_nothing(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "people.csv", ROWS * 50)
    path = tmp_path / "book.db"
    with LeadBook.open(path) as book, pytest.raises(JobCancelled) as raised:
        import_in_child(book, csv, ImportOptions(), lambda d, t: None, lambda: True)
    assert raised.value.user_message() == "Cancelled: nothing was changed."
    assert counts(path) == (0, 0, 0)


def test_a_file_that_cannot_be_read_fails_with_the_same_message(tmp_path: Path) -> None:
    missing = tmp_path / "gone.csv"
    with LeadBook.open(tmp_path / "here.db") as book, pytest.raises(LeadsmithError) as here:
        run_import(book, missing, ImportOptions())
    with LeadBook.open(tmp_path / "there.db") as book, pytest.raises(ImportFailed) as there:
        import_in_child(book, missing, ImportOptions(), lambda d, t: None, lambda: False)
    assert there.value.user_message() == here.value.user_message()
    assert "gone.csv" in there.value.user_message()
    assert counts(tmp_path / "there.db") == (0, 0, 0)


def test_the_objects_the_app_started_with_are_frozen_out_of_gc() -> None:
    try:
        launch.freeze_startup_objects()
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()  # the rest of the test run collects as before
