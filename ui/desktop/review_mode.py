"""Review mode: one contact at a time, decided with the keyboard alone.

A accept (SAL) · R reject with a reason (Disqualified, or Recycled for "not now") · S or Right
skip · E edit inline · N note · Ctrl+Z undo the last action · Esc leave (or cancel what is open).
Every decision is a domain operation on the book, so Ctrl+Z is the book's own undo.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.audience import Fit
from app.book import LeadBook
from app.contact import Contact
from app.errors import LeadsmithError
from app.jobs import Cancelled, Progress
from app.review import ReviewFilter, ReviewQueue, ReviewSession, read_queue
from ui.desktop import theme
from ui.desktop.jobs import BookJob, JobRunner
from ui.desktop.review_card import card_html

# The reasons a reviewer picks from; the last one recycles the lead instead of disqualifying it.
REJECT_REASONS: tuple[tuple[str, bool], ...] = (
    ("Wrong title", False),
    ("Wrong company", False),
    ("Bad data", False),
    ("Not now", True),
)
EDIT_FIELDS: tuple[tuple[str, str], ...] = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("job_title", "Job title"),
    ("country", "Country"),
)
ANY = "(any)"
HINT = "A accept · R reject · S/→ skip · E edit · N note · Ctrl+Z undo · Esc leave"


class ReviewDialog(QDialog):
    """Review sourced contacts one by one: accept, reject, skip, edit, note, undo."""

    contacts_changed = Signal()

    def __init__(
        self,
        book: LeadBook,
        audience: str = "",
        parent: QWidget | None = None,
        jobs: JobRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        # With the window's jobs, a pass's queue is read on a read lane (~3-5 s for a whole book
        # of a million contacts); without them (a small book in a test) right here.
        self.jobs = jobs
        self._reading: BookJob | None = None
        self.setWindowTitle("Review")
        self.mode = "card"
        self.current_id: int | None = None
        self._shown: tuple[Contact, Fit | None] | None = None  # what the card draws
        self._undo: list[tuple[str, int]] = []  # ("book" | "skip", contact id)

        self.audience_box = self._combo("audience", [a.name for a in book.audiences()])
        self.list_box = self._combo("list", [n for n, _c in book.lists()])
        # Source labels are typed (no cheap domain call lists them yet); the sourcer defaults to
        # whoever is working.
        self.source_box = self._combo("source", [])
        self.source_box.setEditable(True)
        self.sourcer_box = self._combo("sourcer", [book.user] if book.user else [])
        self.sourcer_box.setEditable(True)
        if audience:
            self.audience_box.setCurrentText(audience)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("review_progress")
        self.progress_label.setStyleSheet("font-weight: bold")
        self.card = QLabel()
        self.card.setObjectName("review_card")
        self.card.setTextFormat(Qt.TextFormat.RichText)
        self.card.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.card.setWordWrap(True)
        self.card.setMinimumSize(560, 300)
        self.message = QLabel()
        self.message.setObjectName("review_message")

        self.hint = QLabel(HINT)
        theme.set_style(self.hint, "color: $muted;")
        self.reasons = QListWidget()
        self.reasons.setObjectName("reject_reasons")
        self.reasons.addItems(
            [
                f"{i + 1}  {text}{' (recycle)' if r else ''}"
                for i, (text, r) in enumerate(REJECT_REASONS)
            ]
        )
        self.reasons.itemActivated.connect(
            lambda _item: self.reject_with(self.reasons.currentRow())
        )
        self.reasons.installEventFilter(self)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setPlaceholderText("Type a note, Enter to save, Esc to cancel")
        self.note_edit.returnPressed.connect(self.save_note)
        edit_page = QWidget()
        form = QFormLayout(edit_page)
        self.edits: dict[str, QLineEdit] = {}
        for name, label in EDIT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"edit_{name}")
            edit.returnPressed.connect(self.save_edit)
            form.addRow(f"{label}:", edit)
            self.edits[name] = edit
        self.panel = QStackedWidget()
        for page in (self.hint, self.reasons, self.note_edit, edit_page):
            self.panel.addWidget(page)
        self.reasons.setMaximumHeight(110)

        filters = QHBoxLayout()
        for text, box in (
            ("Au&dience:", self.audience_box),
            ("&List:", self.list_box),
            ("S&ource:", self.source_box),
            ("Sour&cer:", self.sourcer_box),
        ):
            caption = QLabel(text)
            caption.setBuddy(box)
            filters.addWidget(caption)
            filters.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.card, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.panel)

        self.key_actions: dict[str, QAction] = {}
        for key, keys, slot in (
            ("accept", ["A"], self.accept_current),
            ("reject", ["R"], self.ask_reason),
            ("skip", ["S", "Right"], self.skip_current),
            ("edit", ["E"], self.start_edit),
            ("note", ["N"], self.start_note),
            ("undo", ["Ctrl+Z"], self.undo),
        ):
            action = QAction(key.capitalize(), self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.key_actions[key] = action
        for box in (self.audience_box, self.list_box, self.source_box, self.sourcer_box):
            box.currentTextChanged.connect(lambda _t: self.restart())
        self.session: ReviewSession = book.review_session(self.review_filter())
        self.resize(760, 540)
        self._begin()

    def _combo(self, name: str, values: list[str]) -> QComboBox:
        box = QComboBox()
        box.setObjectName(f"{name}_filter")
        box.addItems([ANY, *values])
        box.setFocusPolicy(
            Qt.FocusPolicy.TabFocus
        )  # letter keys stay review shortcuts after a click
        return box

    def review_filter(self) -> ReviewFilter:
        """The filter the four boxes at the top describe."""

        def value(box: QComboBox) -> str:
            text = box.currentText().strip()
            return "" if text == ANY else text

        return ReviewFilter(
            audience=value(self.audience_box),
            list_name=value(self.list_box),
            source=value(self.source_box),
            sourcer=value(self.sourcer_box),
        )

    def restart(self) -> None:
        """Start a new pass for the filters as they are now."""
        self.session = self.book.review_session(self.review_filter())
        self._undo.clear()
        self._begin()

    def _begin(self) -> None:
        """Read the new pass's queue (on a read lane when there are jobs), then show its first."""
        if self._reading is not None:
            self._reading.cancel()  # a pass for filters no longer chosen
            self._reading = None
        if self.jobs is None:
            self.set_mode("card")
            self.show_current()
            return
        session = self.session

        def read(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ReviewQueue:
            return read_queue(book.conn, session.filter)

        job = self.jobs.create(read, "review queue")
        job.signals.finished.connect(lambda queue: self._on_queue(session, queue))
        job.signals.failed.connect(lambda text: self._on_queue_failed(session, text))
        self._reading = job
        self.current_id, self._shown = None, None
        self.progress_label.setText("")
        self.card.setText("<p>Reading the contacts to review…</p>")
        self.set_mode("loading")
        self.jobs.start_read(job)

    def _on_queue(self, session: ReviewSession, queue: ReviewQueue) -> None:
        if session is not self.session:
            return  # the filters changed meanwhile: that pass's read is on its way
        self._reading = None
        session.start(queue)
        self.set_mode("card")
        self.show_current()

    def _on_queue_failed(self, session: ReviewSession, text: str) -> None:
        if session is self.session:
            self._reading = None
            self._show_error(text)

    def _show_error(self, text: str) -> None:
        red = theme.hex_color("invalid", self.palette())
        self.message.setText(f"<span style='color:{red}'>✗ {text}</span>")

    # -- showing -----------------------------------------------------------------------------------
    def show_current(self) -> None:
        """Show the contact to review now and the progress counter."""
        progress = self.session.progress()
        self.progress_label.setText(f"{progress.reviewed:,} of {progress.total:,} reviewed")
        self.current_id = self.session.current()
        self._shown = None
        if self.current_id is None:
            self.card.setText(
                "<h2>All done</h2><p>Nothing left to review with these filters.</p>"
                "<p>Ctrl+Z undoes the last decision · Esc leaves review.</p>"
            )
            return
        contact = self.book.get_contact(self.current_id)
        fit = None
        audience = self.review_filter().audience
        if audience:
            try:
                fit = self.book.explain_fit(audience, self.current_id)
            except LeadsmithError:
                fit = None
        self._shown = (contact, fit)
        self.card.setText(card_html(contact, fit, self.palette()))

    def set_mode(self, mode: str) -> None:
        """card (shortcuts live), loading (the queue is being read: no shortcuts), reason, note
        or edit (typing goes to the panel)."""
        self.mode = mode
        pages = {
            "card": self.hint,
            "loading": self.hint,
            "reason": self.reasons,
            "note": self.note_edit,
        }
        self.panel.setCurrentIndex(self.panel.indexOf(pages[mode]) if mode in pages else 3)
        for action in self.key_actions.values():
            action.setEnabled(mode == "card")
        if mode in ("card", "loading"):
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _done_action(self, text: str, kind: str = "book") -> None:
        assert self.current_id is not None
        self._undo.append((kind, self.current_id))
        self.message.setText(text)
        if kind == "book":
            self.contacts_changed.emit()
        self.set_mode("card")
        self.show_current()

    def _run(self, fn: object, *args: object) -> bool:
        try:
            fn(*args)  # type: ignore[operator]
        except LeadsmithError as exc:
            self._show_error(exc.user_message())
            self.set_mode("card")
            return False
        return True

    def _name(self) -> str:
        assert self.current_id is not None
        return self.book.get_contact(self.current_id).display_name

    # -- decisions ---------------------------------------------------------------------------------
    def accept_current(self) -> None:
        """A: accept the contact (-> SAL)."""
        if self.current_id is None:
            return
        name = self._name()
        if self._run(self.session.accept):
            self._done_action(f"Accepted {name} → SAL")

    def ask_reason(self) -> None:
        """R: show the reasons to reject with (1-4 or arrows and Enter)."""
        if self.current_id is None:
            return
        self.set_mode("reason")
        self.reasons.setCurrentRow(0)
        self.reasons.setFocus()

    def reject_with(self, index: int) -> None:
        """Reject the contact with reason number `index` of REJECT_REASONS."""
        if self.current_id is None or not 0 <= index < len(REJECT_REASONS):
            return
        reason, recycle = REJECT_REASONS[index]
        name = self._name()
        if self._run(self.session.reject, reason, recycle):
            target = "Recycled" if recycle else "Disqualified"
            self._done_action(f"Rejected {name} ({reason.lower()}) → {target}")

    def skip_current(self) -> None:
        """S or Right: leave the contact for later in this pass."""
        if self.current_id is None:
            return
        name = self._name()
        self.session.skip()
        self._done_action(f"Skipped {name}", kind="skip")

    def start_note(self) -> None:
        """N: type a note for the contact."""
        if self.current_id is None:
            return
        self.set_mode("note")
        self.note_edit.clear()
        self.note_edit.setFocus()

    def save_note(self) -> None:
        """Enter in the note box: append the note to the contact."""
        text = self.note_edit.text()
        if not text.strip():
            self.set_mode("card")
            return
        if self._run(self.session.note, text):
            self._done_action(f"Note added to {self._name()}")

    def start_edit(self) -> None:
        """E: edit name, title and country in place."""
        if self.current_id is None:
            return
        contact = self.book.get_contact(self.current_id)
        for name, edit in self.edits.items():
            edit.setText(str(getattr(contact, name) or ""))
        self.set_mode("edit")
        self.edits["first_name"].setFocus()
        self.edits["first_name"].selectAll()

    def save_edit(self) -> None:
        """Enter in an edit field: save the fields that changed."""
        assert self.current_id is not None
        contact = self.book.get_contact(self.current_id)
        changes: dict[str, object] = {
            name: edit.text().strip()
            for name, edit in self.edits.items()
            if edit.text().strip() != (getattr(contact, name) or "")
        }
        if not changes:
            self.set_mode("card")
            return
        if self._run(self.session.edit, changes):
            self._done_action(f"Edited {self._name()}")

    def undo(self) -> None:
        """Ctrl+Z: take back the last decision of this pass."""
        if not self._undo:
            self.message.setText("Nothing to undo.")
            return
        kind, cid = self._undo.pop()
        if kind == "skip":
            self.session.skipped.discard(cid)
            self.message.setText("Undone: skip")
        else:
            try:
                result = self.book.undo()
            except LeadsmithError as exc:
                self.message.setText(exc.user_message())
                return
            self.message.setText(f"Undone: {result.label}" if result else "Nothing to undo.")
            self.contacts_changed.emit()
        self.show_current()

    def changeEvent(self, event: QEvent) -> None:
        # The card's rich text carries its colours: draw it again in the new light/dark scheme.
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            self.card.setText(card_html(*self._shown, self.palette()))
        super().changeEvent(event)

    # -- keys --------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.reasons
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and Qt.Key.Key_1.value <= event.key() <= Qt.Key.Key_1.value + len(REJECT_REASONS) - 1
        ):
            self.reject_with(event.key() - Qt.Key.Key_1.value)
            return True
        return super().eventFilter(watched, event)

    def reject(self) -> None:
        # Esc closes what is open first (reasons, note, edit); on the card it leaves review.
        if self.mode not in ("card", "loading"):
            self.message.clear()
            self.set_mode("card")
            return
        super().reject()

    def done(self, result: int) -> None:
        if self._reading is not None:  # left before the queue was read: stop reading it
            self._reading.cancel()
            self._reading = None
        super().done(result)
