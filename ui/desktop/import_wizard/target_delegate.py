"""The "Import as" cell of the mapping table: a combo of the catalog's fields plus "extra"."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui.desktop.import_wizard.mapping_model import TARGETS

Index = QModelIndex | QPersistentModelIndex


class TargetDelegate(QStyledItemDelegate):
    """Edits a column's target with a combo box that commits as soon as a choice is made."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Import as")
        for label, name in TARGETS:
            combo.addItem(label, name)
        combo.setMaxVisibleItems(20)
        # Commit at once: a persistent editor is never "closed" to commit on its own.
        combo.activated.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(2))))  # 2: EditRole

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
