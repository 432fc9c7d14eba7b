"""The first-run welcome: open a book, start a new one, or explore a generated sample book."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.errors import LeadsmithError
from app.paths import default_book_path
from app.sample import SAMPLE_FILE_NAME, build_sample_book
from ui.desktop.recent_books import BOOK_FILTER


def sample_book_path() -> Path:
    """Where the sample book is created: next to the default book, in the user data folder."""
    return user_data_path("Leadsmith", appauthor=False) / SAMPLE_FILE_NAME


def is_first_run(recent: list[Path], default_book: Path) -> bool:
    """No book was ever opened: nothing recent and no default book on disk."""
    return not recent and not default_book.exists()


class WelcomeDialog(QDialog):
    """Three ways in; `chosen` is the book to open once the dialog is accepted."""

    def __init__(self, parent: QWidget | None = None, sample_path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome_dialog")
        self.setWindowTitle("Welcome to Leadsmith")
        self.chosen: Path | None = None
        self.sample_path = sample_path or sample_book_path()
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        title = QLabel("<h2>Welcome to Leadsmith</h2>")
        intro = QLabel(
            "Build clean prospect lists: import the contact files you already have, let Leadsmith "
            "validate and merge them, pick your target audience and export to your CRM.<br><br>"
            "A <b>book</b> is one file holding your contacts. Where would you like to start?"
        )
        intro.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(intro)
        style = self.style()
        icons = QStyle.StandardPixmap
        self.sample_button = self._button(
            "Explore a sample book",
            "About 200 made-up contacts from two files, with duplicates, invalid values, "
            "two lists and an audience to try everything on.",
            style.standardIcon(icons.SP_FileDialogContentsView),
        )
        self.new_button = self._button(
            "New book",
            "Start with an empty book and import your first file.",
            style.standardIcon(icons.SP_FileIcon),
        )
        self.open_button = self._button(
            "Open a book…",
            "Open a book file you already have.",
            style.standardIcon(icons.SP_DialogOpenButton),
        )
        for button in (self.sample_button, self.new_button, self.open_button):
            layout.addWidget(button)
        self.sample_button.clicked.connect(self.explore_sample)
        self.new_button.clicked.connect(self.new_book)
        self.open_button.clicked.connect(self.open_book)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for button in (self.new_button, self.open_button):
            button.setAutoDefault(False)
        self.sample_button.setDefault(True)  # Enter explores the sample
        self.sample_button.setFocus()
        self.resize(540, self.sizeHint().height())

    def _button(self, text: str, description: str, icon: object) -> QCommandLinkButton:
        button = QCommandLinkButton(text, description, self)
        button.setIcon(icon)  # type: ignore[arg-type]
        button.setAccessibleName(text.rstrip("…"))
        button.setToolTip(description)
        return button

    def explore_sample(self) -> None:
        """Generate the sample book (replacing an older sample) and open it."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = build_sample_book(self.sample_path)
        except (LeadsmithError, OSError) as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Sample book", f"The sample book could not be made: {exc}")
            return
        QGuiApplication.restoreOverrideCursor()
        self._choose(summary.path)

    def new_book(self) -> None:
        """An empty book: the default book file (created on opening)."""
        self._choose(default_book_path())

    def open_book(self) -> None:
        """Choose an existing book file."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Open book", str(default_book_path().parent), BOOK_FILTER
        )
        if name:
            self._choose(Path(name))

    def _choose(self, path: Path) -> None:
        self.chosen = path
        self.accept()
