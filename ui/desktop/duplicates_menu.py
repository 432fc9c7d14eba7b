"""Contacts → Find duplicates… (Ctrl+Shift+D): the menu entry on a main window and the view it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

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
        self._contacts_menu().addAction(self.action)
        # Cancel a running scan before the window drains its jobs on close.
        window.installEventFilter(self)

    def _contacts_menu(self) -> QMenu:
        bar = self.window.menuBar()
        for a in bar.actions():
            menu = a.menu()
            if a.text().replace("&", "") == "Contacts" and isinstance(menu, QMenu):
                return menu
        menu = QMenu("&Contacts", bar)
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)
        else:
            bar.addMenu(menu)
        return menu

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
