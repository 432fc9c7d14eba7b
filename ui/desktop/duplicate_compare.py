"""Duplicates review parts: the scan job, the list entries and the side-by-side comparison.

The comparison shows one group: a column per contact, a row per field. Differing rows are highlighted
and marked ≠; in each differing single-valued row one cell is picked (●) as the
value the merged contact keeps, by default the one the survivorship rule of app/dedupe/merge.py
would keep. Arrow keys move the cursor, Space (or a click) picks the value under it.
Fills are theme roles, resolved against the table's palette when painted and again on every
light/dark switch, so the view's own text colour stays readable on them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.book import LeadBook
from app.contact import Contact, ContactPoint
from app.dedupe import DuplicateGroup
from app.dedupe.merge import CHOICE_ALIASES, survivorship
from app.jobs import Cancelled, Progress
from ui.desktop import theme

SURVIVOR = "survivor"
# (key, label, kind): "choice" rows pick one value, "multi" rows keep every value, "info" informs.
FIELD_ROWS: tuple[tuple[str, str, str], ...] = (
    (SURVIVOR, "Surviving record", "survivor"),
    ("prefix", "Prefix", "choice"),
    ("first_name", "First name", "choice"),
    ("middle_name", "Middle name", "choice"),
    ("last_name", "Last name", "choice"),
    ("suffix", "Suffix", "choice"),
    ("job_title", "Job title", "choice"),
    ("company", "Company", "choice"),
    ("emails", "Emails", "multi"),
    ("phones", "Phones", "multi"),
    ("linkedin", "LinkedIn", "multi"),
    ("city", "City", "choice"),
    ("country", "Country", "choice"),
    ("status", "Status", "choice"),
    ("legal_basis", "Legal basis", "choice"),
    ("do_not_contact", "Do not contact", "multi"),
    ("sources", "Sources", "info"),
)
OPTIONAL_ROWS = {"prefix", "middle_name", "suffix"}  # hidden when every contact leaves them empty
RULES = {
    "job_title": "the most recent source wins",
    "company": "the most recent source wins",
    "country": "survivor first; a recognized country code wins",
    "status": "survivor first; a worked status beats New",
}
DEFAULT_RULE = "survivor first; a filled value beats an empty one"
MULTI_RULE = {
    "emails": "every address is kept",
    "phones": "every number is kept",
    "linkedin": "every profile is kept",
    "do_not_contact": "do-not-contact wins when any record has it",
}
# Theme roles (ui/desktop/theme.py) of the cell fills; TONE_ROLE keeps a cell's role so a scheme
# switch can repaint it.
DIFFERS = "differs_bg"
PICKED = "picked_bg"
RESULT = "result_bg"
TONE_ROLE = Qt.ItemDataRole.UserRole + 1
DIFFERS_MARK = " ≠"  # on the row header: the highlight is never the only sign of a difference
EMPTY = "—"


@dataclass(frozen=True)
class GroupRecords:
    """What the comparison needs about a group: full contacts and their raw rows, id order."""

    contacts: tuple[Contact, ...]
    rows: Mapping[int, sqlite3.Row]

    @classmethod
    def load(cls, book: LeadBook, ids: Sequence[int]) -> GroupRecords:
        """Read the group's contacts (NotFound when one is gone) and their stored rows."""
        contacts = tuple(book.get_contact(i) for i in ids)
        marks = ",".join("?" * len(ids))
        # The survivorship rule works on stored rows: the default shown is exactly what merging
        # without a choice would keep.
        rows = book.conn.execute(f"SELECT * FROM contacts WHERE id IN ({marks})", list(ids))
        return cls(contacts, {int(r["id"]): r for r in rows})


def _points(points: Sequence[ContactPoint]) -> str:
    shown = [p.value or f"{p.raw} (invalid)" for p in points]
    return ", ".join(dict.fromkeys(shown))


def field_text(contact: Contact, key: str) -> str:
    """A field of a contact as the comparison shows it ("" when empty)."""
    if key == "company":
        return contact.company.name
    if key == "emails":
        return _points(contact.emails)
    if key == "phones":
        return _points(contact.phones)
    if key == "linkedin":
        return _points([p for p in contact.urls if p.label == "linkedin"])
    if key == "do_not_contact":
        return "Yes" if contact.do_not_contact else "No"
    if key == "sources":
        return str(len(contact.sources))
    return str(getattr(contact, key) or "")


ScanResult = tuple[list[DuplicateGroup], dict[int, str]]
CERTAIN = "valid"  # theme roles of the list entries' text
REVIEW = "risky"


def scan(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ScanResult:
    """The job: every duplicate group, strongest first, with the names the list shows."""
    groups = book.find_duplicates(progress=progress, cancelled=cancelled)
    groups.sort(key=lambda g: (-g.score, g.ids))
    rows = book.rows([i for g in groups for i in g.ids])
    names = {cid: row.name or row.email or f"#{cid}" for cid, row in rows.items()}
    return groups, names


def group_text(group: DuplicateGroup, names: dict[int, str]) -> str:
    """A list entry: score, certain/review, the names, then the reasons."""
    who = " · ".join(names.get(i, f"#{i}") for i in group.ids)
    kind = "certain" if group.certain else "review"
    return f"{group.score}  {kind} — {who}\n{'; '.join(group.reasons)}"


class GroupList(QListWidget):
    """The list of duplicate groups; entries keep their theme colour across light/dark switches."""

    def addItem(self, item: QListWidgetItem | str) -> None:  # type: ignore[override]
        """Add an entry, coloured for this list's scheme if it carries a tone."""
        if isinstance(item, QListWidgetItem):
            _color(item, self.palette())
        super().addItem(item)

    def changeEvent(self, event: QEvent) -> None:
        # A light/dark switch reaches the list as a palette change: recolour every entry. (An
        # item subclass answering ForegroundRole in Python instead crashed PySide6 6.12 once
        # the list held thousands of groups: QListWidgetItem.data over-releases None.)
        if event.type() == QEvent.Type.PaletteChange:
            for row in range(self.count()):
                _color(self.item(row), self.palette())
        super().changeEvent(event)


def _color(item: QListWidgetItem, palette: QPalette) -> None:
    tone = item.data(TONE_ROLE)
    if isinstance(tone, str):
        item.setForeground(QBrush(theme.color(tone, palette)))


def group_item(group: DuplicateGroup, names: dict[int, str]) -> QListWidgetItem:
    """The list entry of a group: text, colour (certain or to review), tooltip, spoken text."""
    item = QListWidgetItem(group_text(group, names))
    tone = CERTAIN if group.certain else REVIEW
    item.setData(TONE_ROLE, tone)
    item.setForeground(QBrush(theme.color(tone)))  # the application's scheme until it is listed
    kind = "certain: merges automatically" if group.certain else "to review"
    item.setToolTip(f"Score {group.score} ({kind})\n" + "\n".join(group.reasons))
    who = ", ".join(names.get(i, f"#{i}") for i in group.ids)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Score {group.score}, {kind}: {who}")
    return item


class CompareTable(QTableWidget):
    """One duplicate group side by side, with the surviving record and values to keep."""

    picked = Signal()  # the survivor or a kept value changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_table")
        self.setAccessibleName("Compare contacts")
        self.setAccessibleDescription(
            "One column per contact. Arrow keys move, Space or a click keeps the value under the "
            "cursor; highlighted rows, marked ≠, differ."
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.records: GroupRecords | None = None
        self.survivor = 0
        self.picks: dict[str, int] = {}  # differing choice field -> contact whose value is kept
        self.defaults: dict[str, int] = {}
        self.cellClicked.connect(self.pick)

    # -- state -------------------------------------------------------------------------------------
    @property
    def ids(self) -> list[int]:
        """The group's contact ids, in column order."""
        return [c.id or 0 for c in self.records.contacts] if self.records else []

    def show_group(self, records: GroupRecords | None, survivor: int | None = None) -> None:
        """Show a group (None clears); the survivor defaults to the lowest id."""
        self.records = records
        if records is None:
            self.clear()
            self.setRowCount(0)
            self.setColumnCount(0)
            return
        self.set_survivor(survivor if survivor is not None else self.ids[0])

    def set_survivor(self, survivor: int) -> None:
        """Keep this record; the kept values go back to what the rule gives for it."""
        if self.records is None or survivor not in self.ids:
            return
        self.survivor = survivor
        self.defaults = self._rule_picks()
        self.picks = dict(self.defaults)
        self._fill()
        self.picked.emit()

    def differs(self, key: str) -> bool:
        """True when the contacts do not all show the same value for this field."""
        contacts = self.records.contacts if self.records else ()
        return len({field_text(c, key) for c in contacts}) > 1

    def choices(self) -> dict[str, int]:
        """The `choices` for LeadBook.merge_contacts: every differing field, what is kept."""
        return dict(self.picks)

    def kept_text(self, key: str) -> str:
        """What the merged contact will show for a field."""
        if self.records is None:
            return ""
        contacts = self.records.contacts
        if key in self.picks:
            return field_text(next(c for c in contacts if c.id == self.picks[key]), key)
        if key in ("emails", "phones", "linkedin"):
            return ", ".join(dict.fromkeys(v for c in contacts for v in _split(field_text(c, key))))
        if key == "do_not_contact":
            return "Yes" if any(c.do_not_contact for c in contacts) else "No"
        if key == "sources":
            return str(sum(len(c.sources) for c in contacts))
        return field_text(next(c for c in contacts if c.id == self.survivor), key)

    def _rule_picks(self) -> dict[str, int]:
        assert self.records is not None
        rows, contacts = self.records.rows, self.records.contacts
        order = [self.survivor, *(i for i in self.ids if i != self.survivor)]

        def recency(c: Contact) -> tuple[int, str]:
            return (max((s.import_id or 0 for s in c.sources), default=0), c.updated_at)

        newest = [c.id or 0 for c in sorted(contacts, key=recency, reverse=True)]
        values = survivorship(order, rows, newest)
        picks = {}
        for key, _label, kind in FIELD_ROWS:
            if kind != "choice" or not self.differs(key):
                continue
            col = CHOICE_ALIASES.get(key, key)
            picks[key] = next((c for c in order if rows[c][col] == values[col]), self.survivor)
        return picks

    # -- picking -----------------------------------------------------------------------------------
    def pick(self, row: int, column: int) -> bool:
        """Keep the value (or the record) in this cell; False when the cell offers no choice."""
        if self.records is None or not 0 <= row < len(FIELD_ROWS) or column >= len(self.ids):
            return False
        key, _label, kind = FIELD_ROWS[row]
        cid = self.ids[column]
        if kind == "survivor":
            if cid != self.survivor:
                self.set_survivor(cid)
                self.setCurrentCell(row, column)
            return True
        if key not in self.picks:
            return False
        self.picks[key] = cid
        self._fill_row(row)
        self.picked.emit()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            self.pick(self.currentRow(), self.currentColumn())
            event.accept()
            return
        super().keyPressEvent(event)

    # -- painting ----------------------------------------------------------------------------------
    def _fill(self) -> None:
        assert self.records is not None
        ids = self.ids
        self.setColumnCount(len(ids) + 1)
        self.setRowCount(len(FIELD_ROWS))
        for n, contact in enumerate(self.records.contacts):
            head = QTableWidgetItem(
                f"#{contact.id} {contact.display_name or contact.primary_email}"
            )
            head.setToolTip(f"Contact #{contact.id}")
            self.setHorizontalHeaderItem(n, head)
        result = QTableWidgetItem("Merged result")
        result.setToolTip("What the merged contact keeps")
        self.setHorizontalHeaderItem(len(ids), result)
        for row, (key, label, kind) in enumerate(FIELD_ROWS):
            differs = kind != "survivor" and self.differs(key)
            head = QTableWidgetItem(label + (DIFFERS_MARK if differs else ""))
            if kind == "choice":
                head.setToolTip(f"{label}: {RULES.get(key, DEFAULT_RULE)} unless you pick one")
            elif kind == "multi":
                head.setToolTip(f"{label}: {MULTI_RULE[key]}")
            self.setVerticalHeaderItem(row, head)
            hide = key in OPTIONAL_ROWS and not any(
                field_text(c, key) for c in self.records.contacts
            )
            self.setRowHidden(row, hide)
            self._fill_row(row)

    def _fill_row(self, row: int) -> None:
        assert self.records is not None
        key, label, kind = FIELD_ROWS[row]
        differs = kind != "survivor" and self.differs(key)
        for column, contact in enumerate(self.records.contacts):
            cid = contact.id or 0
            if kind == "survivor":
                kept = cid == self.survivor
                text = "● Keep this record" if kept else "○ Merge into the kept one"
                tip = "Space or click: keep this record (its id survives)"
                spoken = f"Contact #{cid} {'is kept' if kept else 'is merged away'}"
            else:
                value = field_text(contact, key)
                kept = self.picks.get(key) == cid
                text = value or EMPTY
                tip = value
                spoken = f"{label} of #{cid}: {value or 'empty'}"
                if key in self.picks:
                    text = f"{'●' if kept else '○'} {text}"
                    tip = f"{value or 'empty'} — Space or click: keep this value"
                    spoken += ", kept" if kept else ", not kept"
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            if kept and (kind == "survivor" or key in self.picks):
                self._tint(item, PICKED)
                font = QFont(self.font())
                font.setBold(True)
                item.setFont(font)
            elif differs:
                self._tint(item, DIFFERS)
            self.setItem(row, column, item)
        self.setItem(row, len(self.records.contacts), self._result_item(row))

    def _result_item(self, row: int) -> QTableWidgetItem:
        key, label, kind = FIELD_ROWS[row]
        if kind == "survivor":
            item = QTableWidgetItem(f"#{self.survivor}")
            item.setToolTip("The merged contact keeps this id")
        else:
            value = self.kept_text(key)
            item = QTableWidgetItem(value or EMPTY)
            if key in self.picks:
                chosen = self.picks[key] != self.defaults.get(key)
                rule = "your choice" if chosen else f"rule: {RULES.get(key, DEFAULT_RULE)}"
                item.setText(f"{value or EMPTY}  ({'your choice' if chosen else 'rule'})")
                item.setToolTip(f"{label}: {rule}")
            elif kind == "multi":
                item.setToolTip(f"{label}: {MULTI_RULE[key]}")
        self._tint(item, RESULT)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{label} after the merge: {item.text()}")
        return item

    def _tint(self, item: QTableWidgetItem, tone: str) -> None:
        item.setData(TONE_ROLE, tone)
        item.setBackground(QBrush(theme.color(tone, self.palette())))

    def changeEvent(self, event: QEvent) -> None:
        # A light/dark switch reaches the table as a palette change: repaint the fills in the
        # new scheme's variant (a pale fill under the dark scheme's light text is unreadable).
        if event.type() == QEvent.Type.PaletteChange:
            for row in range(self.rowCount()):
                for column in range(self.columnCount()):
                    item = self.item(row, column)
                    tone = item.data(TONE_ROLE) if item is not None else None
                    if item is not None and isinstance(tone, str):
                        self._tint(item, tone)
        super().changeEvent(event)


def _split(text: str) -> list[str]:
    return [v for v in text.split(", ") if v]
