"""Show and hide the contacts table's columns: the header's context menu and View ▸ Columns.

The columns are whatever the table model offers (its header titles), labelled as the field
catalog names them. What is hidden, the order and the widths live in the header's saved state
(QSettings, per user), written as soon as a column is shown or hidden. The state is keyed to the
set of columns: Qt restores a header state by section number, so a layout saved before columns
were added would hide or size the wrong ones; a new column set starts from the defaults instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QObject, QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from ui.desktop.contact_columns import COLUMNS


def header_key(titles: Sequence[str]) -> str:
    """The QSettings key of a header layout for exactly these columns, in this order."""
    digest = hashlib.sha1("\x1f".join(titles).encode()).hexdigest()[:8]
    return f"main_window/table_header_{len(titles)}_{digest}"


# The contacts table's key. Layouts saved under the old "main_window/table_header" (8 columns) are
# simply not read: the first start with the new columns shows the defaults.
HEADER_KEY = header_key([title for title, _attr, _sort in COLUMNS])
# Columns a first run does not show (added for people who want them; the chooser lists them).
HIDDEN_BY_DEFAULT: frozenset[str] = frozenset({"City", "Tags", "Source", "Created"})


class ColumnChooser(QObject):
    """Checkable column actions shared by the header's context menu and the View menu."""

    def __init__(
        self,
        view: QTableView,
        settings: QSettings,
        widths: Mapping[str, int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or view)
        self.view = view
        self.settings = settings
        self.widths = dict(widths)
        self.menu = QMenu("&Columns", view)
        self.menu.setObjectName("columns_menu")
        self.menu.aboutToShow.connect(self.sync_checks)
        self.actions: list[QAction] = []
        model = view.model()
        for section in range(model.columnCount()):
            title = str(model.headerData(section, Qt.Orientation.Horizontal))
            action = QAction(title, self.menu)
            action.setCheckable(True)
            action.setChecked(not self.header.isSectionHidden(section))
            action.toggled.connect(lambda on, s=section: self.set_visible(s, on))
            self.menu.addAction(action)
            self.actions.append(action)
        self.menu.addSeparator()
        self.reset_action = self.menu.addAction("&Reset columns", self.reset)
        self.reset_action.setToolTip("Show the usual columns in their usual order and widths")
        self.header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.header.customContextMenuRequested.connect(self._on_header_context_menu_requested)

    @property
    def header(self) -> QHeaderView:
        """The table's horizontal header."""
        return self.view.horizontalHeader()

    def visible_titles(self) -> list[str]:
        """The shown columns' titles, in the order they are shown."""
        header = self.header
        return [
            self.actions[header.logicalIndex(v)].text()
            for v in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(v))
        ]

    def apply_defaults(self) -> None:
        """A first run's layout: the usual widths, the extra columns hidden."""
        for section, action in enumerate(self.actions):
            self.header.resizeSection(section, self.widths.get(action.text(), 120))
            self.header.setSectionHidden(section, action.text() in HIDDEN_BY_DEFAULT)
        self.sync_checks()

    def set_visible(self, section: int, visible: bool) -> None:
        """Show or hide one column (never the last one shown), and remember it."""
        if not visible and len(self.visible_titles()) <= 1:
            self.actions[section].setChecked(True)  # a table with no column cannot be clicked
            return
        if self.header.isSectionHidden(section) == (not visible):
            return
        self.header.setSectionHidden(section, not visible)
        if visible and self.header.sectionSize(section) < 30:
            self.header.resizeSection(section, self.widths.get(self.actions[section].text(), 120))
        self.save()

    def sync_checks(self) -> None:
        """Tick the actions of the shown columns (after a restore or reset)."""
        for section, action in enumerate(self.actions):
            action.blockSignals(True)
            action.setChecked(not self.header.isSectionHidden(section))
            action.blockSignals(False)

    def reset(self) -> None:
        """View ▸ Columns ▸ Reset columns: usual order, widths and visibility."""
        header = self.header
        for logical in range(header.count()):
            visual = header.visualIndex(logical)
            if visual != logical:
                header.moveSection(visual, logical)
        self.apply_defaults()
        self.save()

    def save(self) -> None:
        """Write the header state (hidden columns, order, widths) to QSettings now."""
        self.settings.setValue(HEADER_KEY, self.header.saveState())
        self.settings.sync()

    def _on_header_context_menu_requested(self, pos: QPoint) -> None:
        self.sync_checks()
        self.menu.popup(self.header.mapToGlobal(pos))
