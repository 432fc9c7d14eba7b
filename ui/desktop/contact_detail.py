"""The Details side panel: every field of the selected contact, each email/phone/URL with its
validation badge, tags, lists, where the contact came from, extra columns, and its history."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.book import LeadBook
from app.clean.phone import format_phone
from app.contact import Contact, ContactPoint
from app.errors import NotFound
from ui.desktop import theme
from ui.desktop.history_dialog import HistoryDialog

# status -> (badge, theme colour role, what the tooltip says when the point carries no reason)
BADGES: dict[str, tuple[str, str, str]] = {
    "valid": ("✓", "valid", "Valid"),
    "risky": ("!", "risky", "Risky"),
    "invalid": ("✗", "invalid", "Invalid"),
    "unchecked": ("?", "unchecked", "Not checked"),
}
EMPTY = "—"
PLACEHOLDER = "Select a contact to see its details."


class PointRow(NamedTuple):
    """The widgets of one email, phone or URL: its badge and its value."""

    kind: str
    badge: QLabel
    value: QLabel


def point_display(point: ContactPoint) -> str:
    """A point as the panel shows it: phones spaced for reading, the raw text when it failed."""
    if point.value is None:
        return point.raw
    if point.kind == "phone" and point.value.startswith("+"):
        return format_phone(point.value)
    return point.value


def point_tooltip(point: ContactPoint) -> str:
    """Why a point has its badge ("Invalid: the address has no domain")."""
    _badge, _color, word = BADGES.get(point.status, BADGES["unchecked"])
    text = f"{word}: {point.reason}" if point.reason else word
    if point.value is not None and point.raw.strip() != point.value:
        text += f"\nAs given: {point.raw}"
    return text


def source_line(entry: dict[str, object]) -> str:
    """One provenance entry: "seed.csv, row 4 — added 2024-05-01 14:03 by ann"."""
    file = str(entry.get("file") or "")
    row = entry.get("row")
    where = file if not row else f"{file}, row {row}"
    when = str(entry.get("imported_at") or "")[:16].replace("T", " ")
    text = f"{where} — {entry.get('action') or 'imported'} {when}".rstrip()
    if entry.get("user"):
        text += f" by {entry['user']}"
    if entry.get("source"):
        text += f" ({entry['source']})"
    return text


class ContactDetailPanel(QWidget):
    """Everything about one contact; `show_contact(id)` fills it, None shows a hint."""

    undone = Signal(object)  # UndoResult, after "Undo last change" in the history dialog

    def __init__(
        self, book: LeadBook, parent: QWidget | None = None, busy: Callable[[], bool] | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contact_detail")
        self.setMinimumWidth(320)  # labels and values side by side without clipping
        self.book = book
        self.busy = busy or (lambda: False)
        self.contact: Contact | None = None
        self.values: dict[str, QLabel] = {}
        self.points: list[PointRow] = []
        self.history_dialog: HistoryDialog | None = None
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.history_button = QPushButton("History…")
        self.history_button.setObjectName("history_button")
        self.history_button.setToolTip("Every change to this contact, with undo")
        self.history_button.clicked.connect(self.open_history)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(8, 0, 8, 8)
        buttons.addStretch(1)
        buttons.addWidget(self.history_button)
        layout.addLayout(buttons)
        self.show_contact(None)

    # -- filling -----------------------------------------------------------------------------------
    def show_contact(self, contact_id: int | None) -> None:
        """Show one contact (read fresh from the book), or the hint when None or gone."""
        contact = None
        if contact_id is not None:
            try:
                contact = self.book.get_contact(contact_id)
            except NotFound:
                contact = None
        self.contact = contact
        self.values, self.points = {}, []
        body = QWidget()
        box = QVBoxLayout(body)
        if contact is None:
            hint = QLabel(PLACEHOLDER)
            hint.setObjectName("detail_placeholder")
            hint.setWordWrap(True)
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(hint, 1)
        else:
            self._fill(box, contact)
            box.addStretch(1)
        self.scroll_area.setWidget(body)  # the old body is deleted by the scroll area
        self.history_button.setEnabled(contact is not None)

    def reload(self) -> None:
        """Read the shown contact again (after an edit or undo)."""
        self.show_contact(self.contact.id if self.contact is not None else None)

    def _fill(self, box: QVBoxLayout, c: Contact) -> None:
        title = QLabel(c.display_name or c.primary_email or f"Contact #{c.id}")
        title.setObjectName("detail_title")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        title.setWordWrap(True)
        box.addWidget(title)
        company = c.company
        size = f"{company.employees:,} employees" if company.employees is not None else ""
        location = ", ".join(p for p in (c.street, c.city, c.region, c.postal_code, c.country) if p)
        score = "" if c.score is None else str(c.score)
        if c.grade:
            score = f"{score} (grade {c.grade})".strip()
        self._section(
            box,
            "Person",
            [
                ("Name", "name", c.display_name),
                ("Title", "job_title", c.job_title),
                ("Seniority", "seniority", c.seniority),
                ("Department", "department", c.department),
                ("Location", "location", location),
            ],
        )
        self._section(
            box,
            "Company",
            [
                ("Name", "company", company.name),
                ("Domain", "domain", company.domain),
                ("Industry", "industry", company.industry),
                ("Size", "size", size),
            ],
        )
        self._points_section(box, c)
        self._section(
            box,
            "Lead",
            [
                ("Status", "status", c.status),
                ("Score", "score", score),
                ("Lead source", "lead_source", c.lead_source),
                ("Legal basis", "legal_basis", c.legal_basis),
                ("Do not contact", "do_not_contact", "Yes" if c.do_not_contact else "No"),
                ("Tags", "tags", ", ".join(c.tags)),
                ("Lists", "lists", ", ".join(c.lists)),
            ],
        )
        if c.do_not_contact:
            theme.set_style(self.values["do_not_contact"], "color: $invalid; font-weight: 600;")
        if c.extra:
            rows = [(key, f"extra:{key}", value) for key, value in c.extra.items()]
            self._section(box, "Other columns", rows)
        if c.notes:
            self._section(box, "Notes", [("", "notes", c.notes)])
        self._sources_section(box, c)

    def _value_label(self, text: str) -> QLabel:
        label = QLabel(text or EMPTY)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if not text:
            theme.set_style(label, "color: $muted;")
        return label

    def _section(self, box: QVBoxLayout, heading: str, rows: list[tuple[str, str, str]]) -> None:
        group = QGroupBox(heading)
        form = QFormLayout(group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for label, key, text in rows:
            value = self._value_label(text)
            self.values[key] = value
            form.addRow(f"{label}:" if label else "", value)
        box.addWidget(group)

    def _points_section(self, box: QVBoxLayout, c: Contact) -> None:
        group = QGroupBox("Emails, phones and links")
        form = QFormLayout(group)
        points = [*c.emails, *c.phones, *c.urls]
        if not points:
            form.addRow(self._value_label(""))
        for point in points:
            badge_text, role, _word = BADGES.get(point.status, BADGES["unchecked"])
            badge = QLabel(badge_text)
            badge.setObjectName(f"badge_{point.status}")
            theme.set_style(badge, f"color: ${role}; font-weight: 700;")
            badge.setToolTip(point_tooltip(point))
            value = self._value_label(point_display(point))
            value.setToolTip(point_tooltip(point))
            if point.status == "invalid":
                theme.set_style(value, f"color: ${role};")
            what = "Link" if point.kind == "url" else point.kind.capitalize()
            kind = f"{what} ({point.label})" if point.label else what
            row = QHBoxLayout()
            row.addWidget(badge)
            row.addWidget(value, 1)
            form.addRow(f"{kind}:", row)
            self.points.append(PointRow(point.kind, badge, value))
        box.addWidget(group)

    def _sources_section(self, box: QVBoxLayout, c: Contact) -> None:
        assert c.id is not None
        lines = [source_line(entry) for entry in self.book.provenance(c.id)]
        group = QGroupBox("Sources")
        form = QFormLayout(group)
        value = self._value_label("\n".join(lines))
        self.values["sources"] = value
        form.addRow(value)
        box.addWidget(group)

    # -- history -----------------------------------------------------------------------------------
    def open_history(self) -> HistoryDialog | None:
        """History…: the changes of the shown contact, with "Undo last change"."""
        if self.contact is None or self.contact.id is None:
            return None
        dialog = HistoryDialog(self.book, self.contact.id, self, busy=self.busy)
        dialog.undone.connect(self._on_history_undone)
        self.history_dialog = dialog
        dialog.open()
        return dialog

    def _on_history_undone(self, result: object) -> None:
        self.reload()
        self.undone.emit(result)
