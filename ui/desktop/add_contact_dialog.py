"""The New contact form: live validation as you type and a live duplicate warning."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.book import AddResult, LeadBook
from app.contact import Issue, RawRecord
from app.dedupe.score import summary
from ui.desktop import theme

# (canonical field, label, placeholder); the label is also the column issues name.
FORM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("first_name", "First name", ""),
    ("last_name", "Last name", ""),
    ("email", "Email", "name@company.com"),
    ("phone", "Phone", "+44 20 7946 0958"),
    ("mobile_phone", "Mobile", ""),
    ("company", "Company", ""),
    ("job_title", "Job title", ""),
    ("country", "Country", "GB, United Kingdom…"),
    ("linkedin_url", "LinkedIn URL", "linkedin.com/in/…"),
    ("website", "Website", "company.com"),
)
# Fields whose value is validated, with a status line under them: the contact point each one
# becomes (kind, label), or None when the domain only reports problems (the company website).
CHECKED_FIELDS: dict[str, tuple[str, str] | None] = {
    "email": ("email", "work"),
    "phone": ("phone", "work"),
    "mobile_phone": ("phone", "mobile"),
    "linkedin_url": ("url", "linkedin"),
    "website": None,
}
VALIDATE_DELAY_MS = 200
COLORS = {"error": "invalid", "warning": "risky", "valid": "valid"}  # theme roles


class AddContactDialog(QDialog):
    """Type a contact in; Save adds it to the book (or merges it into the duplicate shown)."""

    def __init__(self, book: LeadBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.added: AddResult | None = None
        self.duplicates: list[tuple[int, str]] = []  # exact: Save can merge into these
        self.similar: list[tuple[int, int, tuple[str, ...]]] = []  # fuzzy: (id, score, reasons)
        self.setWindowTitle("New contact")
        self.setMinimumWidth(480)

        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name, label, placeholder in FORM_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setAccessibleName(label)
            edit.setPlaceholderText(placeholder)
            edit.textChanged.connect(self._on_field_edited)
            self.edits[name] = edit
            if name in CHECKED_FIELDS:
                box = QVBoxLayout()
                box.setSpacing(1)
                box.addWidget(edit)
                message = QLabel()
                message.setObjectName(f"{name}_message")
                message.setAccessibleName(f"{label} check")
                message.setWordWrap(True)
                message.hide()
                self.messages[name] = message
                box.addWidget(message)
                form.addRow(f"&{label}:", box)
                _buddy(form, edit)
            else:
                form.addRow(f"&{label}:", edit)

        self.banner = QFrame()
        self.banner.setObjectName("duplicate_banner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        theme.set_style(
            self.banner,
            "#duplicate_banner { background: $banner_bg; border: 1px solid $banner_border;"
            " border-radius: 4px; }",
        )
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_text.setAccessibleName("Duplicate warning")
        self.merge_choice = QRadioButton("Merge into it (keeps every value)")
        self.merge_choice.setChecked(True)
        self.keep_choice = QRadioButton("Add as a separate contact")
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        banner_layout.addWidget(self.merge_choice)
        banner_layout.addWidget(self.keep_choice)
        self.banner.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("Save (Enter or Ctrl+Enter)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.banner)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.validate_timer = QTimer(self)
        self.validate_timer.setSingleShot(True)
        self.validate_timer.setInterval(VALIDATE_DELAY_MS)
        self.validate_timer.timeout.connect(self.validate)

    # -- the record --------------------------------------------------------------------------------
    def record(self) -> RawRecord:
        """What the form holds, as a RawRecord (the labels double as provenance columns)."""
        rec = RawRecord(row=0)
        for name, label, _placeholder in FORM_FIELDS:
            text = self.edits[name].text()
            if text.strip():
                rec.add(name, label, text)
                rec.raw[label] = text
        return rec

    def can_save(self) -> bool:
        """A contact needs at least a name or an email."""
        return any(self.edits[n].text().strip() for n in ("first_name", "last_name", "email"))

    def on_duplicate(self) -> str:
        """The policy Save uses when the contact is already in the book."""
        return "keep" if self.duplicates and self.keep_choice.isChecked() else "merge"

    # -- live validation ---------------------------------------------------------------------------
    def _on_field_edited(self) -> None:
        self.save_button.setEnabled(self.can_save())
        self.validate_timer.start()

    def validate(self) -> None:
        """Check the record against the book now: field messages and the duplicate banner."""
        self.validate_timer.stop()
        rec = self.record()
        result, self.duplicates = self.book.check_record(rec)
        exact = {cid for cid, _reason in self.duplicates}
        self.similar = [d for d in self.book.duplicates_of(result.contact) if d[0] not in exact]
        issues: dict[str, Issue] = {}
        for issue in result.issues:
            issues.setdefault(issue.column, issue)
        statuses = {(p.kind, p.label): p.status for p in reversed(result.contact.points)}
        for name, label, _placeholder in FORM_FIELDS:
            if name in self.messages:
                point = CHECKED_FIELDS[name]
                valid = point is not None and statuses.get(point) == "valid"
                self._show_check(name, issues.get(label), valid)
        self._show_duplicates()

    def _show_check(self, name: str, issue: Issue | None, valid: bool) -> None:
        message = self.messages[name]
        if issue is None and not valid:
            message.hide()
            message.setText("")
            return
        if issue is None:
            message.setText("✓ valid")
            role = COLORS["valid"]
        else:
            invalid = issue.severity == "error"
            message.setText(f"{'✗ invalid' if invalid else '⚠ risky'}: {issue.message}")
            role = COLORS["error" if invalid else "warning"]
        theme.set_style(message, f"color: ${role}; font-size: 90%;")
        message.show()

    def _show_duplicates(self) -> None:
        if not self.duplicates and not self.similar:
            self.banner.hide()
            return
        ids = [cid for cid, _reason in self.duplicates] + [d[0] for d in self.similar]
        rows = self.book.rows(ids)

        def who(cid: int) -> str:
            row = rows.get(cid)
            return f"#{cid} {(row.name or row.email) if row else ''}".strip()

        parts = []
        if self.duplicates:
            lines = [f"{who(cid)} ({reason})" for cid, reason in self.duplicates]
            parts.append("Already in the book: " + "; ".join(lines))
        if self.similar:
            # Only a person can tell: Save adds a separate contact; Find duplicates merges later.
            lines = [f"{who(cid)} (score {score}: {summary(reasons, score)})"
                     for cid, score, reasons in self.similar]  # fmt: skip
            lead = "Maybe the same as: " if self.duplicates else "Maybe already in the book: "
            parts.append(lead + "; ".join(lines))
        self.banner_text.setText("\n".join(parts))
        self.merge_choice.setVisible(bool(self.duplicates))
        self.keep_choice.setVisible(bool(self.duplicates))
        self.banner.show()

    def duplicate_text(self) -> str:
        """The duplicate warning shown, or "" when there is none."""
        return self.banner_text.text() if not self.banner.isHidden() else ""

    def message_text(self, name: str) -> str:
        """The validation line shown under a field, or "" when it is hidden."""
        label = self.messages[name]
        return label.text() if not label.isHidden() else ""

    # -- saving ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Add the contact (a one-row import, so Undo removes it) and close the form."""
        if not self.can_save():
            return
        self.validate()  # the duplicate choice must reflect what is typed now
        self.added = self.book.add_contact(self.record(), on_duplicate=self.on_duplicate())
        self.accept()


def _buddy(form: QFormLayout, edit: QLineEdit) -> None:
    """Point the row's label mnemonic at the line edit rather than at its layout."""
    item = form.itemAt(form.rowCount() - 1, QFormLayout.ItemRole.LabelRole)
    label = item.widget() if item is not None else None
    if isinstance(label, QLabel):
        label.setBuddy(edit)
