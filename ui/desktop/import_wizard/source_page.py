"""Wizard page 1: pick a file, or paste rows copied from a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.desktop import theme

if TYPE_CHECKING:
    from ui.desktop.import_wizard.wizard import ImportWizard

IMPORT_FILTER = (
    "Contact files (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.vcf);;"
    "Spreadsheets (*.xlsx *.xlsm *.xls);;vCard (*.vcf);;All files (*)"
)


def choose_import_file(parent: QWidget, start_dir: str) -> str:
    """The file dialog ("" when cancelled); a module function so tests can replace it."""
    path, _selected = QFileDialog.getOpenFileName(
        parent, "Import contacts", start_dir, IMPORT_FILTER
    )
    return str(path)


class SourcePage(QWizardPage):
    """Where the contacts come from: a file on disk or pasted rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setTitle("Where are the contacts?")
        self.setSubTitle(
            "Choose a file (CSV, Excel, vCard) or paste rows copied from a spreadsheet."
        )
        self.file_radio = QRadioButton("A &file")
        self.paste_radio = QRadioButton("&Pasted rows")
        self.file_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.file_radio)
        group.addButton(self.paste_radio)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setPlaceholderText("Path of a .csv, .xlsx, .xls or .vcf file")
        self.browse_button = QPushButton("&Choose…")
        self.browse_button.clicked.connect(self.browse)
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setObjectName("paste_edit")
        self.paste_edit.setAccessibleName("Pasted rows")
        self.paste_edit.setPlaceholderText(
            "Paste rows here (Ctrl+V); a first row of column names is recognized."
        )
        self.paste_edit.setTabChangesFocus(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("source_error")
        self.error_label.setWordWrap(True)
        theme.set_style(self.error_label, "color: $invalid;")
        grid = QGridLayout()
        grid.addWidget(self.file_radio, 0, 0, 1, 2)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        grid.addLayout(row, 1, 1)
        grid.addWidget(self.paste_radio, 2, 0, 1, 2)
        grid.addWidget(self.paste_edit, 3, 1)
        grid.setColumnMinimumWidth(0, 20)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.error_label)
        self.path_edit.textChanged.connect(self._on_path_edited)
        self.paste_edit.textChanged.connect(self._on_paste_edited)
        group.buttonToggled.connect(lambda *_args: self.completeChanged.emit())

    def browse(self) -> None:
        """Choose…: the file dialog, starting in the folder of the path typed so far."""
        typed = Path(self.path_edit.text().strip())
        start = str(typed.parent) if self.path_edit.text().strip() else ""
        chosen = choose_import_file(self, start)
        if chosen:
            self.file_radio.setChecked(True)
            self.path_edit.setText(chosen)
            self.import_wizard.next()

    def _on_path_edited(self, _text: str) -> None:
        self.file_radio.setChecked(True)
        self.error_label.clear()
        self.completeChanged.emit()

    def _on_paste_edited(self) -> None:
        if self.paste_edit.toPlainText():
            self.paste_radio.setChecked(True)
        self.error_label.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.paste_radio.isChecked():
            return bool(self.paste_edit.toPlainText().strip())
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        wizard = self.import_wizard
        if self.paste_radio.isChecked():
            ok = wizard.set_pasted(self.paste_edit.toPlainText())
        else:
            ok = wizard.set_file(Path(self.path_edit.text().strip()).expanduser())
        if not ok:
            self.error_label.setText(wizard.preview_error)
        return ok
