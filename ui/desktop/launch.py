"""Start the desktop app: parse `--db`, check the platform, then create Qt and the main window."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.backup import maybe_daily_backup
from app.paths import default_book_path
from ui.desktop.preflight import preflight

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings  # Qt is imported only after the preflight


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The desktop's few options (the CLI owns everything else)."""
    parser = argparse.ArgumentParser(prog="leadsmith", description="Leadsmith desktop")
    parser.add_argument("--db", type=Path, default=None, help="the book file to open")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def launch(argv: list[str]) -> int:
    """Run the desktop app on the book `--db PATH` (or the default book); returns the exit code."""
    args = parse_args(argv)
    problem = preflight(os.environ)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    # Qt is imported only now: the preflight must run before the xcb plugin can abort the process.
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.errors import LeadsmithError
    from ui.desktop.main_window import MainWindow
    from ui.desktop.theme import SystemTheme

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "leadsmith"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Leadsmith")
    app.setOrganizationName("Leadsmith")
    app.setApplicationDisplayName("Leadsmith")
    app.setStyle("Fusion")
    theme = SystemTheme(app)  # light or dark with the system, now and when it changes
    book_path = choose_book(args.db, QSettings())
    if book_path is None:
        return 0  # the welcome was closed without choosing: nothing to open
    try:
        book_path.parent.mkdir(parents=True, exist_ok=True)
        maybe_daily_backup(book_path)  # at most once a day, before the window touches the book
        window = MainWindow(book_path)
    except (LeadsmithError, OSError) as exc:
        print(f"Leadsmith cannot open {book_path}: {exc}", file=sys.stderr)
        return 1
    window.show()
    window.theme = theme  # type: ignore[attr-defined]  # lives as long as the app runs
    QTimer.singleShot(0, freeze_startup_objects)  # once the window is up
    return int(app.exec())


def freeze_startup_objects() -> None:
    """Keep the objects the app started with out of every later full garbage collection."""
    # A full gc pass walks every tracked object with the GIL held. With the window open that is
    # ~73,000 objects (modules, Qt wrappers, the window), 70–160 ms on this project's machines
    # (bench/UI_STALLS.md), and a background job's allocations set such a pass off now and then:
    # the UI thread froze for as long. These objects live as long as the app, so the collector
    # never needs to walk them again; after the freeze the same pass takes ~0 ms. Collect first
    # so that no garbage is frozen with them (once, at start-up, before the user can act).
    gc.collect()
    gc.freeze()


def choose_book(db: Path | None, settings: QSettings) -> Path | None:
    """--db, else $LEADSMITH_DB, else the book opened last, else (first run) the welcome's choice."""
    from ui.desktop.recent_books import RecentBooks
    from ui.desktop.welcome import WelcomeDialog, is_first_run

    if db is not None:
        return db.expanduser()
    if os.environ.get("LEADSMITH_DB", "").strip():
        return default_book_path()
    recent = RecentBooks(settings)
    last = recent.last_existing()
    if last is not None:
        return last
    if not is_first_run(recent.paths(), default_book_path()):
        return default_book_path()
    welcome = WelcomeDialog()
    if welcome.exec() != WelcomeDialog.DialogCode.Accepted or welcome.chosen is None:
        return None
    return welcome.chosen
