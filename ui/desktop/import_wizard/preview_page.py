"""Wizard page 2: the first rows as parsed, what was detected, and overrides that re-read them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from ui.desktop import theme
from ui.desktop.import_wizard.preview import PREVIEW_ROWS

if TYPE_CHECKING:
    from ui.desktop.import_wizard.wizard import ImportWizard

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "cp850", "mac_roman")
DELIMITERS = ((",", "Comma ,"), (";", "Semicolon ;"), ("\t", "Tab"), ("|", "Pipe |"))
FORMAT_NAMES = {"csv": "CSV", "tsv": "Tab-separated text", "xlsx": "Excel workbook",
                "xls": "Excel 97–2003 workbook", "vcard": "vCard", "paste": "Pasted rows"}  # fmt: skip


class PreviewPage(QWizardPage):
    """The table as the importer reads it; encoding, delimiter, header row and sheet overridable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setTitle("Check how the file reads")
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("encoding_combo")
        self.encoding_combo.setAccessibleName("Encoding")
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setObjectName("delimiter_combo")
        self.delimiter_combo.setAccessibleName("Delimiter")
        for value, label in DELIMITERS:
            self.delimiter_combo.addItem(label, value)
        self.header_spin = QSpinBox()
        self.header_spin.setObjectName("header_spin")
        self.header_spin.setAccessibleName("Header row")
        self.header_spin.setRange(1, 500)
        self.header_spin.setPrefix("row ")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet_combo")
        self.sheet_combo.setAccessibleName("Sheet")
        self.header_box = QCheckBox("First row holds column &names")
        self.format_label = QLabel()
        self.format_label.setObjectName("format_label")
        self.layout_label = QLabel()
        self.layout_label.setObjectName("layout_label")
        theme.set_style(self.layout_label, "color: $valid; font-weight: bold;")
        self.error_label = QLabel()
        self.error_label.setObjectName("preview_error")
        self.error_label.setWordWrap(True)
        theme.set_style(self.error_label, "color: $invalid;")
        self.table = QTableWidget()
        self.table.setObjectName("preview_table")
        self.table.setAccessibleName("Preview of the first rows")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        form = QFormLayout()
        form.addRow("&Encoding:", self.encoding_combo)
        form.addRow("&Delimiter:", self.delimiter_combo)
        form.addRow("&Header row:", self.header_spin)
        form.addRow("&Sheet:", self.sheet_combo)
        form.addRow("", self.header_box)
        detected = QVBoxLayout()
        detected.addWidget(self.format_label)
        detected.addWidget(self.layout_label)
        detected.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form)
        top.addSpacing(24)
        top.addLayout(detected, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self._form = form
        self.encoding_combo.activated.connect(self._on_encoding_chosen)
        self.delimiter_combo.activated.connect(self._on_delimiter_chosen)
        self.header_spin.editingFinished.connect(self._on_header_row_chosen)
        self.sheet_combo.activated.connect(self._on_sheet_chosen)
        self.header_box.toggled.connect(self._on_header_box_toggled)

    def initializePage(self) -> None:
        if self.import_wizard.preview is None and not self.import_wizard.preview_error:
            self.import_wizard.reload_preview()
        self.show_preview()

    def isComplete(self) -> bool:
        preview = self.import_wizard.preview
        return preview is not None and bool(preview.headers)

    # -- overrides -------------------------------------------------------------------------------
    def choose_encoding(self, encoding: str) -> None:
        """Read the file again in this encoding."""
        self.import_wizard.set_read_override(encoding=encoding)
        self.show_preview()

    def choose_delimiter(self, delimiter: str) -> None:
        """Read the file again split on this delimiter."""
        self.import_wizard.set_read_override(delimiter=delimiter)
        self.show_preview()

    def choose_header_row(self, number: int) -> None:
        """Read the file again with the column names on row `number` (1-based)."""
        self.import_wizard.set_read_override(header_row=number - 1)
        self.show_preview()

    def choose_sheet(self, sheet: str) -> None:
        """Read another sheet of the workbook (its header row is detected afresh)."""
        self.import_wizard.set_read_override(sheet=sheet, header_row=None)
        self.show_preview()

    def _on_encoding_chosen(self, index: int) -> None:
        self.choose_encoding(str(self.encoding_combo.itemData(index)))

    def _on_delimiter_chosen(self, index: int) -> None:
        self.choose_delimiter(str(self.delimiter_combo.itemData(index)))

    def _on_header_row_chosen(self) -> None:
        preview = self.import_wizard.preview
        current = preview.header_row if preview is not None else None
        if current is None or self.header_spin.value() != current + 1:
            self.choose_header_row(self.header_spin.value())

    def _on_sheet_chosen(self, index: int) -> None:
        self.choose_sheet(self.sheet_combo.itemText(index))

    def _on_header_box_toggled(self, checked: bool) -> None:
        wizard = self.import_wizard
        if wizard.pasted_text is not None and wizard.paste_has_header is not checked:
            wizard.paste_has_header = checked
            wizard.reload_preview()
            self.show_preview()

    # -- display ---------------------------------------------------------------------------------
    def show_preview(self) -> None:
        """Fill the detected values, the override widgets and the table from the wizard's preview."""
        wizard = self.import_wizard
        preview = wizard.preview
        self.setSubTitle(
            f"The first {PREVIEW_ROWS} rows of {wizard.source_name}, as they will be read."
        )
        self.error_label.setText(wizard.preview_error)
        self.error_label.setVisible(bool(wizard.preview_error))
        pasted = wizard.pasted_text is not None
        workbook = preview is not None and preview.format in ("xlsx", "xls")
        text_file = not pasted and not workbook and (preview is None or preview.format != "vcard")
        self._set_row_visible(self.encoding_combo, text_file)
        self._set_row_visible(self.delimiter_combo, text_file)
        self._set_row_visible(
            self.header_spin, not pasted and (preview is None or text_file or workbook)
        )
        self._set_row_visible(self.sheet_combo, workbook)
        self._set_row_visible(self.header_box, pasted)
        self._fill_encodings(preview.encoding if preview else wizard.read_options.encoding or "")
        if preview is None:
            self.format_label.setText("")
            self.layout_label.setText("")
            self.table.clear()
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            self.completeChanged.emit()
            return
        self.delimiter_combo.setCurrentIndex(
            max(0, self.delimiter_combo.findData(preview.delimiter))
        )
        self.header_spin.blockSignals(True)
        self.header_spin.setValue((preview.header_row or 0) + 1)
        self.header_spin.blockSignals(False)
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(preview.sheet_names)
        self.sheet_combo.setCurrentText(preview.sheet)
        self.sheet_combo.blockSignals(False)
        self.header_box.blockSignals(True)
        self.header_box.setChecked(preview.header_row is not None)
        self.header_box.blockSignals(False)
        details = [FORMAT_NAMES.get(preview.format, preview.format.upper())]
        if text_file:
            details.append(f"encoding {preview.encoding}")
        if preview.header_row:
            details.append(f"column names on row {preview.header_row + 1}")
        self.format_label.setText(" · ".join(details))
        self.layout_label.setText(preview.layout_text)
        self._fill_table()
        self.completeChanged.emit()

    def _fill_encodings(self, current: str) -> None:
        combo = self.encoding_combo
        combo.blockSignals(True)
        combo.clear()
        names = list(ENCODINGS)
        if current and current not in names:
            names.insert(0, current)
        for name in names:
            combo.addItem(
                f"{name} (detected)" if name == current and not self._overridden() else name, name
            )
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _overridden(self) -> bool:
        return (
            bool(self.import_wizard.read_options.encoding)
            and self.import_wizard.pasted_text is None
        )

    def _fill_table(self) -> None:
        preview = self.import_wizard.preview
        assert preview is not None
        table = self.table
        table.clear()
        width = max([len(preview.headers), *(len(cells) for _n, cells in preview.rows)])
        table.setColumnCount(width)
        table.setRowCount(len(preview.rows))
        labels = [h or f"column {i + 1}" for i, h in enumerate(preview.headers)]
        labels += [f"column {i + 1}" for i in range(len(labels), width)]
        table.setHorizontalHeaderLabels(labels)
        table.setVerticalHeaderLabels([str(n) for n, _cells in preview.rows])
        for r, (_n, cells) in enumerate(preview.rows):
            for c, value in enumerate(cells):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        for c in range(width):
            table.setColumnWidth(c, min(table.columnWidth(c), 260))

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self._form.setRowVisible(field, visible)

    def cell_text(self, row: int, column: int) -> str:
        """The preview table's text at (row, column), for checks and tests."""
        item = self.table.item(row, column)
        return item.text() if item is not None else ""
