"""The files an export writes: one sink per format, and the temporary parts they go to.

Every file is written under a hidden temporary name next to its target and renamed into place
only when the whole export succeeded (`Parts.commit`); a cancel or an error deletes them
(`Parts.discard`), and parts an interrupted process left behind are swept by
`remove_stale_parts`. Split exports (Salesforce's 50,000 rows per file) open the next part when
one is full.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, TextIO

from app.contact import Contact
from app.export.leadsmith_csv import contact_document
from app.export.parallel import COPY_BLOCK, Part, copy_rows
from app.export.presets import Preset
from app.export.safety import needs_neutralizing
from app.export.vcard import vcard_text

# A temporary part untouched for this long belongs to no live export: a live one touches every
# part it holds at least once per 1,000 contacts (writers.CHUNK, see Parts.keep_alive).
STALE_PART_SECONDS = 60.0

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
    # than `older_than` seconds go: a live export refreshes its parts' mtime every 1,000 rows.
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


class Parts:
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
