"""Write an export: stream contacts into CSV, XLSX, vCard or JSON files, atomically."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from app.contact import Contact
from app.errors import InvalidValue
from app.export.chunked import MAX_WARNINGS, ChunkRenderer, Tally
from app.export.compiled import can_stream
from app.export.leadsmith_csv import (
    LEADSMITH_NUMERIC_COLUMNS,
    contact_document,
    leadsmith_csv_header,
    leadsmith_csv_raw_row,
    leadsmith_csv_row,
)
from app.export.parallel import (
    COPY_BLOCK,
    Part,
    copy_rows,
    delete_parts,
    render_parallel,
    worker_count,
)
from app.export.preflight import (
    WARNING,
    RowProblem,
    check_cells,
    contact_problems,
    has_errors,
)
from app.export.presets import Preset, render_row
from app.export.safety import needs_neutralizing
from app.export.source import BookContacts
from app.export.vcard import vcard_text
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress

CHUNK = 1000  # progress and cancellation are checked once per chunk, not per row
# A temporary part untouched for this long belongs to no live export: a live one touches every
# part it holds at least once per CHUNK contacts (see _Parts.keep_alive).
STALE_PART_SECONDS = 60.0


@dataclass
class ExportResult:
    """What an export wrote: the files, the rows written, and the rows it skipped and why."""

    files: list[Path]
    rows: int
    skipped: list[RowProblem]
    warnings: list[RowProblem] = field(default_factory=list)
    warning_count: int = 0


Cell = str | int | float


class _Sink:
    """One output file being written (to a temporary path)."""

    def __init__(self, preset: Preset, path: Path, header: list[str]) -> None:
        self.preset, self.path, self.header = preset, path, header

    def write(self, row: Sequence[Cell] | Contact) -> None:
        """Append one record."""
        raise NotImplementedError

    def close(self) -> None:
        """Finish the file (the caller renames it into place)."""

    def abort(self) -> None:
        """Stop writing without finishing the file (it is deleted next)."""
        self.close()


class _CsvSink(_Sink):
    def __init__(self, preset: Preset, path: Path, header: list[str]) -> None:
        super().__init__(preset, path, header)
        self.fh: TextIO = path.open("w", encoding=preset.encoding, newline="")
        self.csv = csv.writer(self.fh, lineterminator=preset.line_ending)
        self.csv.writerow(header)

    def write(self, row: Sequence[Cell] | Contact) -> None:
        assert not isinstance(row, Contact)
        self.csv.writerow(row)

    def write_text(self, text: str) -> None:
        """Append finished CSV lines (the chunked fast path)."""
        self.fh.write(text)

    def close(self) -> None:
        self.fh.close()


class _XlsxSink(_Sink):
    def __init__(self, preset: Preset, path: Path, header: list[str]) -> None:
        super().__init__(preset, path, header)
        from openpyxl import Workbook  # here: the CSV export workers need not load it (0.5 s)

        self.book = Workbook(write_only=True)  # streams rows to disk: a million rows fit
        self.sheet = self.book.create_sheet("Contacts")
        self.sheet.append(header)

    def write(self, row: Sequence[Cell] | Contact) -> None:
        assert not isinstance(row, Contact)
        self.sheet.append([self._cell(v) for v in row])

    def _cell(self, value: Cell) -> Any:
        if not isinstance(value, str):
            return value
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell = WriteOnlyCell(self.sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # always text: phones keep "+" and zeros, "=…" is never a formula
        # quotePrefix keeps the value exact yet stops Excel re-reading it as a formula on edit.
        cell.quotePrefix = self.preset.neutralize and needs_neutralizing(value)
        return cell

    def close(self) -> None:
        self.book.save(self.path)

    def abort(self) -> None:
        # Saving a cancelled workbook would write it all out first; drop openpyxl's temp file.
        self.sheet.close()  # ends the sheet's XML stream (cheap); no zip is built
        writer = getattr(self.sheet, "_writer", None)
        if writer is not None:
            writer.cleanup()


class _VcardSink(_Sink):
    def __init__(self, preset: Preset, path: Path, header: list[str]) -> None:
        super().__init__(preset, path, header)
        self.fh: IO[str] = path.open("w", encoding="utf-8", newline="")

    def write(self, row: Sequence[Cell] | Contact) -> None:
        assert isinstance(row, Contact)
        self.fh.write(vcard_text(row, self.preset.vcard_version))

    def close(self) -> None:
        self.fh.close()


class _JsonSink(_Sink):
    def __init__(self, preset: Preset, path: Path, header: list[str]) -> None:
        super().__init__(preset, path, header)
        self.fh: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.fh.write('{"contacts": [')
        self.first = True

    def write(self, row: Sequence[Cell] | Contact) -> None:
        assert isinstance(row, Contact)
        self.fh.write("\n" if self.first else ",\n")
        self.fh.write(json.dumps(contact_document(row), ensure_ascii=False))
        self.first = False

    def close(self) -> None:
        self.fh.write("\n]}\n")
        self.fh.close()


_SINKS: dict[str, type[_Sink]] = {
    "csv": _CsvSink,
    "xlsx": _XlsxSink,
    "vcard": _VcardSink,
    "json": _JsonSink,
}


_TOKEN_BYTES = 6


def remove_stale_parts(
    out: Path, older_than: float = STALE_PART_SECONDS, now: float | None = None
) -> list[Path]:
    """Delete the hidden `.NAME.<hex>.part` files an interrupted export to `out` left behind."""
    # A SIGKILL (or power cut) skips every cleanup, leaving personal data in a hidden file next
    # to the target. Only that exact name pattern, only for this target, and only files older
    # than `older_than` seconds go: a live export refreshes its parts' mtime every CHUNK rows.
    pattern = re.compile(rf"\.{re.escape(out.name)}\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}\.part")
    limit = (time.time() if now is None else now) - older_than
    removed: list[Path] = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or entry.stat().st_mtime > limit:
                continue
            os.unlink(entry.path)
        except OSError:  # gone already, or not ours to delete: never fail the export for it
            continue
        removed.append(Path(entry.path))
    return removed


def part_path(out: Path, index: int) -> Path:
    """The name of part `index` (1-based) of a split export: leads.csv → leads-2.csv."""
    return out.with_name(f"{out.stem}-{index}{out.suffix}")


class _Parts:
    """Temporary files next to `out`, renamed into place only when everything succeeded."""

    def __init__(self, preset: Preset, out: Path, header: list[str]) -> None:
        self.preset, self.out, self.header = preset, out, header
        self.temps: list[Path] = []
        self.sink: _Sink | None = None
        self.rows_in_part = 0

    def write(self, row: Sequence[Cell] | Contact) -> None:
        limit = self.preset.max_rows
        if self.sink is None or (limit is not None and self.rows_in_part >= limit):
            self._next_part()
        assert self.sink is not None
        self.sink.write(row)
        self.rows_in_part += 1

    def write_lines(self, lines: list[str]) -> None:
        """Append finished CSV lines, one row each, splitting parts at `max_rows` as `write` does."""
        limit = self.preset.max_rows
        start = 0
        while start < len(lines):
            if self.sink is None or (limit is not None and self.rows_in_part >= limit):
                self._next_part()
            assert isinstance(self.sink, _CsvSink)
            end = (
                len(lines) if limit is None else min(len(lines), start + limit - self.rows_in_part)
            )
            self.sink.write_text("".join(lines[start:end]))
            self.rows_in_part += end - start
            start = end

    def append_part(self, part: Part) -> None:
        """Append a worker's encoded rows behind the header, splitting at `max_rows` as `write`."""
        limit = self.preset.max_rows
        with part.path.open("rb") as src:
            if limit is None or part.ends is None:
                if self.sink is None:
                    self._next_part()
                assert isinstance(self.sink, _CsvSink)
                self.sink.fh.flush()  # the header (and any BOM) before the raw bytes
                shutil.copyfileobj(src, self.sink.fh.buffer, COPY_BLOCK)
                self.rows_in_part += part.rows
                return
            row = start = 0
            while row < part.rows:
                if self.sink is None or self.rows_in_part >= limit:
                    self._next_part()
                assert isinstance(self.sink, _CsvSink)
                take = min(part.rows - row, limit - self.rows_in_part)
                end = part.ends[row + take - 1]
                self.sink.fh.flush()
                copy_rows(src, self.sink.fh.buffer, start, end)
                self.rows_in_part += take
                row, start = row + take, end

    def _next_part(self) -> None:
        if self.sink is not None:
            self.sink.close()
        # Not mkstemp: its 0600 mode would stick to the export; the sink creates the file itself.
        temp = self.out.with_name(f".{self.out.name}.{secrets.token_hex(_TOKEN_BYTES)}.part")
        self.temps.append(temp)
        self.sink = _SINKS[self.preset.writer](self.preset, temp, self.header)
        self.rows_in_part = 0

    def keep_alive(self) -> None:
        """Touch every temporary part, so a sweep by another export never takes it for stale."""
        for temp in self.temps:
            with contextlib.suppress(OSError):  # the current XLSX part exists only at save
                os.utime(temp)

    def commit(self) -> list[Path]:
        if self.sink is None:
            self._next_part()  # no rows: still a valid file with its header
        assert self.sink is not None
        self.sink.close()
        self.sink = None
        if len(self.temps) == 1:
            targets = [self.out]
        else:
            targets = [part_path(self.out, i) for i in range(1, len(self.temps) + 1)]
        for temp, target in zip(self.temps, targets, strict=True):
            os.replace(temp, target)
        self.temps = []
        return targets

    def discard(self) -> None:
        if self.sink is not None:
            with contextlib.suppress(Exception):
                self.sink.abort()
        for temp in self.temps:
            temp.unlink(missing_ok=True)
        self.temps = []


def export_header(preset: Preset, extra_keys: Sequence[str] = ()) -> list[str]:
    """The header line an export of this preset starts with ([] for vCard and JSON)."""
    if preset.layout == "leadsmith":
        return leadsmith_csv_header(extra_keys)
    return preset.headers if preset.writer in ("csv", "xlsx") else []


def _record(
    preset: Preset, contact: Contact, extra_keys: Sequence[str]
) -> tuple[Sequence[Cell] | Contact, list[RowProblem]]:
    if preset.writer in ("vcard", "json"):
        return contact, contact_problems(preset, contact)
    if preset.layout == "leadsmith":
        if preset.writer == "xlsx":
            row = leadsmith_csv_raw_row(contact, extra_keys)
            header = leadsmith_csv_header(extra_keys)
            problems = _xlsx_problems(contact, header, row)
            return [_typed(h, v) for h, v in zip(header, row, strict=True)], problems
        return leadsmith_csv_row(contact, extra_keys, neutralize=preset.neutralize), []
    cells = render_row(preset, contact)
    problems = check_cells(preset, contact, cells)
    if preset.writer == "xlsx":
        texts = [c.text for c in cells]
        problems += _xlsx_problems(contact, preset.headers, texts)
        kinds = [c.kind for c in preset.columns]
        return [_typed_kind(k, t) for k, t in zip(kinds, texts, strict=True)], problems
    return [c.text for c in cells], problems


def _xlsx_problems(contact: Contact, header: Sequence[str], row: Sequence[str]) -> list[RowProblem]:
    """Control characters an XLSX cell cannot hold are dropped: say so, never silently."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [
        RowProblem(
            contact.id,
            h,
            v,
            f"{h} holds control characters Excel cannot store; they were left out",
            WARNING,
        )
        for h, v in zip(header, row, strict=True)
        if ILLEGAL_CHARACTERS_RE.search(v)
    ]


def _typed(header: str, value: str) -> Cell:
    return _number(value) if header in LEADSMITH_NUMERIC_COLUMNS else value


def _typed_kind(kind: str, value: str) -> Cell:
    return _number(value) if kind in ("int", "number") else value


def _number(value: str) -> Cell:
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def write_export(
    preset: Preset,
    contacts: Iterable[Contact],
    out: Path,
    *,
    skip_invalid: bool = True,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    total: int = 0,
    extra_keys: Sequence[str] = (),
    workers: int | None = None,
) -> ExportResult:
    """Stream contacts into `out` (split beyond `max_rows`); on cancel or error no file is left.

    A big CSV export of a book is rendered by two processes (`workers`: how many; None decides
    by size and cores, app/export/parallel.py); the bytes are the same either way.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise InvalidValue(f"{out}: the folder {out.parent} does not exist.")
    # A killed earlier export to the same target left its hidden parts (personal data): sweep.
    remove_stale_parts(out)
    parts = _Parts(preset, out, export_header(preset, extra_keys))
    result = ExportResult(files=[], rows=0, skipped=[])
    flat = isinstance(contacts, BookContacts) and can_stream(preset)
    try:
        check_cancelled(cancelled)
        if flat:
            assert isinstance(contacts, BookContacts)
            count = worker_count(preset, contacts, workers)
            write = _write_flat if count < 2 else _write_parallel
            done = write(
                preset, contacts, parts, result, skip_invalid, progress, cancelled, total, count
            )
        else:
            done = _write_records(
                preset,
                contacts,
                parts,
                result,
                skip_invalid,
                progress,
                cancelled,
                total,
                extra_keys,
            )
        check_cancelled(cancelled)
        result.files = parts.commit()
    except BaseException:
        parts.discard()
        raise
    progress(done, total)
    return result


def _write_flat(
    preset: Preset,
    contacts: BookContacts,
    parts: _Parts,
    result: ExportResult,
    skip_invalid: bool,
    progress: Progress,
    cancelled: Cancelled,
    total: int,
    workers: int = 1,
) -> int:
    """The CSV presets' fast path: flat SQL rows rendered and written a chunk at a time."""
    renderer = ChunkRenderer(preset, skip_invalid=skip_invalid)
    tally = Tally()
    for pairs in renderer.query.chunks(contacts):
        lines, found = renderer.render(pairs)
        parts.write_lines(renderer.tally(pairs, lines, found, tally))
        check_cancelled(cancelled)
        parts.keep_alive()
        progress(tally.done, total)
    _set_tally(result, tally)
    return tally.done


def _write_parallel(
    preset: Preset,
    contacts: BookContacts,
    parts: _Parts,
    result: ExportResult,
    skip_invalid: bool,
    progress: Progress,
    cancelled: Cancelled,
    total: int,
    workers: int = 2,
) -> int:
    """The fast path in `workers` processes: their parts copied in order behind the header."""
    files, tally = render_parallel(
        preset,
        contacts,
        parts.out,
        workers,
        skip_invalid=skip_invalid,
        progress=progress,
        cancelled=cancelled,
        total=total,
    )
    try:
        for part in files:
            parts.append_part(part)
            check_cancelled(cancelled)
    finally:
        delete_parts([part.path for part in files])
    _set_tally(result, tally)
    return tally.done


def _set_tally(result: ExportResult, tally: Tally) -> None:
    result.rows, result.skipped = tally.rows, tally.skipped
    result.warnings, result.warning_count = tally.warnings, tally.warning_count


def _write_records(
    preset: Preset,
    contacts: Iterable[Contact],
    parts: _Parts,
    result: ExportResult,
    skip_invalid: bool,
    progress: Progress,
    cancelled: Cancelled,
    total: int,
    extra_keys: Sequence[str],
) -> int:
    """Every other preset: one record (row or Contact) at a time."""
    done = 0
    for record, problems in (_record(preset, contact, extra_keys) for contact in contacts):
        if problems and skip_invalid and has_errors(problems):
            result.skipped += [p for p in problems if p.severity != WARNING]
        else:
            parts.write(record)
            result.rows += 1
        for problem in problems:
            if problem.severity == WARNING or not skip_invalid:
                result.warning_count += 1
                if len(result.warnings) < MAX_WARNINGS:
                    result.warnings.append(problem)
        done += 1
        if done % CHUNK == 0:
            check_cancelled(cancelled)
            parts.keep_alive()
            progress(done, total)
    return done
