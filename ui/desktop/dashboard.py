"""The dashboard: funnel by status, leads by source, data quality, and what each list cost.

Its numbers are read in one background job (stats and economics scan the book), then drawn with
the small QPainter BarChart; the economics are a plain table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.book import LeadBook
from app.book_base import LIFECYCLE
from app.jobs import Cancelled, Progress
from ui.desktop.bar_chart import BarChart
from ui.desktop.jobs import JobRunner

QUALITY_ORDER = ("valid", "risky", "invalid", "unchecked")
# Theme roles (ui.desktop.theme), not colours: the bars take the light or dark variant.
QUALITY_COLORS = {
    "valid": "valid",
    "risky": "risky",
    "invalid": "invalid",
    "unchecked": "unchecked",
}
STATUS_COLORS = {"Recycled": "recycled", "Disqualified": "unchecked"}
ECONOMICS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("List", "name"),
    ("Cost", "cost"),
    ("Leads", "leads"),
    ("Valid email", "valid_email_leads"),
    ("SAL", "sal"),
    ("SQL", "sql"),
    ("Per lead", "cost_per_lead"),
    ("Per valid email", "cost_per_valid_email_lead"),
    ("Per SAL", "cost_per_sal"),
    ("Per SQL", "cost_per_sql"),
)
MONEY_KEYS = {"cost", "cost_per_lead", "cost_per_valid_email_lead", "cost_per_sal", "cost_per_sql"}


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, as plain data."""

    contacts: int = 0
    companies: int = 0
    imports: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_source: list[tuple[str, int]] = field(default_factory=list)
    emails: list[tuple[str, int]] = field(default_factory=list)
    phones: list[tuple[str, int]] = field(default_factory=list)
    lists: list[dict[str, object]] = field(default_factory=list)
    total: dict[str, object] = field(default_factory=dict)


def _quality(counts: object) -> list[tuple[str, int]]:
    found = dict(counts) if isinstance(counts, dict) else {}
    keys = [k for k in QUALITY_ORDER if k in found or k != "unchecked"]
    keys += sorted(k for k in found if k not in QUALITY_ORDER)
    return [(k, int(found.get(k, 0))) for k in keys]


def read_dashboard(book: LeadBook) -> DashboardData:
    """The dashboard's numbers from a book (runs in a read job; also callable directly)."""
    stats = book.stats()
    econ = book.economics()
    assert isinstance(econ, dict)
    by_status = stats["by_status"]
    assert isinstance(by_status, dict)
    total = econ["total"]
    assert isinstance(total, dict)
    lists = econ["lists"]
    assert isinstance(lists, list)
    by_source = total.get("by_source", {})
    assert isinstance(by_source, dict)
    return DashboardData(
        contacts=int(stats["contacts"]),  # type: ignore[call-overload]
        companies=int(stats["companies"]),  # type: ignore[call-overload]
        imports=int(stats["imports"]),  # type: ignore[call-overload]
        by_status=[(s, int(by_status.get(s, 0))) for s in LIFECYCLE],
        by_source=[(str(k), int(v)) for k, v in by_source.items()],
        emails=_quality(stats["emails"]),
        phones=_quality(stats["phones"]),
        lists=list(lists),
        total=total,
    )


def counted(n: int, one: str, many: str) -> str:
    """A count with its noun: "1 import", "2 imports"."""
    return f"{n:,} {one if n == 1 else many}"


def cell_text(key: str, value: object) -> str:
    """An economics value as the table shows it ("—" for an unknown cost per X)."""
    if value is None:
        return "—"
    if key in MONEY_KEYS and isinstance(value, int | float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


class Dashboard(QDialog):
    """Funnel, sources, data quality and list economics of the book."""

    loaded = Signal()

    def __init__(self, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dashboard")
        self.jobs = jobs
        self.data: DashboardData | None = None
        self._generation = 0
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("dashboard_summary")
        self.funnel = BarChart("Funnel by status")
        self.sources = BarChart("Leads by source")
        self.emails = BarChart("Emails")
        self.phones = BarChart("Phones")
        self.economics = QTableWidget(0, len(ECONOMICS_COLUMNS))
        self.economics.setObjectName("economics_table")
        self.economics.setHorizontalHeaderLabels([t for t, _k in ECONOMICS_COLUMNS])
        self.economics.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.economics.verticalHeader().hide()
        self.economics.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.economics.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        grid = QGridLayout()
        grid.addWidget(self.funnel, 0, 0)
        grid.addWidget(self.sources, 0, 1)
        grid.addWidget(self.emails, 1, 0)
        grid.addWidget(self.phones, 1, 1)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(16)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        economics_title = QLabel("<b>List economics</b>")
        layout.addWidget(economics_title)
        layout.addWidget(self.economics, 1)
        self.resize(900, 600)
        self.reload()

    def reload(self) -> None:
        """Read the numbers again off the UI thread."""
        self._generation += 1
        generation = self._generation

        def read(book: LeadBook, progress: Progress, cancelled: Cancelled) -> DashboardData:
            return read_dashboard(book)

        job = self.jobs.create(read, "dashboard")
        job.signals.finished.connect(lambda data: self._on_read(generation, data))
        job.signals.failed.connect(lambda msg: self.summary.setText(f"Could not read: {msg}"))
        self.jobs.start_count(job)

    def _on_read(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return
        self.data = data
        self.summary.setText(
            f"{counted(data.contacts, 'contact', 'contacts')} · "
            f"{counted(data.companies, 'company', 'companies')} · "
            f"{counted(data.imports, 'import', 'imports')}"
        )
        self.funnel.set_bars(data.by_status, STATUS_COLORS)
        self.sources.set_bars(data.by_source)
        self.emails.set_bars(data.emails, QUALITY_COLORS)
        self.phones.set_bars(data.phones, QUALITY_COLORS)
        rows = [*data.lists, {**data.total, "name": "All lists and imports"}]
        self.economics.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (_title, key) in enumerate(ECONOMICS_COLUMNS):
                item = QTableWidgetItem(cell_text(key, row.get(key)))
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.economics.setItem(r, c, item)
        self.loaded.emit()
