"""Desktop fixtures: seeded books, a main window with its own QSettings file, CSV writers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.book import LeadBook


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """A QSettings file of the test's own (never the user's)."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, book: LeadBook, settings: QSettings) -> Iterator[object]:
    """Build a MainWindow on the test's book (after the test seeded it), shown offscreen."""
    from ui.desktop.main_window import MainWindow

    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(book.path, settings=settings)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
