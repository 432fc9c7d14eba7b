"""What an export would write, worked out before writing: the preview rows, the preflight report,
the row and file counts (`plan_export`, plain Python a job runs), the words the dialog says about
them, and the small Qt models and tables the Export dialog shows them in.

The preview rows come from the same row functions the writer uses (`row_values`,
`leadsmith_csv_row`, `vcard_text`, `contact_document`), so what the dialog shows is what is written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget

from app.book import LeadBook
from app.contact import Contact
from app.export import (
    ExportResult,
    Preset,
    RowProblem,
    contact_document,
    export_header,
    leadsmith_csv_row,
    row_values,
)
from app.export.compiled import can_stream
from app.export.leadsmith_csv import leadsmith_csv_raw_row
from app.export.plan import FlatPlan, plan_flat
from app.export.preflight import ERROR, contact_problems
from app.export.source import BookContacts
from app.export.vcard import vcard_text
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.query import ContactFilter

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 20
GROUPS = ("CRMs", "Address books", "Files")
ADDRESS_BOOKS = frozenset({"google-csv", "outlook-csv"})
MAX_PROBLEMS = 1000  # rows listed in the preflight table; the count covers them all
CHUNK = 1000


@dataclass
class ExportPlan:
    """An export worked out but not written: what goes out, what is left out and why."""

    preset: Preset
    header: list[str]
    preview: list[list[str]] = field(default_factory=list)
    selected: int = 0  # contacts the selection gives, before anything is left out
    not_contactable: int = 0  # do-not-contact or suppressed: never exported
    already_exported: int = 0  # left out by "only contacts not yet exported"
    invalid_emails: int = 0  # left out by "leave out invalid emails"
    rejected: int = 0  # contacts the target would reject (skipped)
    problems: list[RowProblem] = field(default_factory=list)  # the errors, up to MAX_PROBLEMS
    warnings: int = 0
    rows: int = 0  # rows that will be written
    export_filter: ContactFilter = field(default_factory=ContactFilter)
    # False for a plan whose preview is in while its contacts are still being checked: the
    # counts above are those of the contacts checked so far.
    complete: bool = True
    to_check: int = 0  # contacts the check goes through (the snapshot's)

    @property
    def files(self) -> int:
        """How many files the export is split into (the preset's max_rows per file)."""
        limit = self.preset.max_rows
        if not limit or self.rows <= limit:
            return 1
        return math.ceil(self.rows / limit)

    @property
    def rejected_ids(self) -> list[int]:
        """The contacts listed as rejected, each once, in table order."""
        seen: dict[int, None] = {}
        for p in self.problems:
            if p.contact_id is not None:
                seen.setdefault(p.contact_id, None)
        return list(seen)


def email_is_invalid(contact: Contact) -> bool:
    """True when the contact has emails and none is usable (no email is not invalid).

    The same rule as ContactFilter.exclude_invalid_email, so the preview leaves out exactly the
    contacts the export will."""
    emails = contact.emails
    return bool(emails) and not any(p.value and p.status != "invalid" for p in emails)


def preview_header(preset: Preset, extra_keys: Sequence[str]) -> list[str]:
    """The header the preview shows: the file's own, or one column for vCard and JSON records."""
    header = export_header(preset, extra_keys)
    if header:
        return header
    return ["vCard" if preset.writer == "vcard" else "JSON record"]


def preview_row(preset: Preset, contact: Contact, extra_keys: Sequence[str]) -> list[str]:
    """One contact as the writer of this preset writes it (as text)."""
    if preset.writer == "vcard":
        return [vcard_text(contact, preset.vcard_version)]
    if preset.writer == "json":
        return [json.dumps(contact_document(contact), ensure_ascii=False)]
    if preset.layout == "leadsmith":
        if preset.writer == "xlsx":
            return leadsmith_csv_raw_row(contact, extra_keys)  # XLSX cells are typed, not quoted
        return leadsmith_csv_row(contact, extra_keys, neutralize=preset.neutralize)
    return row_values(preset, contact)


def plan_export(
    book: LeadBook,
    preset_name: str,
    f: ContactFilter,
    *,
    only_new: bool = False,
    leave_out_invalid_emails: bool = False,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    on_partial: Callable[[ExportPlan], None] | None = None,
    chunk: int = CHUNK,
) -> ExportPlan:
    """Work out an export of `f` with a preset: preview, preflight, counts and the filter to use.

    `on_partial` is given the plan once its preview is in, when contacts are left to check (a
    plan with `complete` False): the export can start from it, since the writer skips what the
    target would reject whatever the plan found.
    """
    preset = book.presets()[preset_name]
    selection = book.export_selection(f, preset_name, only_new=only_new)
    # Only the Leadsmith layout writes extra keys; collecting them walks every contact's JSON.
    extra_keys = book.extra_keys(selection) if preset.layout else []
    plan = ExportPlan(preset, preview_header(preset, extra_keys))
    plan.selected = book.count(f)
    contactable = book.count(book.export_selection(f, preset_name))
    ids = book.snapshot(selection)
    excluded = book.export_exclusions()
    plan.already_exported = contactable - len(ids)
    plan.not_contactable = plan.selected - contactable
    plan.to_check = len(ids)
    # Before the check ends the export leaves out invalid emails by the filter (it may find none).
    plan.export_filter = replace(f, exclude_invalid_email=True) if leave_out_invalid_emails else f
    if can_stream(preset):  # CSV column presets: the writer's own flat path, no Contact objects
        _plan_flat(
            plan,
            BookContacts(book.conn, ids, excluded),
            leave_out_invalid_emails,
            progress,
            cancelled,
            on_partial,
            chunk,
        )
        plan.export_filter = replace(f, exclude_invalid_email=True) if plan.invalid_emails else f
        return plan
    done = 0
    for start in range(0, len(ids), chunk):
        check_cancelled(cancelled)
        part = list(ids[start : start + chunk])
        loaded = {c.id: c for c in book.contacts(ContactFilter(ids=tuple(part)))}
        for cid in part:
            contact = loaded.get(cid)
            if contact is None or cid in excluded:
                plan.not_contactable += 1
                continue
            if leave_out_invalid_emails and email_is_invalid(contact):
                plan.invalid_emails += 1
                continue
            _check(plan, contact, extra_keys)
        done += len(part)
        progress(done, len(ids))
        if on_partial is not None and done < len(ids) and len(plan.preview) >= PREVIEW_ROWS:
            on_partial(_partial(plan))
            on_partial = None
    check_cancelled(cancelled)
    plan.export_filter = replace(f, exclude_invalid_email=True) if plan.invalid_emails else f
    return plan


def _partial(plan: ExportPlan) -> ExportPlan:
    """A copy of a plan being worked out, marked not complete."""
    return replace(plan, problems=list(plan.problems), preview=list(plan.preview), complete=False)


def _plan_flat(
    plan: ExportPlan,
    contacts: BookContacts,
    leave_out_invalid_emails: bool,
    progress: Progress,
    cancelled: Cancelled,
    on_partial: Callable[[ExportPlan], None] | None,
    chunk: int,
) -> None:
    """Fill `plan` from the flat preflight (tests/app/export/test_export_plan.py holds it equal)."""
    before = plan.not_contactable

    def take(flat: FlatPlan) -> None:
        plan.not_contactable = before + flat.checked - flat.looked
        plan.invalid_emails = flat.invalid_emails
        plan.rejected = flat.rejected
        plan.warnings = flat.warnings
        plan.problems = flat.problems
        plan.rows = flat.rows
        plan.preview = flat.preview

    def partial(flat: FlatPlan) -> None:
        take(flat)
        if on_partial is not None:
            on_partial(_partial(plan))

    take(
        plan_flat(
            plan.preset,
            contacts,
            leave_out_invalid_emails=leave_out_invalid_emails,
            preview_rows=PREVIEW_ROWS,
            max_problems=MAX_PROBLEMS,
            progress=progress,
            cancelled=cancelled,
            on_preview=partial if on_partial is not None else None,
            chunk=chunk,
        )
    )


def _check(plan: ExportPlan, contact: Contact, extra_keys: Sequence[str]) -> None:
    problems = contact_problems(plan.preset, contact)
    errors = [p for p in problems if p.severity == ERROR]
    plan.warnings += len(problems) - len(errors)
    if errors:  # the export skips rows the target would reject (skip_invalid)
        plan.rejected += 1
        room = MAX_PROBLEMS - len(plan.problems)
        plan.problems += errors[: max(room, 0)]
        return
    plan.rows += 1
    if len(plan.preview) < PREVIEW_ROWS:
        plan.preview.append(preview_row(plan.preset, contact, extra_keys))


def problem_text(problem: RowProblem) -> str:
    """The value of a problem as the table shows it (the email, or "(empty)")."""
    return problem.value if problem.value else "(empty)"


def preset_group(preset: Preset) -> str:
    """Which heading of the format list a preset sits under."""
    if preset.writer == "vcard" or preset.name in ADDRESS_BOOKS:
        return "Address books"
    if preset.layout or preset.writer == "json":
        return "Files"
    return "CRMs"


def split_notice(plan: ExportPlan) -> str:
    """'51,000 contacts → 2 files of at most 50,000 (Salesforce's limit per file)', or ''."""
    if plan.files <= 1 or plan.preset.max_rows is None:
        return ""
    return (
        f"{plan.rows:,} contacts → {plan.files} files of at most {plan.preset.max_rows:,} "
        f"({plan.preset.who}'s limit per file)"
    )


def plan_summary(plan: ExportPlan) -> str:
    """The counts line above the preview: what is written and what is left out, and why."""
    noun = "contact" if plan.selected == 1 else "contacts"
    parts = [f"{plan.selected:,} {noun} selected → {plan.rows:,} will be written"]
    if plan.rejected:
        parts.append(f"{plan.rejected:,} rejected by {plan.preset.who} (skipped)")
    if plan.invalid_emails:
        parts.append(f"{plan.invalid_emails:,} with an invalid email left out")
    if plan.already_exported:
        parts.append(f"{plan.already_exported:,} already exported left out")
    if plan.not_contactable:
        parts.append(f"{plan.not_contactable:,} do-not-contact or suppressed left out")
    return "; ".join(parts) + "."


def export_summary(result: ExportResult, preset: Preset) -> str:
    """What an export wrote, in the words of the summary box."""
    names = ", ".join(p.name for p in result.files)
    where = f"{len(result.files)} files: {names}" if len(result.files) > 1 else names
    text = f"Exported {result.rows:,} contact(s) to {where}."
    skipped = len({p.contact_id for p in result.skipped})
    if skipped:
        text += f"\n{skipped:,} contact(s) were skipped: {preset.who} would reject them."
    return text


def preset_items(presets: Mapping[str, Preset], parent: Any = None) -> QStandardItemModel:
    """The format list: presets under the headings CRMs, Address books and Files."""
    model = QStandardItemModel(parent)
    bold = QFont()
    bold.setBold(True)
    for group in GROUPS:
        members = [p for p in presets.values() if preset_group(p) == group]
        if not members:
            continue
        heading = QStandardItem(group)
        heading.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not a choice
        heading.setFont(bold)
        model.appendRow(heading)
        for preset in sorted(members, key=lambda p: p.label.casefold()):
            item = QStandardItem(preset.label)
            item.setData(preset.name, Qt.ItemDataRole.UserRole)
            if preset.description:
                item.setToolTip(preset.description)
            model.appendRow(item)
    return model


def read_only_table(headers: list[str]) -> QTableWidget:
    """A small read-only table of rows (preflight problems, export history)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class ExportPreviewModel(QAbstractTableModel):
    """The first rows of an export exactly as they will be written: header and cells."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._header: list[str] = []
        self._rows: list[list[str]] = []

    def set_plan(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Show a new preview."""
        self.beginResetModel()
        self._header = list(header)
        self._rows = [list(r) for r in rows]
        self.endResetModel()

    @property
    def header(self) -> list[str]:
        """The header line shown (the file's first line)."""
        return list(self._header)

    def row_cells(self, row: int) -> list[str]:
        """The cells of one preview row, as written."""
        return list(self._rows[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._header)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        text = row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return text.replace("\r\n", " ⏎ ").replace("\n", " ⏎ ")  # one line per record
        if role == Qt.ItemDataRole.ToolTipRole and text:
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._header[section] if 0 <= section < len(self._header) else None
        return section + 1
