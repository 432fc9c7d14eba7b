"""The contacts table model: an ordered id snapshot, rows fetched by id in pages into an LRU cache.

STYLE "The million-row table": no proxy model, no fetchMore, no OFFSET. Sorting and filtering
rebuild the snapshot with one SQL query of ids; `data()` only reads a cached row.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from app.book import LeadBook
from app.errors import LeadsmithError
from app.query import ContactFilter
from app.store.contacts import ContactRow
from ui.desktop.contact_columns import (
    COLUMNS,
    COMPANY_COLUMN,
    EDITABLE,
    EMAIL_COLUMN,
    EMAIL_STATUS,
    FORMATTED,
    PHONE_COLUMN,
    PHONE_STATUS,
    POINT_KIND,
    ROW,
    SCORE_COLUMN,
    STATUS_COLORS,
    Cells,
    edit_changes,
    point_message,
    row_cells,
    shown_value,
)

Index = QModelIndex | QPersistentModelIndex


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


# Roles as plain ints: data() runs ~7 times per painted cell, an enum comparison each time adds up.
DISPLAY = Qt.ItemDataRole.DisplayRole.value
EDIT = Qt.ItemDataRole.EditRole.value
ALIGN = Qt.ItemDataRole.TextAlignmentRole.value
POINT_ROLES = frozenset(
    r.value
    for r in (
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# flags() runs once per painted cell: answers built once (enum arithmetic per call cost more).
_ENABLED = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)
COLUMN_FLAGS = tuple(
    _ENABLED | Qt.ItemFlag.ItemIsEditable if c in EDITABLE else _ENABLED
    for c in range(len(COLUMNS))
)
NO_FLAGS = Qt.ItemFlag.NoItemFlags


def _page_cells(ids: list[int], rows: dict[int, ContactRow]) -> list[Cells | None]:
    """A page's cached cells from rows read for it; an id without a row is a contact gone since
    (shown empty)."""
    return [row_cells(r) if (r := rows.get(i)) is not None else None for i in ids]


class ContactTableModel(QAbstractTableModel):
    """Contacts of a LeadBook as a table, over the ids a ContactFilter selects."""

    # Small pages: a jump reads the pages that hold the screen, in one query (`read_missing`),
    # and a row costs ~30 µs of SQL at 1M, so what is read off screen is the waste: with 8-row
    # pages a 20-row screen reads ~27 rows, with 32-row pages ~51. The pages around the screen
    # are read ahead on the table lane (snapshot_loader), so paging finds them cached.
    PAGE_SIZE = 8
    MAX_PAGES = 1_600  # 12,800 rows

    edit_failed = Signal(str)  # an inline edit the book refused: the message for the status bar
    edited = Signal(int)  # a contact id changed by an inline edit (undoable)

    def __init__(
        self,
        book: LeadBook,
        f: ContactFilter = ContactFilter(),
        parent: Any = None,
        ids: array[int] | None = None,
    ) -> None:
        super().__init__(parent)
        self._book = book
        self._filter = f
        self._ids: array[int] = book.snapshot(f) if ids is None else ids
        self._pages: OrderedDict[int, list[Cells | None]] = OrderedDict()
        self._last_page = -1  # the page data() read last: recency is bumped only when it changes
        # Moves whenever cached pages may no longer match the snapshot or the book, so a page
        # read ahead on another thread is stored only if nothing changed while it was read.
        self.generation = 0
        self._badges: dict[str, QIcon] = {}
        self.last_saved = ""  # the status bar message of the last inline edit saved
        # Set by the window: re-sorts a big table off the UI thread (True when it took the sort;
        # ordering a million rows by company took 13 s here). Until its snapshot is shown, the
        # sort asked for is `_sorting` (the header shows it).
        self.sort_elsewhere: Callable[[ContactFilter], bool] | None = None
        self._sorting: ContactFilter | None = None

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

    def apply_snapshot(
        self,
        f: ContactFilter,
        ids: array[int],
        rows: dict[int, ContactRow] | None = None,
        read: int | None = None,
    ) -> None:
        """Show a snapshot built elsewhere (a background read job) for filter `f`.

        `rows`, read with the ids for the first `read` of them (all when None), fill the pages
        they cover before the view paints: the first paint after a search reads no SQL here."""
        self.beginResetModel()
        self._filter = f
        self._ids = ids
        self._sorting = None
        self._forget_pages()
        if rows is not None:
            self.store_read(rows, read)
        self.endResetModel()

    def store_read(self, rows: dict[int, ContactRow], read: int | None = None) -> None:
        """Cache the pages of the first `read` ids (all when None) from rows read for them; an id
        without a row is a contact gone since (shown empty, as a page fetch would)."""
        read = len(self._ids) if read is None else min(read, len(self._ids))
        for page_no in range(read // self.PAGE_SIZE + (read == len(self._ids))):
            start = page_no * self.PAGE_SIZE
            page_ids = self._ids[start : start + self.PAGE_SIZE].tolist()
            if page_ids and page_no not in self._pages:
                self._store(page_no, _page_cells(page_ids, rows))

    def extend_snapshot(self, f: ContactFilter, ids: array[int]) -> None:
        """The rest of a snapshot whose first rows are shown: rows appended, nothing reset.

        Falls back to a reset when the rows shown are not the start of `ids` (the book changed
        between the first page and the whole snapshot)."""
        n = len(self._ids)
        if f != self._filter or len(ids) < n or ids[:n] != self._ids:
            self.apply_snapshot(f, ids)
            return
        if len(ids) == n:
            return
        self.beginInsertRows(QModelIndex(), n, len(ids) - 1)
        self._ids = ids
        self._pages.pop(n // self.PAGE_SIZE, None)  # the last page was cut short
        self.generation += 1
        self.endInsertRows()

    def refresh(self) -> None:
        """Rebuild the snapshot after a change of membership (import, add, delete, undo)."""
        self.apply_snapshot(self._filter, self._book.snapshot(self._filter))

    def clear(self) -> None:
        """Show nothing (the book is about to close)."""
        self.apply_snapshot(self._filter, array("q"))

    def reload_rows(self, contact_ids: set[int] | None = None) -> None:
        """Forget cached rows after an edit that kept membership, and repaint them."""
        self._forget_pages()
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

    def _forget_pages(self) -> None:
        self._pages.clear()
        self._last_page = -1
        self.generation += 1

    # -- pages read ahead (ui/desktop/snapshot_loader.py) -------------------------------------
    def missing_pages(self, first_row: int, last_row: int) -> list[int]:
        """Pages holding rows first_row..last_row (clamped) that are not cached, nearest first."""
        last_row = min(last_row, len(self._ids) - 1)
        first_page = max(first_row, 0) // self.PAGE_SIZE
        pages = range(first_page, last_row // self.PAGE_SIZE + 1) if last_row >= 0 else range(0)
        missing = [p for p in pages if p not in self._pages]
        middle = (first_row + last_row) // 2 // self.PAGE_SIZE
        return sorted(missing, key=lambda p: abs(p - middle))

    def page_ids(self, page_no: int) -> list[int]:
        """The contact ids of one page of the snapshot."""
        start = page_no * self.PAGE_SIZE
        return self._ids[start : start + self.PAGE_SIZE].tolist()

    def store_page(self, generation: int, page_no: int, rows: dict[int, ContactRow]) -> bool:
        """Cache a page read ahead for `generation`; False (dropped) when the model moved on."""
        if generation != self.generation or page_no in self._pages:
            return False
        self._store(page_no, _page_cells(self.page_ids(page_no), rows))
        return True

    def is_cached(self, row: int) -> bool:
        """True when a row's page is in the cache (painting it reads no SQL)."""
        return row // self.PAGE_SIZE in self._pages

    def _store(self, page_no: int, page: list[Cells | None]) -> None:
        if len(self._pages) >= self.MAX_PAGES:
            self._pages.popitem(last=False)  # the least recently used
        self._pages[page_no] = page

    def read_missing(self, first_row: int, last_row: int) -> None:
        """Read every uncached page holding rows first_row..last_row (clamped), in one query.

        The view calls it with the rows it is about to paint: after a jump, the screen's two or
        three pages cost one round trip to SQLite instead of one each."""
        missing = self.missing_pages(first_row, last_row)
        if missing:
            self._read_pages(sorted(missing))  # in table order (missing_pages: nearest first)

    def _read_pages(self, pages: list[int]) -> None:
        wanted = [(page_no, self.page_ids(page_no)) for page_no in pages]
        rows = self._book.rows([i for _page_no, ids in wanted for i in ids])
        for page_no, ids in wanted:
            self._store(page_no, _page_cells(ids, rows))

    def _cells(self, row: int) -> Cells | None:
        page_no = row // self.PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            self._read_pages([page_no])
            page = self._pages[page_no]
        elif page_no != self._last_page:
            self._pages.move_to_end(page_no)
        self._last_page = page_no
        return page[row - page_no * self.PAGE_SIZE]

    def cells_at(self, row: int) -> Cells | None:
        """A row's cached display tuple (its page fetched on a miss), None off the table."""
        return self._cells(row) if 0 <= row < len(self._ids) else None

    def badge(self, status: str) -> QIcon:
        """The coloured dot an invalid or risky email/phone cell shows."""
        if status not in self._badges:
            self._badges[status] = _badge(STATUS_COLORS[status])
        return self._badges[status]

    def row_data(self, row: int) -> ContactRow | None:
        """The cached row for a table row (fetching its page on a miss)."""
        cells = self._cells(row) if 0 <= row < len(self._ids) else None
        return None if cells is None else cells[ROW]

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
            if role == Qt.ItemDataRole.ToolTipRole and section in EDITABLE:
                return f"{COLUMNS[section][0]}: F2 or double-click to edit"
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Hot path: every painted cell asks ~7 roles. Display is a cached tuple; the roles the
        # table does not use return before any lookup.
        row = index.row()
        if role in (DISPLAY, EDIT):
            if not 0 <= row < len(self._ids):
                return None
            cells = self._cells(row)
            if cells is None:
                return None
            column = index.column()
            value = cells[column]
            if column in FORMATTED and value:
                return FORMATTED[column](value)
            return value
        column = index.column()
        if role == ALIGN:
            return RIGHT if column == SCORE_COLUMN else None
        if role in POINT_ROLES and column in (EMAIL_COLUMN, PHONE_COLUMN):
            if not 0 <= row < len(self._ids):
                return None
            cells = self._cells(row)
            if cells is None:
                return None
            status = cells[EMAIL_STATUS if column == EMAIL_COLUMN else PHONE_STATUS]
            if status not in STATUS_COLORS:
                return None
            return self._point_role(cells[ROW], column, role, status)
        return None

    def _point_role(self, row: ContactRow, column: int, role: int, status: str) -> Any:
        kind = "email" if column == EMAIL_COLUMN else "phone"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.badge(status)
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

    # -- inline editing --------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        return COLUMN_FLAGS[index.column()] if index.isValid() else NO_FLAGS

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or index.column() not in EDITABLE:
            return False
        row = index.row()
        cells = self._cells(row)
        if cells is None:
            return False
        text = str(value or "")
        if " ".join(text.split()) == " ".join(str(shown_value(cells, index.column())).split()):
            return False  # nothing changed: no history entry
        contact_id = self.id_at(row)
        try:
            message = self._save(contact_id, index.column(), text, cells[ROW])
        except LeadsmithError as exc:
            self.edit_failed.emit(exc.user_message())
            return False
        if message is None:
            return False  # the book already held that value: nothing recorded
        self.last_saved = message
        self._pages.pop(row // self.PAGE_SIZE, None)  # refetched: new text, status and badge
        self.generation += 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.edited.emit(contact_id)
        return True

    def _save(self, contact_id: int, column: int, text: str, row: ContactRow) -> str | None:
        """Write one inline edit through the book; the status bar message, or None if unchanged."""
        done = f"Saved contact #{contact_id}"
        if column in POINT_KIND:
            current = row.email if column == EMAIL_COLUMN else row.phone
            edit = self._book.set_point(
                contact_id, POINT_KIND[column], text, replace=current or None
            )
            return point_message(edit) if edit.changed else None
        if column == COMPANY_COLUMN:
            company = self._book.set_company(contact_id, text)
            if not company.changed:
                return None
            if company.company_id is None:
                note = "company removed"
            elif company.created:
                note = f"new company {company.name}"
            else:
                note = f"linked to {company.name}"
            return f"{done} — {note} — Ctrl+Z to undo"
        self._book.update_contact(contact_id, edit_changes(self._book, column, text))
        return f"{done} — Ctrl+Z to undo"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return  # email/phone live in contact_points; there is no SQL order for them
        descending = order == Qt.SortOrder.DescendingOrder
        shown = self._sorting or self._filter
        if key == shown.sort and descending == shown.descending:
            return
        wanted = replace(shown, sort=key, descending=descending)
        if self.sort_elsewhere is not None and self.sort_elsewhere(wanted):
            self._sorting = wanted
            return
        self.layoutAboutToBeChanged.emit()
        old = [(index, self._ids[index.row()]) for index in self.persistentIndexList()]
        self._sorting = None
        self._filter = wanted
        self._ids = self._book.snapshot(self._filter)
        self._forget_pages()
        positions = {cid: i for i, cid in enumerate(self._ids)} if old else {}
        for index, cid in old:
            self.changePersistentIndex(index, self.index(positions.get(cid, -1), index.column()))
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        """The column the snapshot is sorted by (or is being sorted by), or -1 (id order)."""
        sort = (self._sorting or self._filter).sort
        for i, (_header, _attr, key) in enumerate(COLUMNS):
            if key == sort:
                return i
        return -1
