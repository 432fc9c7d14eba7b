"""Preflight: what a target would reject (or quietly change) in an export, before it is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.contact import Contact
from app.export.presets import CellValue, Preset, render_row
from app.export.safety import is_clean_e164
from app.export.values import point_text
from app.export.vcard import formatted_name

ERROR = "error"  # the target would reject the row: skipped when skip_invalid
WARNING = "warning"  # the row is written, but the user should look at the value


@dataclass(frozen=True)
class RowProblem:
    """One problem with one value of one contact in one export."""

    contact_id: int | None
    column: str
    value: str
    message: str
    severity: str = ERROR

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form for `export --json`."""
        return {
            "contact_id": self.contact_id,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "severity": self.severity,
        }


def preflight(preset: Preset, contacts: Iterable[Contact]) -> list[RowProblem]:
    """Every problem the target would have with these contacts, errors and warnings."""
    problems: list[RowProblem] = []
    for contact in contacts:
        problems += contact_problems(preset, contact)
    return problems


def contact_problems(preset: Preset, contact: Contact) -> list[RowProblem]:
    """The problems of one contact for one preset."""
    if preset.writer == "vcard":
        if not formatted_name(contact):
            message = "A vCard needs a name, a company or an email for its FN"
            return [RowProblem(contact.id, "FN", "", message)]
        return []
    if preset.layout or not preset.columns:
        return []  # Leadsmith's own layouts take every value as it is
    return check_cells(preset, contact, render_row(preset, contact))


def has_errors(problems: Sequence[RowProblem]) -> bool:
    """True when any problem would make the target reject the row."""
    return any(p.severity == ERROR for p in problems)


def check_cells(preset: Preset, contact: Contact, cells: Sequence[CellValue]) -> list[RowProblem]:
    """Check one rendered row against the preset's required fields, limits and picklists."""
    who = preset.who
    found: list[RowProblem] = []

    def add(header: str, value: str, message: str, severity: str = ERROR) -> None:
        found.append(RowProblem(contact.id, header, value, message, severity))

    for column, cell in zip(preset.columns, cells, strict=True):
        header, text = column.header, cell.text
        if not text.strip():
            if column.required:
                add(header, "", f"{header} is required by {who}")
            continue
        if column.max_length is not None and len(text) > column.max_length:
            add(
                header,
                cell.raw,
                f"{header} is {len(text)} characters; {who} accepts at most {column.max_length}",
            )
        if cell.note:
            severity = ERROR if column.kind in ("int", "number") else WARNING
            add(header, cell.raw, f"{header} {cell.raw!r} {cell.note}", severity)
        elif column.max_value is not None and float(text) > column.max_value:
            limit = f"{column.max_value:,.0f}"
            add(header, cell.raw, f"{header} is {text}; {who} accepts at most {limit}")
        if column.kind == "email":
            _check_email(contact, header, cell.raw, add)
        elif column.kind == "phone" and not is_clean_e164(cell.raw):
            how = (
                "with a leading ' so spreadsheets cannot run it" if text != cell.raw else "as typed"
            )
            message = f"{header} {cell.raw!r} is not a validated E.164 number; written {how}"
            add(header, cell.raw, message, WARNING)
    if preset.require_any:
        by_header = {c.header: cell.text for c, cell in zip(preset.columns, cells, strict=True)}
        if not any(by_header.get(h, "").strip() for h in preset.require_any):
            names = ", ".join(preset.require_any)
            add(preset.require_any[0], "", f"{who} needs at least one of {names}")
    return found


def _check_email(contact: Contact, header: str, raw: str, add: Callable[..., None]) -> None:
    for point in contact.emails:
        if point_text(point) != raw:
            continue
        if point.value is None or point.status == "invalid":
            reason = f": {point.reason}" if point.reason else ""
            add(header, raw, f"{header} {raw!r} is not a valid email address{reason}")
        return
