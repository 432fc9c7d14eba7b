"""The audience editor: target-audience criteria, weights and threshold, with a live match count.

The count is debounced and read off the UI thread (`count_matching` over a million contacts must
not freeze typing); only the newest count is shown. "Save and apply" applies on the write lane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.audience import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, SCORED, Audience, Criteria, checked
from app.audience_apply import ApplyResult
from app.book import LeadBook
from app.clean.title import DEPARTMENTS, SENIORITIES
from app.errors import LeadsmithError
from app.firmographics import SIZE_LABELS, industries
from app.jobs import Cancelled, Progress
from ui.desktop import theme
from ui.desktop.jobs import JobRunner

COUNT_DELAY_MS = 250
WEIGHT_LABELS = {
    "title": "Title",
    "seniority": "Seniority",
    "department": "Department",
    "industry": "Industry",
    "size": "Company size",
    "country": "Country",
}


def split_list(text: str) -> tuple[str, ...]:
    """A comma (or semicolon) separated field as its trimmed, non-empty parts."""
    return tuple(p.strip() for p in text.replace(";", ",").split(",") if p.strip())


def _checklist(name: str, values: tuple[str, ...]) -> QListWidget:
    box = QListWidget()
    box.setObjectName(name)
    box.setAccessibleName(name.replace("_", " ").capitalize())
    for v in values:
        item = QListWidgetItem(v)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(item)
    box.setMinimumHeight(150)
    return box


def checked_values(box: QListWidget) -> tuple[str, ...]:
    """The texts of the checked rows of a checkable list."""
    return tuple(
        box.item(i).text()
        for i in range(box.count())
        if box.item(i).checkState() == Qt.CheckState.Checked
    )


def set_checked_values(box: QListWidget, values: tuple[str, ...]) -> None:
    """Check exactly the rows whose text is in `values`."""
    for i in range(box.count()):
        item = box.item(i)
        on = item.text() in values
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class AudienceEditor(QDialog):
    """Create or edit a saved audience; shows how many contacts match while you type."""

    count_shown = Signal(int)  # a fresh count reached the label
    audience_saved = Signal(str)
    audience_applied = Signal(object)  # ApplyResult

    def __init__(
        self,
        book: LeadBook,
        jobs: JobRunner,
        audience: Audience | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.jobs = jobs
        self.setWindowTitle(f"Edit audience — {audience.name}" if audience else "New audience")
        self._generation = 0
        self._closed = False
        self.applying = False
        self.count: int | None = None

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("UK fintech CMOs")
        self.keywords_edit = QLineEdit()
        self.keywords_edit.setPlaceholderText("marketing, growth, demand generation")
        self.countries_edit = QLineEdit()
        self.countries_edit.setPlaceholderText("GB, IE")
        self.domains_edit = QLineEdit()
        self.domains_edit.setPlaceholderText("competitor.com, rival.io")
        self.require_email = QCheckBox("Require a valid email")
        self.require_phone = QCheckBox("Require a usable phone")
        self.seniority_list = _checklist("seniority", SENIORITIES)
        self.department_list = _checklist("department", DEPARTMENTS)
        self.industry_list = _checklist("industry", industries().standard)
        self.size_list = _checklist("company_size", SIZE_LABELS)
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 100)
        self.threshold.setValue(DEFAULT_THRESHOLD)
        self.threshold.setSuffix(" / 100")
        self.auto_apply = QCheckBox("Apply to every import automatically")
        self.auto_apply.setChecked(True)
        self.weights: dict[str, QSpinBox] = {}
        for key in SCORED:
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setValue(DEFAULT_WEIGHTS[key])
            spin.setAccessibleName(f"Weight of {WEIGHT_LABELS[key]}")
            self.weights[key] = spin
        self.count_label = QLabel()
        self.count_label.setObjectName("match_count")
        font = self.count_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.count_label.setFont(font)
        self.error_label = QLabel()
        self.error_label.setObjectName("criteria_error")
        theme.set_style(self.error_label, "color: $invalid;")
        self.error_label.setWordWrap(True)
        self._layout()

        self.count_timer = QTimer(self)
        self.count_timer.setSingleShot(True)
        self.count_timer.setInterval(COUNT_DELAY_MS)
        self.count_timer.timeout.connect(self.update_count)
        for edit in (self.keywords_edit, self.countries_edit, self.domains_edit):
            edit.textChanged.connect(self._on_criteria_edited)
        for check in (self.require_email, self.require_phone):
            check.toggled.connect(self._on_criteria_edited)
        for box in (self.seniority_list, self.department_list, self.industry_list, self.size_list):
            box.itemChanged.connect(self._on_criteria_edited)
        self.name_edit.textChanged.connect(self._update_buttons)
        if audience is not None:
            self.load(audience)
        self._update_buttons()
        self.update_count()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Title keywords:", self.keywords_edit)
        form.addRow("&Countries (ISO):", self.countries_edit)
        form.addRow("E&xcluded domains:", self.domains_edit)
        checks = QHBoxLayout()
        checks.addWidget(self.require_email)
        checks.addWidget(self.require_phone)
        checks.addStretch()
        form.addRow("", checks)

        lists = QGridLayout()
        for col, (title, box) in enumerate(
            (
                ("&Seniority", self.seniority_list),
                ("&Department", self.department_list),
                ("&Industry", self.industry_list),
                ("Company si&ze", self.size_list),
            )
        ):
            label = QLabel(title)
            label.setBuddy(box)
            lists.addWidget(label, 0, col)
            lists.addWidget(box, 1, col)

        scoring = QGroupBox("Scoring")
        grid = QGridLayout(scoring)
        for i, key in enumerate(SCORED):
            grid.addWidget(QLabel(f"{WEIGHT_LABELS[key]}:"), i // 3, (i % 3) * 2)
            grid.addWidget(self.weights[key], i // 3, (i % 3) * 2 + 1)
        threshold_label = QLabel("MQL &threshold:")
        threshold_label.setBuddy(self.threshold)
        grid.addWidget(threshold_label, 2, 0)
        grid.addWidget(self.threshold, 2, 1)
        grid.addWidget(self.auto_apply, 2, 2, 1, 4)

        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Save")
        self.apply_button = QPushButton("Save and &apply")
        self.apply_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ApplyRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        self.apply_button.clicked.connect(self.save_and_apply)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(lists)
        layout.addWidget(scoring)
        layout.addWidget(self.count_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # -- criteria ----------------------------------------------------------------------------------
    def criteria(self) -> Criteria:
        """The criteria as typed, checked (InvalidValue names a bad country, industry…)."""
        return checked(
            Criteria(
                title_keywords=split_list(self.keywords_edit.text()),
                seniorities=checked_values(self.seniority_list),
                departments=checked_values(self.department_list),
                industries=checked_values(self.industry_list),
                sizes=checked_values(self.size_list),
                countries=split_list(self.countries_edit.text()),
                require_email=self.require_email.isChecked(),
                require_phone=self.require_phone.isChecked(),
                exclude_domains=split_list(self.domains_edit.text()),
            )
        )

    def load(self, audience: Audience) -> None:
        """Fill the form from a saved audience."""
        c = audience.criteria
        self.name_edit.setText(audience.name)
        self.keywords_edit.setText(", ".join(c.title_keywords))
        self.countries_edit.setText(", ".join(c.countries))
        self.domains_edit.setText(", ".join(c.exclude_domains))
        self.require_email.setChecked(c.require_email)
        self.require_phone.setChecked(c.require_phone)
        set_checked_values(self.seniority_list, c.seniorities)
        set_checked_values(self.department_list, c.departments)
        set_checked_values(self.industry_list, c.industries)
        set_checked_values(self.size_list, c.sizes)
        self.threshold.setValue(audience.threshold)
        self.auto_apply.setChecked(audience.auto_apply)
        for key, spin in self.weights.items():
            spin.setValue(int(audience.weights.get(key, DEFAULT_WEIGHTS[key])))

    def _on_criteria_edited(self, *_args: object) -> None:
        self.count_label.setText("Counting…")
        self.count_timer.start()

    def update_count(self) -> None:
        """Count the matching contacts for the criteria as they are now, off the UI thread."""
        self.count_timer.stop()
        self._generation += 1
        generation = self._generation
        try:
            criteria = self.criteria()
        except LeadsmithError as exc:
            self.error_label.setText(exc.user_message())
            self.count_label.setText("—")
            self._update_buttons()
            return
        self.error_label.clear()
        self._update_buttons()
        self.count_label.setText("Counting…")

        def count(book: LeadBook, progress: Progress, cancelled: Cancelled) -> int:
            return book.count_matching(criteria)

        job = self.jobs.create(count, "audience count")
        job.signals.finished.connect(lambda n: self._on_count_read(generation, n))
        job.signals.failed.connect(lambda msg: self._on_count_failed(generation, msg))
        self.jobs.start_count(job)

    def _on_count_read(self, generation: int, n: int) -> None:
        if generation != self._generation or self._closed:
            return  # the criteria changed since: a newer count is coming
        self.count = n
        self.count_label.setText(f"{n:,} contact matches" if n == 1 else f"{n:,} contacts match")
        self.count_shown.emit(n)

    def _on_count_failed(self, generation: int, message: str) -> None:
        if generation == self._generation and not self._closed:
            self.count_label.setText("—")
            self.error_label.setText(f"Could not count: {message}")

    def _update_buttons(self, *_args: object) -> None:
        ok = bool(self.name_edit.text().strip()) and not self.error_label.text()
        self.save_button.setEnabled(ok and not self.applying)
        self.apply_button.setEnabled(ok and not self.applying)

    # -- saving ------------------------------------------------------------------------------------
    def _save(self) -> Audience | None:
        try:
            saved = self.book.save_audience(
                self.name_edit.text(),
                self.criteria(),
                {k: s.value() for k, s in self.weights.items()},
                self.threshold.value(),
                self.auto_apply.isChecked(),
            )
        except LeadsmithError as exc:
            self.error_label.setText(exc.user_message())
            return None
        self.audience_saved.emit(saved.name)
        return saved

    def save(self) -> None:
        """Save: store the audience and close (contacts are tagged on the next apply)."""
        if self._save() is not None:
            self.accept()

    def save_and_apply(self) -> None:
        """Save and apply: store it, then score and tag every contact on the write lane."""
        saved = self._save()
        if saved is None:
            return
        self.applying = True
        self._update_buttons()
        self.count_label.setText(f"Applying {saved.name}…")
        name = saved.name

        def run(book: LeadBook, progress: Progress, cancelled: Cancelled) -> ApplyResult:
            return book.apply_audience(name)

        job = self.jobs.create(run, f"apply audience {name}")
        job.signals.finished.connect(self._on_applied)
        job.signals.failed.connect(self._on_apply_failed)
        self.jobs.start_write(job)

    def _on_applied(self, result: ApplyResult) -> None:
        self.applying = False
        self.audience_applied.emit(result)
        self.accept()

    def _on_apply_failed(self, message: str) -> None:
        self.applying = False
        self._update_buttons()
        self.error_label.setText(f"Saved, but applying failed: {message}")

    def done(self, result: int) -> None:
        self._closed = True
        self.count_timer.stop()
        super().done(result)
