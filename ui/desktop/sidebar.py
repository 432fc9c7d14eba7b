"""The filter sidebar: all contacts, lists, tags, statuses, audiences and data-quality filters.

Counts are read off the UI thread (a quality count scans the book); a click emits the part of a
ContactFilter the item stands for, which the main window combines with the search box.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from app.book import LeadBook
from app.book_base import LIFECYCLE
from app.jobs import Cancelled, Progress
from app.query import ContactFilter
from ui.desktop.jobs import BookJob, JobRunner

QUALITY_LABELS: tuple[tuple[str, str], ...] = (
    ("invalid_email", "Invalid email"),
    ("no_email", "No email"),
    ("invalid_phone", "Invalid phone"),
    ("no_phone", "No phone"),
    ("not_exported", "Not yet exported"),
)
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class SidebarChoice:
    """What a sidebar item filters on; empty fields do not filter."""

    label: str = "All contacts"
    list_name: str = ""
    tag: str = ""
    status: str = ""
    quality: str = ""

    @property
    def is_all(self) -> bool:
        """True for "All contacts" (nothing narrowed)."""
        return not (self.list_name or self.tag or self.status or self.quality)

    def apply_to(self, f: ContactFilter) -> ContactFilter:
        """`f` (search, sort…) narrowed to this item, replacing any previous sidebar choice."""
        return replace(
            f, list_name=self.list_name, tag=self.tag, status=self.status, quality=self.quality
        )


@dataclass(frozen=True)
class SidebarCounts:
    """Every count the sidebar shows, read in one background job."""

    total: int = 0
    lists: list[tuple[str, int]] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)
    audiences: list[tuple[str, int]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    quality: dict[str, int] = field(default_factory=dict)


def read_counts(book: LeadBook) -> SidebarCounts:
    """The sidebar's counts from a book (runs in a read job; also callable directly)."""
    audience_names = [a.name for a in book.audiences()]
    tag_counts = dict(book.tags())
    by_status = book.status_counts()
    quality = book.quality_counts()
    return SidebarCounts(
        total=book.count(),
        lists=book.lists(),
        # An audience tags its matches with its own name: those tags are listed under Audiences.
        tags=[(t, n) for t, n in tag_counts.items() if t not in audience_names],
        audiences=[(a, tag_counts.get(a, 0)) for a in audience_names],
        statuses={s: int(by_status.get(s, 0)) for s in LIFECYCLE},
        quality={key: quality[key] for key, _label in QUALITY_LABELS},
    )


class Sidebar(QTreeView):
    """A tree of filters with counts; `choice_changed` fires when the user picks another one."""

    choice_changed = Signal(object)  # SidebarChoice
    counts_updated = Signal()

    def __init__(self, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Filters")
        self.jobs = jobs
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._choice = SidebarChoice()
        self._generation = 0
        self._job: BookJob | None = None  # the count in flight: a newer refresh interrupts it
        self._expanded: set[str] = {"Lists", "Tags", "Statuses", "Audiences", "Data quality"}
        self.counts: SidebarCounts | None = None
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self.refresh()

    @property
    def choice(self) -> SidebarChoice:
        """The item the table is narrowed to."""
        return self._choice

    def refresh(self) -> None:
        """Re-read every count off the UI thread (after an import, an edit, an undo…)."""
        self._generation += 1
        generation = self._generation

        def read(book: LeadBook, progress: Progress, cancelled: Cancelled) -> SidebarCounts:
            return read_counts(book)

        if self._job is not None:
            self._job.cancel()  # its numbers are stale already: stop its SQL, free the lane
        job = self.jobs.create(read, "sidebar counts")
        job.signals.finished.connect(lambda counts: self._on_counts_read(generation, counts))
        self._job = job
        self.jobs.start_count(job)

    def _on_counts_read(self, generation: int, counts: SidebarCounts) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self._job = None
        self.counts = counts
        self._rebuild(counts)
        self.counts_updated.emit()

    def item_for(self, choice: SidebarChoice) -> QStandardItem | None:
        """The tree item that stands for a choice (None when it is not in the tree)."""
        for item in self._items():
            if item.data(CHOICE_ROLE) == choice:
                return item
        return None

    def item_labelled(self, text: str) -> QStandardItem | None:
        """The first item whose label (without its count) is `text`."""
        for item in self._items():
            c = item.data(CHOICE_ROLE)
            if isinstance(c, SidebarChoice) and c.label == text:
                return item
        return None

    def select_choice(self, choice: SidebarChoice) -> None:
        """Make `choice` the current item (as a click would)."""
        item = self.item_for(choice)
        if item is not None:
            self.setCurrentIndex(item.index())

    def _items(self) -> list[QStandardItem]:
        out: list[QStandardItem] = []
        root = self._model.invisibleRootItem()
        for r in range(root.rowCount()):
            top = root.child(r)
            out.append(top)
            out.extend(top.child(i) for i in range(top.rowCount()))
        return out

    def _rebuild(self, counts: SidebarCounts) -> None:
        for item in self._items():
            if item.hasChildren() and self.isExpanded(item.index()):
                self._expanded.add(item.text())
            elif item.hasChildren():
                self._expanded.discard(item.text())
        self.selectionModel().blockSignals(True)
        self._model.clear()
        root = self._model.invisibleRootItem()
        root.appendRow(_item(SidebarChoice(), counts.total))
        groups: list[tuple[str, list[tuple[SidebarChoice, int | None]]]] = [
            ("Lists", [(SidebarChoice(f"List {n}", list_name=n), c) for n, c in counts.lists]),
            ("Tags", [(SidebarChoice(f"Tag {n}", tag=n), c) for n, c in counts.tags]),
            (
                "Statuses",
                [(SidebarChoice(s, status=s), counts.statuses.get(s, 0)) for s in LIFECYCLE],
            ),
            (
                "Audiences",
                [(SidebarChoice(f"Audience {n}", tag=n), c) for n, c in counts.audiences],
            ),
            (
                "Data quality",
                [
                    (SidebarChoice(lbl, quality=k), counts.quality.get(k))
                    for k, lbl in QUALITY_LABELS
                ],
            ),
        ]
        for title, children in groups:
            group = QStandardItem(title)
            group.setSelectable(False)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            for choice, n in children:
                group.appendRow(_item(choice, n))
            if not children:
                empty = QStandardItem("(none yet)")
                empty.setEnabled(False)
                group.appendRow(empty)
            root.appendRow(group)
            self.setExpanded(group.index(), title in self._expanded)
        current = self.item_for(self._choice)
        if current is None:
            # The list or tag it showed is gone: fall back to everything.
            current = self.item_for(SidebarChoice())
            changed = not self._choice.is_all
            self._choice = SidebarChoice()
        else:
            changed = False
        assert current is not None
        self.setCurrentIndex(current.index())
        self.selectionModel().blockSignals(False)
        if changed:
            self.choice_changed.emit(self._choice)

    def _on_current_changed(
        self, current: QModelIndex | QPersistentModelIndex, _previous: object
    ) -> None:
        choice = current.data(CHOICE_ROLE)
        if isinstance(choice, SidebarChoice) and choice != self._choice:
            self._choice = choice
            self.choice_changed.emit(choice)


def _item(choice: SidebarChoice, n: int | None) -> QStandardItem:
    text = choice.label.split(" ", 1)[1] if choice.list_name or choice.tag else choice.label
    item = QStandardItem(text if n is None else f"{text} ({n:,})")
    item.setData(choice, CHOICE_ROLE)
    item.setToolTip(choice.label)
    return item
