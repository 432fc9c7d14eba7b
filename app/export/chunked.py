"""CSV lines of a column-based preset, rendered a chunk of contacts at a time, column by column.

The per-row path (`compiled.compile_cell` per cell, `compiled.compile_checks` per row) called ~15
closures and a csv writer per contact. Here each column is one tight loop over the chunk: a plain
text column read straight from the row is copied, and only values that need more (a formula
prefix, NULL, a number) go through the column's compiled cell; the preflight runs only on columns
that have rules; a line is `",".join` unless a field needs CSV quoting (then the csv module writes
it). Problems are plain tuples until someone keeps them (a million-row export keeps 10,000
warnings, not 600,000). tests/app/export/test_export_flat.py holds the output to the Contact path.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, itemgetter
from typing import Any, cast

from app.export.compiled import MEMO_LIMIT, Cell, compile_cell, compile_render
from app.export.flat import FlatQuery, Points, Row
from app.export.preflight import ERROR, WARNING, RowProblem
from app.export.presets import _TEXT_KINDS, Preset, PresetColumn
from app.export.safety import _E164, FORMULA_PREFIXES

MAX_WARNINGS = 10_000  # warnings beyond this are counted, not kept (a million-row export)

Pair = tuple[Row, Points]
# A problem before it becomes a RowProblem: column header, value, message, severity.
Found = tuple[str, str, str, str]
_TEXT = itemgetter(0)  # a cell's text
_ROW = itemgetter(0)  # a pair's row
_FORMULA_START = re.compile("\x1f[" + "".join(re.escape(c) for c in sorted(FORMULA_PREFIXES)) + "]")
Column = Callable[[list[Row], list[Pair]], tuple[list[str], list[Cell] | None]]
Check = Callable[[list[str], list[Cell] | None, list[Pair], list[list[Found] | None]], None]


@dataclass
class Tally:
    """What the rendered chunks came to: rows written, skipped and kept problems, counts."""

    rows: int = 0
    done: int = 0  # contacts looked at (written or skipped)
    skipped: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    warning_count: int = 0

    def merge(self, other: Tally) -> None:
        """Add the tally of the contacts that come after these (a later part of the snapshot)."""
        self.rows += other.rows
        self.done += other.done
        self.skipped += other.skipped
        room = MAX_WARNINGS - len(self.warnings)
        self.warnings += other.warnings[: max(room, 0)]
        self.warning_count += other.warning_count


class ChunkRenderer:
    """Renders chunks of flat rows of one preset into CSV lines and tallies their problems."""

    def __init__(self, preset: Preset, *, skip_invalid: bool = True) -> None:
        self.preset, self.skip_invalid = preset, skip_invalid
        self.query = FlatQuery([c.source for c in preset.columns])
        if any(c.kind == "email" for c in preset.columns):
            self.query.needs("email")  # the email check looks at the contact's email points
        query = self.query
        makers = [
            compile_cell(preset, column, get, direct)
            for column, get, direct in zip(preset.columns, query.getters, query.direct, strict=True)
        ]
        self.checks = [
            _column_check(preset, column, make)
            for column, make in zip(preset.columns, makers, strict=True)
        ]
        self.columns = [
            _column(preset, column, make, get, direct, key, check is not None)
            for column, make, get, direct, key, check in zip(
                preset.columns,
                makers,
                query.getters,
                query.direct,
                query.keyed,
                self.checks,
                strict=True,
            )
        ]
        # by_header in check_cells is a dict: with a repeated header the last column counts.
        last = {c.header: i for i, c in enumerate(preset.columns)}
        self.any_of = [last[h] for h in preset.require_any]
        if preset.require_any:
            names = ", ".join(preset.require_any)
            self.any_of_problem: Found = (
                preset.require_any[0],
                "",
                f"{preset.who} needs at least one of {names}",
                ERROR,
            )
        self.line = csv_line_maker(len(preset.columns), preset.line_ending)

    def render(self, pairs: list[Pair]) -> tuple[list[str], list[list[Found] | None]]:
        """Every row's CSV text (line ending included) and its problems (None: no problem)."""
        texts, found = self._texts(pairs)
        rows = list(zip(*texts, strict=True))
        line = self.line
        if len(texts) < 2:
            return [line(row) for row in rows], found
        # `line` per row, a chunk at once: a field holding a comma, a quote or a line break
        # (looked for column by column, in one scan of each) makes its row go through `line`.
        lines = list(map(add, map(",".join, rows), repeat(self.preset.line_ending)))
        for column in texts:
            if _quoted("".join(column)):
                for k in [k for k, text in enumerate(column) if _quoted(text)]:
                    lines[k] = line(rows[k])
        return lines, found

    def render_texts(
        self, pairs: list[Pair]
    ) -> tuple[list[tuple[str, ...]], list[list[Found] | None]]:
        """Every row's cell texts (as written) and its problems (None: no problem)."""
        texts, found = self._texts(pairs)
        return list(zip(*texts, strict=True)), found

    def _texts(self, pairs: list[Pair]) -> tuple[list[list[str]], list[list[Found] | None]]:
        """Every column's texts (as written) and each row's problems (None: no problem)."""
        found: list[list[Found] | None] = [None] * len(pairs)
        rows = list(map(_ROW, pairs))
        texts: list[list[str]] = []
        for column, check in zip(self.columns, self.checks, strict=True):
            column_texts, cells = column(rows, pairs)
            texts.append(column_texts)
            if check is not None:
                check(column_texts, cells, pairs, found)
        if self.any_of:
            for k, values in enumerate(zip(*(texts[i] for i in self.any_of), strict=True)):
                if not "".join(values).strip():  # blank iff every one of them is blank
                    problems = found[k]
                    if problems is None:
                        found[k] = [self.any_of_problem]
                    else:
                        problems.append(self.any_of_problem)
        return texts, found

    def tally(
        self, pairs: list[Pair], lines: list[str], found: list[list[Found] | None], tally: Tally
    ) -> list[str]:
        """Count a rendered chunk into `tally`; the lines to write (rows the target rejects left
        out when skipping), exactly as write_export's per-record loop decides."""
        tally.done += len(pairs)
        if not any(found):
            tally.rows += len(lines)
            return lines
        keep: list[str] = []
        append = keep.append
        skip_invalid = self.skip_invalid
        warnings = tally.warnings
        counted = 0
        for k, problems in enumerate(found):
            if problems is None:
                append(lines[k])
                continue
            if len(problems) == 1 and problems[0][3] == WARNING:
                # The usual problem (a phone not in E.164): the row is written, the warning counted.
                append(lines[k])
                counted += 1
                if len(warnings) < MAX_WARNINGS:
                    warnings.append(RowProblem(pairs[k][0][0], *problems[0]))
                continue
            cid = pairs[k][0][0]
            if skip_invalid and any(p[3] == ERROR for p in problems):
                tally.skipped += [RowProblem(cid, *p) for p in problems if p[3] != WARNING]
            else:
                append(lines[k])
            for p in problems:
                if p[3] == WARNING or not skip_invalid:
                    counted += 1
                    if len(warnings) < MAX_WARNINGS:
                        warnings.append(RowProblem(cid, *p))
        tally.warning_count += counted
        tally.rows += len(keep)
        return keep


def csv_line_maker(width: int, line_ending: str) -> Callable[[Sequence[str]], str]:
    """A function making the CSV line csv.writer (excel dialect) writes for a row of strings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_ending)
    commas = width - 1

    def by_csv(row: Sequence[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    if width < 2:
        return by_csv  # a lone empty field is written as "" (quoted): leave it to csv

    def line(row: Sequence[str]) -> str:
        text = ",".join(row)
        # QUOTE_MINIMAL quotes a field holding the delimiter, a quote or a line break; a comma
        # inside a field shows as one comma too many. Such rows (rare) go through csv itself.
        if text.count(",") != commas or '"' in text or "\n" in text or "\r" in text:
            return by_csv(row)
        return text + line_ending

    return line


def _quoted(text: str) -> bool:
    """Whether csv.writer (QUOTE_MINIMAL) quotes a field holding `text` (as `line` tells)."""
    return "," in text or '"' in text or "\n" in text or "\r" in text


def _column(
    preset: Preset,
    column: PresetColumn,
    make: Callable[[Row, Points], Cell],
    get: Any,
    direct: int | None,
    key: int | None,
    checked: bool,
) -> Column:
    """One column's texts for a chunk, and its cells when its checks need them (not plain)."""
    plain = direct is not None and not column.picklist and column.kind == "text"
    # A plain text column renders "" as "" (presets._BLANK) and any other str as itself, but for
    # the formula prefixes: that much is done inline below; an unneutralized preset keeps it all.
    if not plain or not preset.neutralize:
        if key is not None and not plain:
            return _keyed_column(make, key, checked)
        render = compile_render(preset, column)  # render(get(...)): make's own work, one call less
        if checked:

            def cells(rows: list[Row], pairs: list[Pair]) -> tuple[list[str], list[Cell] | None]:
                made = [render(get(r, p)) for r, p in pairs]
                return [c[0] for c in made], made

            return cells

        def texts(rows: list[Row], pairs: list[Pair]) -> tuple[list[str], list[Cell] | None]:
            return [render(get(r, p))[0] for r, p in pairs], None

        return texts

    assert direct is not None
    at = direct
    value_of = itemgetter(at)
    prefixes = FORMULA_PREFIXES

    def plain_texts(rows: list[Row], pairs: list[Pair]) -> tuple[list[str], list[Cell] | None]:
        values = list(map(value_of, rows))
        try:
            # The usual chunk: every value a str, none starting with a formula prefix. One regex
            # scan over the values joined, each behind a \x1f, finds any such start ("" has none;
            # a \x1f inside a value can only cause a needless slow pass, never a miss).
            if _FORMULA_START.search("\x1f" + "\x1f".join(values)) is None:
                return values, None
        except TypeError:  # a NULL (a contact without a company) or a number: see below
            pass
        return [
            v if v.__class__ is str and v[:1] not in prefixes else make(*pairs[k])[0]
            for k, v in enumerate(values)
        ], None

    return plain_texts


def _keyed_column(make: Callable[[Row, Points], Cell], key: int, checked: bool) -> Column:
    """A column whose cell depends on one row value alone, memoized per distinct text value."""
    memo: dict[str, Cell] = {}
    value_of = itemgetter(key)

    def cells(rows: list[Row], pairs: list[Pair]) -> tuple[list[str], list[Cell] | None]:
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        # Only str values are remembered: 1, 1.0 and True are equal keys but render differently,
        # and no number equals a str, so a number (or NULL) always misses and is made afresh.
        made: list[Cell | None] = list(map(memo.get, map(value_of, rows)))
        if None in made:
            for k, cell in enumerate(made):
                if cell is None:
                    r, p = pairs[k]
                    made[k] = cell = make(r, p)
                    if r[key].__class__ is str:
                        memo[r[key]] = cell
        done = cast(list[Cell], made)
        return list(map(_TEXT, done)), done if checked else None

    return cells


def _column_check(
    preset: Preset, column: PresetColumn, make: Callable[[Row, Points], Cell]
) -> Check | None:
    """`check_cells`' checks of one column over a chunk, or None when it never finds anything.

    Each check is one pass over the chunk's texts (or cells), adding to each row's problems; a
    row's problems stay in check_cells' order: by column, then blank/required, length, note or
    value, email or phone. A plain text column has no cells: its raw value is remade for the
    (rare) row with a problem.
    """
    header, who, kind = column.header, preset.who, column.kind
    required, max_length, max_value = column.required, column.max_length, column.max_value
    may_note = bool(column.picklist) or kind not in _TEXT_KINDS
    if not (required or max_length is not None or may_note or max_value is not None) and (
        kind not in ("email", "phone")
    ):
        return None
    note_severity = ERROR if kind in ("int", "number") else WARNING
    is_email, is_phone = kind == "email", kind == "phone"
    e164 = _E164.fullmatch
    required_problem: Found = (header, "", f"{header} is required by {who}", ERROR)

    def check(
        texts: list[str],
        cells: list[Cell] | None,
        pairs: list[Pair],
        found: list[list[Found] | None],
    ) -> None:
        if required:
            for k in [k for k, text in enumerate(texts) if not text.strip()]:
                _add(found, k, required_problem)
        if max_length is not None:
            for k in [k for k, text in enumerate(texts) if len(text) > max_length]:
                text = texts[k]
                if text.strip():
                    raw = cells[k][1] if cells is not None else make(*pairs[k])[1]
                    message = (
                        f"{header} is {len(text)} characters; {who} accepts at most {max_length}"
                    )
                    _add(found, k, (header, raw, message, ERROR))
        if cells is None:
            return  # a plain text column: no note, no value, not an email or a phone
        if max_value is not None:
            for k, (text, raw, note) in enumerate(cells):
                if not text.strip():
                    continue
                if note:
                    _add(found, k, (header, raw, f"{header} {raw!r} {note}", note_severity))
                elif float(text) > max_value:
                    message = f"{header} is {text}; {who} accepts at most {max_value:,.0f}"
                    _add(found, k, (header, raw, message, ERROR))
        elif may_note:
            for k in [k for k, cell in enumerate(cells) if cell[2]]:
                text, raw, note = cells[k]
                if text.strip():
                    _add(found, k, (header, raw, f"{header} {raw!r} {note}", note_severity))
        if is_email:
            for k, (text, raw, _note) in enumerate(cells):
                if not text.strip():
                    continue
                for q in pairs[k][1][0]:  # preflight._check_email: the first email written so
                    if (q[1] or q[0]) != raw:
                        continue
                    if q[1] is None or q[4] == "invalid":
                        reason = f": {q[5]}" if q[5] else ""
                        message = f"{header} {raw!r} is not a valid email address{reason}"
                        _add(found, k, (header, raw, message, ERROR))
                    break
        elif is_phone:
            for k in [k for k, cell in enumerate(cells) if e164(cell[1]) is None]:
                text, raw, _note = cells[k]
                if text.strip():
                    how = (
                        "with a leading ' so spreadsheets cannot run it"
                        if text != raw
                        else "as typed"
                    )
                    message = f"{header} {raw!r} is not a validated E.164 number; written {how}"
                    _add(found, k, (header, raw, message, WARNING))

    return check


def _add(found: list[list[Found] | None], k: int, problem: Found) -> None:
    problems = found[k]
    if problems is None:
        found[k] = [problem]
    else:
        problems.append(problem)
