"""`run_import` in a child process, for the desktop: same report, same errors, same Cancel.

In the window's process an import's parsing, unpickling of cleaned rows and garbage collections
held the GIL for up to 0.8 s at a time at 1M contacts, and the UI thread waited as long
(bench/UI_STALLS.md). In a child, the window's job only relays progress and Cancel and waits on a
pipe with the GIL released. The child opens the book itself and writes in one transaction, as
`run_import` always does: a cancel, an error or a killed child leaves the book as it was.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from app.book import LeadBook
from app.contact import ImportReport
from app.errors import ImportFailed, JobCancelled, LeadsmithError
from app.jobs import Cancelled, Progress
from importers.parallel import few_collections
from importers.pipeline import ImportOptions, run_import

POLL_SECONDS = 0.05  # how often the waiting job looks at Cancel while the child is quiet
# Issues and skipped rows per message: unpickling is one call that holds the GIL, and a report
# keeps up to 1,000 issues and any number of skipped rows.
REPORT_PIECE = 500


def import_in_child(
    book: LeadBook, path: Path, options: ImportOptions, progress: Progress, cancelled: Cancelled
) -> ImportReport:
    """`run_import` on `book`'s file in a child process; same report, same errors, same Cancel."""
    ctx = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
    receive, send = ctx.Pipe(duplex=False)
    stop = ctx.Event()
    child = ctx.Process(
        target=_import_child, args=(book.path, path, options, send, stop), name="leadsmith-import"
    )
    child.start()
    send.close()  # the child holds the only sending end: its exit shows here as EOF
    issues: list[Any] = []
    skipped: list[Any] = []
    try:
        while True:
            if cancelled():
                stop.set()
            if not receive.poll(POLL_SECONDS):
                continue
            try:
                kind, payload = receive.recv()
            except EOFError:
                raise ImportFailed(
                    f"The import of {path.name} stopped unexpectedly: nothing was changed."
                ) from None
            if kind == "progress":
                progress(*payload)
            elif kind == "issues":
                issues.extend(payload)
            elif kind == "skipped":
                skipped.extend(payload)
            elif kind == "done":
                report: ImportReport = payload
                report.issues, report.skipped_rows = issues, skipped
                return report
            else:
                cancel, message, name = payload
                if cancel:
                    raise JobCancelled(message)
                if name:
                    raise RuntimeError(f"{name}: {message}")  # the job says "Unexpected error"
                raise ImportFailed(message)
    finally:
        stop.set()  # the parent gave up (an error here): the child rolls back
        child.join()
        receive.close()


def _import_child(
    book_path: Path, path: Path, options: ImportOptions, send: Connection, stop: Event
) -> None:
    # Errors travel as text: a dataclass exception (InvalidFile) does not survive pickling.
    if hasattr(os, "nice"):
        # Below the window in the scheduler (the cleaning workers inherit it): on two busy cores
        # the UI thread still gets its turn; an idle machine gives the import all it had.
        os.nice(5)
    try:
        with few_collections(), LeadBook.open(book_path, create=False) as book:
            report = run_import(
                book, path, options, lambda d, t: send.send(("progress", (d, t))), stop.is_set
            )
        for kind, values in (("issues", report.issues), ("skipped", report.skipped_rows)):
            for at in range(0, len(values), REPORT_PIECE):
                send.send((kind, values[at : at + REPORT_PIECE]))
        report.issues, report.skipped_rows = [], []
        send.send(("done", report))
    except JobCancelled as exc:
        send.send(("error", (True, exc.user_message(), "")))
    except LeadsmithError as exc:
        send.send(("error", (False, exc.user_message(), "")))
    except Exception as exc:
        send.send(("error", (False, str(exc), type(exc).__name__)))
    finally:
        send.close()
