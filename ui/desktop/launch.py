"""Start the desktop app: parse `--db`, check the platform, then create Qt and the main window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.backup import maybe_daily_backup
from app.paths import default_book_path
from ui.desktop.preflight import preflight


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
    from PySide6.QtWidgets import QApplication

    from app.errors import LeadsmithError
    from ui.desktop.main_window import MainWindow

    book_path = (args.db or default_book_path()).expanduser()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "leadsmith"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Leadsmith")
    app.setOrganizationName("Leadsmith")
    app.setApplicationDisplayName("Leadsmith")
    app.setStyle("Fusion")
    try:
        book_path.parent.mkdir(parents=True, exist_ok=True)
        maybe_daily_backup(book_path)  # at most once a day, before the window touches the book
        window = MainWindow(book_path)
    except (LeadsmithError, OSError) as exc:
        print(f"Leadsmith cannot open {book_path}: {exc}", file=sys.stderr)
        return 1
    window.show()
    return int(app.exec())
