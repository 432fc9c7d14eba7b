"""The contacts table model: an ordered id snapshot, rows fetched by id in pages into an LRU cache.

STYLE "The million-row table": no proxy model, no fetchMore, no OFFSET. Sorting and filtering
rebuild the snapshot with one SQL query of ids; `data()` only reads a cached row.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from dataclasses import replace
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from app.book import LeadBook
from app.clean.phone import format_phone
from app.errors import LeadsmithError
from app.query import ContactFilter
from app.store.contacts import ContactRow

Index = QModelIndex | QPersistentModelIndex

# (header, ContactRow attribute, ContactFilter sort key or None when the column cannot be sorted)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("Name", "name", "name"),
    ("Email", "email", None),
    ("Phone", "phone", None),
    ("Company", "company", "company"),
    ("Job title", "job_title", "job_title"),
    ("Country", "country", "country"),
    ("Status", "status", "status"),
    ("Score", "score", "score"),
)
EMAIL_COLUMN, PHONE_COLUMN, SCORE_COLUMN = 1, 2, 7
STATUS_COLORS = {"invalid": "#c62828", "risky": "#e08a00"}


def _badge(color: str) -> QIcon:
    pix = QPixmap(10, 10)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, 8, 8)
    painter.end()
    return QIcon(pix)


@lru_cache(maxsize=20_000)
def display_phone(phone: str) -> str:
    """A stored E.164 phone as the table shows it ("+44 20 7946 0958"); other text unchanged.

    Formatted when a cell is painted, not when its page is fetched: a page of 200 numbers through
    phonenumbers cost more than the page's SQL."""
    return format_phone(phone) if phone.startswith("+") else phone


class ContactTableModel(QAbstractTableModel):
    """Contacts of a LeadBook as a table, over the ids a ContactFilter selects."""

    PAGE_SIZE = 200
    MAX_PAGES = 50

    def __init__(
        self, book: LeadBook, f: ContactFilter = ContactFilter(), parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._book = book
        self._filter = f
        self._ids: array[int] = book.snapshot(f)
        self._pages: OrderedDict[int, dict[int, ContactRow]] = OrderedDict()
        self._badges: dict[str, QIcon] = {}

    # -- the snapshot ----------------------------------------------------------------------------
    @property
    def contact_filter(self) -> ContactFilter:
        """The filter (search, sort…) the snapshot was built from."""
        return self._filter

    @property
    def ids(self) -> array[int]:
        """The ordered ids shown (do not modify)."""
        return self._ids

    def set_filter(self, f: ContactFilter) -> None:
        """Show what another filter selects (the search box, the sidebar)."""
        self._filter = f
        self.refresh()

    def apply_snapshot(self, f: ContactFilter, ids: array[int]) -> None:
        """Show a snapshot built elsewhere (a background read job) for filter `f`."""
        self.beginResetModel()
        self._filter = f
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Rebuild the snapshot after a change of membership (import, add, delete, undo)."""
        ids = self._book.snapshot(self._filter)
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def clear(self) -> None:
        """Show nothing (the book is about to close)."""
        self.beginResetModel()
        self._ids = array("q")
        self._pages.clear()
        self.endResetModel()

    def reload_rows(self, contact_ids: set[int] | None = None) -> None:
        """Forget cached rows after an edit that kept membership, and repaint them."""
        self._pages.clear()
        if self._ids:
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def id_at(self, row: int) -> int:
        """The contact id shown on a row."""
        return int(self._ids[row])

    def row_of(self, contact_id: int) -> int:
        """The row a contact id is on, or -1 when the snapshot does not hold it."""
        try:
            return self._ids.index(contact_id)
        except ValueError:
            return -1

    def row_data(self, row: int) -> ContactRow | None:
        """The cached row for a table row (fetching its page on a miss)."""
        page_no = row // self.PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            start = page_no * self.PAGE_SIZE
            page = self._book.rows(self._ids[start : start + self.PAGE_SIZE].tolist())
            self._pages[page_no] = page
            if len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    # -- Qt --------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][2] is None:
                return f"{COLUMNS[section][0]} cannot be sorted"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.row_data(index.row())
            if row is None:
                return None
            value = getattr(row, COLUMNS[column][1])
            if column == PHONE_COLUMN and value:
                return display_phone(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SCORE_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column in (EMAIL_COLUMN, PHONE_COLUMN) and role in (
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return self._point_role(index.row(), column, role)
        return None

    def _point_role(self, row_no: int, column: int, role: int) -> Any:
        row = self.row_data(row_no)
        if row is None:
            return None
        kind = "email" if column == EMAIL_COLUMN else "phone"
        status = row.email_status if column == EMAIL_COLUMN else row.phone_status
        if status not in STATUS_COLORS:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if status not in self._badges:
                self._badges[status] = _badge(STATUS_COLORS[status])
            return self._badges[status]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(STATUS_COLORS[status])) if status == "invalid" else None
        # A tooltip is one hover, not a paint: loading the contact for the reason is affordable.
        reason = ""
        try:
            contact = self._book.get_contact(row.id)
        except LeadsmithError:
            contact = None
        if contact is not None:
            for point in contact.points:
                if point.kind == kind and point.status == status and point.reason:
                    reason = point.reason
                    break
        return f"{status.capitalize()} {kind}: {reason}" if reason else f"This {kind} is {status}"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return  # email/phone live in contact_points; there is no SQL order for them
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._filter.sort and descending == self._filter.descending:
            return
        self.layoutAboutToBeChanged.emit()
        old = [(index, self._ids[index.row()]) for index in self.persistentIndexList()]
        self._filter = replace(self._filter, sort=key, descending=descending)
        self._ids = self._book.snapshot(self._filter)
        self._pages.clear()
        positions = {cid: i for i, cid in enumerate(self._ids)} if old else {}
        for index, cid in old:
            self.changePersistentIndex(index, self.index(positions.get(cid, -1), index.column()))
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        """The column the snapshot is sorted by, or -1 (id order)."""
        for i, (_header, _attr, key) in enumerate(COLUMNS):
            if key == self._filter.sort:
                return i
        return -1
