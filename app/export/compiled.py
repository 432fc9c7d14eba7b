"""Per-column render and preflight functions, compiled once per export instead of per cell.

`presets._render` and `preflight.check_cells` stay the reference: a compiled renderer calls
`_render` itself for anything but plain text (memoized per distinct value: picklists, numbers,
dates and countries repeat), and a compiled check makes exactly the RowProblems `check_cells`
makes, in the same order. tests/app/export/test_export_flat.py holds the two to each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from app.export.flat import FlatQuery, Getter, Points, Row
from app.export.preflight import ERROR, WARNING, RowProblem
from app.export.presets import _TEXT_KINDS, Preset, PresetColumn, _render
from app.export.safety import FORMULA_PREFIXES, is_clean_e164
from app.export.source import BookContacts

# A rendered cell as a plain tuple (cheaper than CellValue): text written, the contact's value, note.
Cell = tuple[str, str, str]
Render = Callable[[Any], Cell]
Check = Callable[[int, list[Cell], Points, list[RowProblem]], None]
MEMO_LIMIT = 50_000  # distinct values remembered per column before the memo starts over


def compile_render(preset: Preset, column: PresetColumn) -> Render:
    """A function from a source value to the cell `_render` makes of it."""
    blank_cell = _render(preset, column, None)
    blank: Cell = (blank_cell.text, blank_cell.raw, blank_cell.note)
    memo: dict[tuple[type, Any], Cell] = {}

    def exact(value: Any) -> Cell:
        cell = _render(preset, column, value)
        return (cell.text, cell.raw, cell.note)

    def memoized(value: Any) -> Cell:
        if isinstance(value, list):
            return exact(value)
        key = (value.__class__, value)  # 1, 1.0 and True are equal keys but render differently
        hit = memo.get(key)
        if hit is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            hit = memo[key] = exact(value)
        return hit

    if column.picklist or column.kind not in _TEXT_KINDS:
        return memoized
    # Plain text: the cell is the value itself, neutralized (OWASP) unless a clean E.164 phone.
    if not preset.neutralize:

        def as_is(value: Any) -> Cell:
            if value.__class__ is str:
                return (value, value, "") if value else blank
            return exact(value)

        return as_is
    if column.kind == "phone":

        def phone(value: Any) -> Cell:
            if value.__class__ is str:
                if not value:
                    return blank
                if value[0] in FORMULA_PREFIXES and not is_clean_e164(value):
                    return ("'" + value, value, "")
                return (value, value, "")
            return exact(value)

        return phone

    def text(value: Any) -> Cell:
        if value.__class__ is str:
            if not value:
                return blank
            return ("'" + value, value, "") if value[0] in FORMULA_PREFIXES else (value, value, "")
        return exact(value)

    return text


def _column_check(preset: Preset, index: int, column: PresetColumn) -> Check | None:
    """The checks `check_cells` makes on one column, or None when it never finds anything."""
    header, who, kind = column.header, preset.who, column.kind
    required, max_length, max_value = column.required, column.max_length, column.max_value
    may_note = bool(column.picklist) or kind not in _TEXT_KINDS
    if not (required or max_length is not None or may_note or max_value is not None) and (
        kind not in ("email", "phone")
    ):
        return None
    note_severity = ERROR if kind in ("int", "number") else WARNING
    is_email, is_phone = kind == "email", kind == "phone"

    def check(cid: int, cells: list[Cell], points: Points, found: list[RowProblem]) -> None:
        text, raw, note = cells[index]
        if not text.strip():
            if required:
                found.append(RowProblem(cid, header, "", f"{header} is required by {who}"))
            return
        if max_length is not None and len(text) > max_length:
            message = f"{header} is {len(text)} characters; {who} accepts at most {max_length}"
            found.append(RowProblem(cid, header, raw, message))
        if note:
            found.append(RowProblem(cid, header, raw, f"{header} {raw!r} {note}", note_severity))
        elif max_value is not None and float(text) > max_value:
            message = f"{header} is {text}; {who} accepts at most {max_value:,.0f}"
            found.append(RowProblem(cid, header, raw, message))
        if is_email:
            for p in points[0]:  # preflight._check_email: the first email written this way
                if (p[1] or p[0]) != raw:
                    continue
                if p[1] is None or p[4] == "invalid":
                    reason = f": {p[5]}" if p[5] else ""
                    message = f"{header} {raw!r} is not a valid email address{reason}"
                    found.append(RowProblem(cid, header, raw, message))
                return
        elif is_phone and not is_clean_e164(raw):
            how = "with a leading ' so spreadsheets cannot run it" if text != raw else "as typed"
            message = f"{header} {raw!r} is not a validated E.164 number; written {how}"
            found.append(RowProblem(cid, header, raw, message, WARNING))

    return check


def compile_checks(preset: Preset) -> Callable[[int, list[Cell], Points], list[RowProblem]]:
    """A function giving one row's problems, exactly as `check_cells` finds them."""
    checks = [
        check
        for i, column in enumerate(preset.columns)
        if (check := _column_check(preset, i, column)) is not None
    ]
    # by_header in check_cells is a dict: with a repeated header the last column counts.
    last = {c.header: i for i, c in enumerate(preset.columns)}
    any_of = [last[h] for h in preset.require_any]
    if preset.require_any:
        first = preset.require_any[0]
        message = f"{preset.who} needs at least one of {', '.join(preset.require_any)}"

    def problems(cid: int, cells: list[Cell], points: Points) -> list[RowProblem]:
        found: list[RowProblem] = []
        for check in checks:
            check(cid, cells, points, found)
        if any_of and not any(cells[i][0].strip() for i in any_of):
            found.append(RowProblem(cid, first, "", message))
        return found

    return problems


def can_stream(preset: Preset) -> bool:
    """True for the presets `flat_records` writes: CSV files of `columns`."""
    return preset.writer == "csv" and not preset.layout and bool(preset.columns)


def flat_records(
    preset: Preset, contacts: BookContacts
) -> Iterator[tuple[Sequence[str], list[RowProblem]]]:
    """Each contact's CSV row and preflight problems, streamed from SQL (the writer's fast path)."""
    query = FlatQuery([c.source for c in preset.columns])
    if any(c.kind == "email" for c in preset.columns):
        query.needs("email")  # the email check looks at the contact's email points
    makers = [
        compile_cell(preset, column, get, direct)
        for column, get, direct in zip(preset.columns, query.getters, query.direct, strict=True)
    ]
    problems = compile_checks(preset)
    for row, points in query.rows(contacts):
        cells = [make(row, points) for make in makers]
        yield [cell[0] for cell in cells], problems(row[0], cells, points)


def compile_cell(
    preset: Preset, column: PresetColumn, get: Getter, direct: int | None
) -> Callable[[Row, Points], Cell]:
    """One column's cell of a flat row: its getter and renderer, fused for plain text columns."""
    render = compile_render(preset, column)
    plain = not column.picklist and column.kind == "text" and preset.neutralize
    if direct is None or not plain:
        return lambda row, points: render(get(row, points))
    blank = render("")

    def text_cell(row: Row, points: Points) -> Cell:
        value = row[direct]
        if value.__class__ is str:
            if not value:
                return blank
            if value[0] in FORMULA_PREFIXES:
                return ("'" + value, value, "")
            return (value, value, "")
        return render(get(row, points))  # NULL company columns, or a number in a text column

    return text_cell
