"""A contact's history: every change touching it (when, who, what), and "Undo last change" when
the book's most recent operation is one of them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.book import LeadBook
from app.errors import LeadsmithError
from app.store import history
from ui.desktop import theme

HIDDEN_KEYS = frozenset({"updated_at", "id", "contact_id", "import_id"})
TABLE_WORDS = {"contact_points": "value", "contact_tags": "tag", "list_members": "list"}


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    text = text if len(text) <= 60 else text[:57] + "…"
    return f"“{text}”" if text else "(empty)"


def describe_change(entry: dict[str, object]) -> str:
    """One history entry in words: "status: “New” → “SQL”", "added email “a@b.com”"…"""
    before, after = entry.get("before"), entry.get("after")
    table = str(entry.get("table", ""))
    if table == "contacts" and before is None and isinstance(after, dict) and "action" in after:
        return f"{str(after['action']).capitalize()} by {entry.get('label', 'an import')}"
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [k for k in after if k not in HIDDEN_KEYS and before.get(k) != after.get(k)]
        return "; ".join(f"{k}: {_short(before.get(k))} → {_short(after.get(k))}" for k in keys)
    row = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
    what = str(row.get("kind") or TABLE_WORDS.get(table, table))
    value = row.get("raw") or row.get("value") or row.get("name") or ""
    verb = "added" if before is None else "removed"
    return f"{verb} {what} {_short(value)}" if value else f"{verb} {what}"


class HistoryDialog(QDialog):
    """The changes of one contact, oldest first, with undo of the book's last operation."""

    undone = Signal(object)  # UndoResult

    def __init__(
        self,
        book: LeadBook,
        contact_id: int,
        parent: QWidget | None = None,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.book, self.contact_id = book, contact_id
        self.busy = busy or (lambda: False)
        self.entries: list[dict[str, object]] = []
        self.setWindowTitle(f"History of contact #{contact_id}")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("history_table")
        self.table.setHorizontalHeaderLabels(["When", "Who", "What", "Change"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.undo_button = QPushButton("Undo last change")
        self.undo_button.setObjectName("undo_button")
        self.undo_button.clicked.connect(self.undo_last)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.resize(780, 420)
        self.reload()

    def reload(self) -> None:
        """Read the contact's history and decide whether its last change can be undone."""
        entries = self.book.contact_history(self.contact_id)
        self.entries = entries
        self.table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            what = str(entry.get("label", ""))
            if entry.get("undone"):
                what += " (undone)"
            cells = [
                str(entry.get("at", ""))[:16].replace("T", " "),
                str(entry.get("user", "")),
                what,
                describe_change(entry),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self._tint_undone()
        self.table.scrollToBottom()
        noun = "change" if len(entries) == 1 else "changes"
        self.note.setText(f"{len(entries)} {noun}, oldest first.")
        reason = self.undo_blocked_reason()
        self.undo_button.setEnabled(reason is None)
        self.undo_button.setToolTip(reason or "Undo the book's last operation, which is above")

    def _tint_undone(self) -> None:
        # Undone rows are muted (and say "(undone)"): the theme's muted grey stays readable on
        # either scheme, where a fixed light grey vanished on white and glared on dark.
        muted = QBrush(theme.color("muted", self.palette()))
        for r, entry in enumerate(self.entries):
            for c in range(self.table.columnCount()) if entry.get("undone") else ():
                item = self.table.item(r, c)
                if item is not None:
                    item.setForeground(muted)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a light/dark switch
            self._tint_undone()
        super().changeEvent(event)

    def undo_blocked_reason(self) -> str | None:
        """Why "Undo last change" is disabled, or None when it may run."""
        latest = history.last_undoable(self.book.conn)  # what book.undo() would revert
        if latest is None:
            return "Nothing in this book can be undone."
        mine = {int(str(e["op_id"])) for e in self.entries if not e.get("undone")}
        if latest.id not in mine:
            return (
                f"The book's last operation ({latest.label}) did not touch this contact: "
                "undo it first with Edit → Undo."
            )
        return None

    def undo_last(self) -> object | None:
        """Undo the book's last operation (it touches this contact); None when nothing ran."""
        if self.undo_blocked_reason() is not None:
            return None
        if self.busy():
            QMessageBox.information(
                self, "Undo", "Wait for the running import or export to finish."
            )
            return None
        try:
            result = self.book.undo()
        except LeadsmithError as exc:
            QMessageBox.warning(self, "Undo failed", exc.user_message())
            return None
        self.reload()
        if result is not None:
            self.undone.emit(result)
        return result
