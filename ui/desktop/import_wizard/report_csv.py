"""The report as a CSV a user can fix and import again: each problem row with its original cells."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from app.contact import ImportReport
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from importers.pipeline import ImportOptions, open_source

PROBLEM_COLUMN = "Import problems"
ROW_COLUMN = "Row in original file"


def problems_by_row(report: ImportReport) -> dict[int, list[str]]:
    """Row number -> its problems in words ("Email: 'ann@' — missing domain", "Skipped: …")."""
    found: dict[int, list[str]] = defaultdict(list)
    for issue in report.issues:
        found[issue.row].append(f"{issue.column}: {issue.value!r} — {issue.message}")
    for row, reason in report.skipped_rows:
        found[row].append(f"Skipped: {reason}")
    return dict(found)


def write_report_csv(
    out: Path,
    source_path: Path,
    options: ImportOptions,
    report: ImportReport,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> int:
    """Write the rows that had problems (original cells + row + problems) to `out`; their count.

    The source is read again with the same options, so the columns are those of the file and the
    CSV imports again with the same mapping once the values are fixed.
    """
    wanted = problems_by_row(report)
    source = open_source(source_path, options)
    written = 0
    try:
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([*source.headers, ROW_COLUMN, PROBLEM_COLUMN])
            width = len(source.headers)
            for number, cells in source.rows():
                problems = wanted.pop(number, None)
                if problems is not None:
                    padded = list(cells) + [""] * (width - len(cells))
                    writer.writerow([*padded, number, "; ".join(problems)])
                    written += 1
                if written and written % 1000 == 0:
                    check_cancelled(cancelled)
                    progress(*source.progress())
                if not wanted:
                    break
            # Problems the reader found outside its data rows (a footer) still get a line.
            for number, problems in sorted(wanted.items()):
                writer.writerow([""] * width + [number, "; ".join(problems)])
                written += 1
    finally:
        source.close()
    return written
