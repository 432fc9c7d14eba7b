"""Wizard page 3: which field each column feeds, with sample values and the guess's confidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from ui.desktop.import_wizard.mapping_model import TARGET_COLUMN, MappingTableModel
from ui.desktop.import_wizard.preview import initial_mapping
from ui.desktop.import_wizard.target_delegate import TargetDelegate

if TYPE_CHECKING:
    from ui.desktop.import_wizard.wizard import ImportWizard


class MappingPage(QWizardPage):
    """The mapping table and "Remember this mapping"; edits survive going Back and Next again."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setTitle("Match the columns")
        self.setSubTitle(
            "Choose what each column holds. Columns kept as extra are stored with the contact, "
            "never dropped. Hover a confidence for the reason."
        )
        self.model = MappingTableModel([], [], self)
        self.view = QTableView()
        self.view.setObjectName("mapping_table")
        self.view.setAccessibleName("Column mapping")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(TARGET_COLUMN, TargetDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.remember_box = QCheckBox("&Remember this mapping for files with these columns")
        self.remember_box.setObjectName("remember_box")
        self.remember_box.setChecked(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("mapping_summary")
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.remember_box)
        self._headers: tuple[str, ...] | None = None
        self.model.dataChanged.connect(lambda *_args: self._update_summary())

    def initializePage(self) -> None:
        wizard = self.import_wizard
        preview = wizard.preview
        if preview is None or tuple(preview.headers) == self._headers:
            return  # Back then Next on the same columns keeps the user's choices
        self._headers = tuple(preview.headers)
        mapping = initial_mapping(wizard.book, preview)
        samples = [preview.samples(i) for i in range(len(preview.headers))]
        self.model.beginResetModel()
        self.model.mapping, self.model.samples = list(mapping), samples
        self.model.endResetModel()
        # Headerless pasted rows have "Column 1..." names: nothing worth remembering.
        self.remember_box.setChecked(preview.header_row is not None)
        for row in range(self.model.rowCount()):
            self.view.openPersistentEditor(self.model.index(row, TARGET_COLUMN))
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        header.resizeSection(0, min(max(header.sectionSize(0), 140), 220))
        header.resizeSection(1, min(max(header.sectionSize(1), 160), 300))
        header.resizeSection(TARGET_COLUMN, 210)
        self._update_summary()

    def set_target(self, column: str, field: str | None) -> None:
        """Send the column called `column` to `field` (None: keep as extra), as the combo does."""
        row = self.model.row_of(column)
        if row < 0:
            raise KeyError(column)
        self.model.set_target(row, field)

    def _update_summary(self) -> None:
        mapped = sum(1 for m in self.model.mapping if m.field)
        extra = len(self.model.mapping) - mapped
        self.summary_label.setText(
            f"{mapped} column(s) mapped to fields, {extra} kept as extra columns."
        )
