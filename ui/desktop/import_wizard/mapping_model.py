"""The mapping table: each source column, three sample values, its target field and confidence."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette

from app.fields import FIELDS, FIELDS_BY_NAME
from importers.mapping import ColumnMapping
from ui.desktop import theme

EXTRA_LABEL = "Keep as extra column"
HEADERS = ("Column in file", "Sample values", "Import as", "Confidence")
TARGET_COLUMN = 2
# (label, field name or None), in the catalog's order; "extra" first so it is easy to reach.
TARGETS: tuple[tuple[str, str | None], ...] = (
    (EXTRA_LABEL, None),
    *((f.label, f.name) for f in FIELDS),
)

Index = QModelIndex | QPersistentModelIndex


def confidence_role(confidence: int, field: str | None) -> str:
    """The theme role: green for a sure match, amber for a guess, grey for a column kept as extra."""
    if field is None:
        return "muted"
    if confidence >= 90:
        return "valid"
    return "risky" if confidence >= 60 else "invalid"


def confidence_color(confidence: int, field: str | None, palette: QPalette | None = None) -> QColor:
    """The confidence's colour in the palette's scheme (the application's by default)."""
    return theme.color(confidence_role(confidence, field), palette)


class MappingTableModel(QAbstractTableModel):
    """An editable list of ColumnMapping; setting a target moves a single-valued field."""

    def __init__(
        self,
        mapping: list[ColumnMapping],
        samples: list[list[str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.mapping = list(mapping)
        self.samples = samples  # per column, the first few non-empty values

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.mapping)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == TARGET_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        m = self.mapping[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return m.column
            if column == 1:
                return " · ".join(self.samples[m.index]) if m.index < len(self.samples) else ""
            if column == TARGET_COLUMN:
                return target_label(m.field)
            return f"{m.confidence}%" if m.field else "—"
        if role == Qt.ItemDataRole.EditRole and column == TARGET_COLUMN:
            return m.field
        if role == Qt.ItemDataRole.ToolTipRole:
            return m.reason
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            # Looked up at paint time, so a light/dark switch recolours the table by itself.
            return confidence_color(m.confidence, m.field)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != TARGET_COLUMN:
            return False
        target = value if isinstance(value, str) and value in FIELDS_BY_NAME else None
        return self.set_target(index.row(), target)

    def set_target(self, row: int, target: str | None) -> bool:
        """Send column `row` to `target` (None: extra); a single-valued field leaves its old column."""
        old = self.mapping[row]
        if old.field == target:
            return False
        reason = "chosen by you" if target else "chosen by you: kept as extra column"
        self.mapping[row] = replace(
            old, field=target, confidence=100 if target else 0, reason=reason
        )
        self._changed(row)
        if target and not FIELDS_BY_NAME[target].multi:
            for other, m in enumerate(self.mapping):
                if other != row and m.field == target:
                    why = f"{old.column!r} now feeds {FIELDS_BY_NAME[target].label}"
                    self.mapping[other] = replace(m, field=None, confidence=0, reason=why)
                    self._changed(other)
        return True

    def row_of(self, column: str) -> int:
        """The row of a source column by its name, or -1."""
        return next((i for i, m in enumerate(self.mapping) if m.column == column), -1)

    def as_options(self) -> dict[str, str | None]:
        """The mapping as ImportOptions.mapping: column name -> field (None: extra)."""
        return {m.column: m.field for m in self.mapping}

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))


def target_label(field: str | None) -> str:
    """The label a target shows in the table and its combo box."""
    return FIELDS_BY_NAME[field].label if field else EXTRA_LABEL
