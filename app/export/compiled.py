"""Per-column render functions, compiled once per export instead of per cell.

`presets._render` stays the reference: a compiled renderer calls `_render` itself for anything but
plain text (memoized per distinct value: picklists, numbers, dates and countries repeat). The
checks of `preflight.check_cells`, column by column, are in app/export/chunked.py.
tests/app/export/test_export_flat.py holds both to the Contact path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.export.flat import Getter, Points, Row
from app.export.presets import _TEXT_KINDS, Preset, PresetColumn, _render
from app.export.safety import FORMULA_PREFIXES, is_clean_e164

# A rendered cell as a plain tuple (cheaper than CellValue): text written, the contact's value, note.
Cell = tuple[str, str, str]
Render = Callable[[Any], Cell]
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


def can_stream(preset: Preset) -> bool:
    """True for the presets `flat_records` writes: CSV files of `columns`."""
    return preset.writer == "csv" and not preset.layout and bool(preset.columns)


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
