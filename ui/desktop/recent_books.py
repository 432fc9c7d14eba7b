"""Recent books (QSettings) and the File menu's New Book, Open Book and Open Recent.

A window belongs to one book (its model, jobs and panels all hold that book), so opening another
book opens a new main window on it and closes this one; the geometry, docks and columns it saved
on closing are restored by the new one, so to the user the window simply shows another book.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app.errors import LeadsmithError

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow

MAX_RECENT = 8
RECENT_KEY = "books/recent"
BOOK_FILTER = "Leadsmith books (*.db *.leadsmith);;All files (*)"
# Windows opened on another book: nothing else holds a reference to them once the first closes.
OPEN_WINDOWS: list[QWidget] = []


class RecentBooks:
    """The last books opened, newest first, in QSettings (window state, not book data)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def paths(self) -> list[Path]:
        """Newest first, at most MAX_RECENT (missing files included: the menu greys them)."""
        value = self.settings.value(RECENT_KEY, [])
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(str(p)) for p in items if str(p)][:MAX_RECENT]

    def _store(self, paths: list[Path]) -> None:
        self.settings.setValue(RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])
        self.settings.sync()

    def add(self, path: Path) -> None:
        """Put a book first (it was just opened)."""
        p = Path(path).expanduser().absolute()
        self._store([p, *(q for q in self.paths() if q != p)])

    def remove(self, path: Path) -> None:
        """Forget one book."""
        self._store([q for q in self.paths() if q != Path(path)])

    def remove_missing(self) -> int:
        """Forget the books whose file is gone; returns how many."""
        kept = [p for p in self.paths() if p.exists()]
        gone = len(self.paths()) - len(kept)
        self._store(kept)
        return gone

    def clear(self) -> None:
        """Forget them all."""
        self._store([])

    def last_existing(self) -> Path | None:
        """The most recent book whose file still exists (what the app reopens at start)."""
        return next((p for p in self.paths() if p.exists()), None)


class BookMenus(QObject):
    """File ▸ New Book…, Open Book…, Open Recent ▸; records the window's own book as recent."""

    def __init__(
        self,
        window: MainWindow,
        open_window: Callable[[Path], QWidget] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.recent = RecentBooks(window.settings)
        self.recent.add(window.book_path)
        self._open_window = open_window or self._default_open_window
        self.new_book_action = self._action(
            "New &book…", "Ctrl+Shift+N", self.new_book, "Create an empty book in a new file"
        )
        self.open_book_action = self._action(
            "&Open book…", "Ctrl+O", self.open_book, "Open another book file (Ctrl+O)"
        )
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setObjectName("recent_menu")
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        self.rebuild_recent_menu()

    def _action(self, text: str, shortcut: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({shortcut})" if shortcut not in tip else tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def install(self, file_menu: QMenu, before: QAction | None) -> None:
        """Put New Book, Open Book and Open Recent into the File menu, above `before`."""
        file_menu.insertActions(before, [self.new_book_action, self.open_book_action])  # type: ignore[arg-type]
        file_menu.insertMenu(before, self.recent_menu)  # type: ignore[arg-type]
        file_menu.insertSeparator(before)  # type: ignore[arg-type]

    def rebuild_recent_menu(self) -> None:
        """The recent books; a missing file is shown greyed with "(missing)", never opened."""
        menu = self.recent_menu
        menu.clear()
        paths = [p for p in self.recent.paths() if p != self.window.book_path.absolute()]
        for n, path in enumerate(paths, start=1):
            missing = not path.exists()
            label = f"&{n} {path.name}" + (" (missing)" if missing else "")
            action = menu.addAction(label)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.setEnabled(not missing)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        if not paths:
            menu.addAction("No other books yet").setEnabled(False)
        menu.addSeparator()
        if any(not p.exists() for p in paths):
            menu.addAction("Remove &missing books", self._on_remove_missing_triggered)
        clear = menu.addAction("&Clear menu", self._on_clear_triggered)
        clear.setEnabled(bool(paths))

    def _on_remove_missing_triggered(self) -> None:
        gone = self.recent.remove_missing()
        self.window.show_message(f"Removed {gone} missing book(s) from the menu.")

    def _on_clear_triggered(self) -> None:
        self.recent.clear()
        self.recent.add(self.window.book_path)  # this window's book is open: it stays recent

    # -- opening -----------------------------------------------------------------------------------
    def new_book(self) -> QWidget | None:
        """File ▸ New Book…: choose where, then open the new empty book."""
        start = str(self.window.book_path.parent / "New book.db")
        name, _ = QFileDialog.getSaveFileName(self.window, "New book", start, BOOK_FILTER)
        if not name:
            return None
        path = Path(name)
        if path.suffix == "":
            path = path.with_suffix(".db")
        if path.exists():
            # The save dialog asked before replacing; a book is never overwritten by "New".
            QMessageBox.warning(
                self.window,
                "New book",
                f"{path.name} already exists. Choose another name, or open it with Open book.",
            )
            return None
        return self.open_path(path)

    def open_book(self) -> QWidget | None:
        """File ▸ Open Book…: choose a book file and open it."""
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Open book", str(self.window.book_path.parent), BOOK_FILTER
        )
        return self.open_path(Path(name)) if name else None

    def open_path(self, path: Path) -> QWidget | None:
        """Open `path` in a new window that replaces this one; None (and a message) on failure."""
        path = Path(path).expanduser().absolute()
        if path == self.window.book_path.absolute():
            self.window.show_message(f"{path.name} is already open.")
            return None
        if self.window.jobs.busy:
            self.window.show_message("Wait for the running import or export to finish.")
            return None
        self.window.save_settings()  # the new window restores this layout
        try:
            other = self._open_window(path)
        except (LeadsmithError, OSError) as exc:
            message = exc.user_message() if isinstance(exc, LeadsmithError) else str(exc)
            QMessageBox.warning(self.window, "Open book", f"Cannot open {path}:\n{message}")
            if not path.exists():
                self.recent.remove(path)
            return None
        self.recent.add(path)
        self.window.close()
        return other

    def _default_open_window(self, path: Path) -> QWidget:
        from ui.desktop.main_window import MainWindow

        window = MainWindow(path, settings=self.window.settings)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        OPEN_WINDOWS.append(window)
        window.destroyed.connect(lambda _obj=None, w=window: _forget(w))
        window.show()
        return window


def _forget(window: QWidget) -> None:
    if window in OPEN_WINDOWS:
        OPEN_WINDOWS.remove(window)
