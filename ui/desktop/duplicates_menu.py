"""Contacts → Find duplicates… (Ctrl+Shift+D): the menu entry on a main window and the view it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence

from ui.desktop.bulk_actions import menu_named
from ui.desktop.duplicates_view import DuplicatesView

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow


class DuplicatesMenu(QObject):
    """Contacts → Find duplicates… (Ctrl+Shift+D) on a main window, and the one view it opens."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view: DuplicatesView | None = None
        self.action = QAction("Find &duplicates…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.action.setToolTip("Find contacts that look like the same person (Ctrl+Shift+D)")
        self.action.triggered.connect(lambda _checked=False: self.open())
        window.addAction(self.action)
        menu_named(window, "&Contacts").addAction(self.action)
        # Cancel a running scan before the window drains its jobs on close.
        window.installEventFilter(self)

    def open(self) -> DuplicatesView:
        """Show the duplicates view (one per window) and start a fresh scan."""
        if self.view is None:
            self.view = DuplicatesView(self.window.book, self.window.jobs, self.window)
            self.view.changed.connect(lambda: self.window.refresh())
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        self.view.start_scan()
        return self.view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.view:
            self.view.cancel_scan()
        return False
