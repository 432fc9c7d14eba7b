"""Excel workbooks (.xlsx/.xlsm via openpyxl, .xls via xlrd) read as a TableSource.

Cells become the text a user means: integral numbers without ".0" or an exponent (phone numbers
stored as numbers), dates as ISO `YYYY-MM-DD` in the workbook's own date system (1900 or 1904),
booleans as TRUE/FALSE, empty cells as "". A number of 16+ digits is kept but reported, since Excel
keeps only 15 significant digits. A cell linked to `mailto:x` reads as the address x.

Hyperlinks: openpyxl's read-only mode (needed to stream big sheets) does not load them, so the
reader reads the sheet's relationship part itself and, only when it holds a mailto: target, scans
the sheet XML once for the `<hyperlink>` elements. All XML goes through defusedxml.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from defusedxml import ElementTree as SafeET

from app.contact import Issue
from app.errors import InvalidFile, LeadsmithError
from importers.csv_reader import is_footer
from importers.layouts import detect_layout
from importers.sniff import detect_header_row
from importers.workbook_guard import (
    MAX_RATIO,
    MAX_UNCOMPRESSED,
    check_xml_prologs,
    check_zip,
    damaged,
)

__all__ = ["MAX_RATIO", "MAX_UNCOMPRESSED", "SheetSource", "XlsxSource", "check_zip", "open_xlsx"]
from importers.source import check_width

_HEADER_SAMPLE = 50
_LOST_DIGITS = 1e15  # Excel keeps 15 significant digits: from 16 on, the tail may be zeros
_GENERIC_LINK_TEXT = re.compile(
    r"^(e-?mail|mail|send( an)? e-?mail|contact|write|click here|link|@)?$", re.IGNORECASE
)
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _number_text(value: float) -> tuple[str, str]:
    if value.is_integer():
        text = str(int(value))
        if abs(value) >= _LOST_DIGITS:
            return text, (
                f"Excel stored this as a {len(text.lstrip('-'))}-digit number and keeps only 15 "
                "significant digits; digits may have been lost, check the original"
            )
        return text, ""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text, ""


def cell_text(value: object) -> tuple[str, str]:
    """(text, warning) for one cell value as openpyxl or xlrd gives it; warning "" when fine."""
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), ""
    if isinstance(value, int):
        return _number_text(float(value)) if abs(value) >= _LOST_DIGITS else (str(value), "")
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat(), ""
        return value.isoformat(sep=" ", timespec="seconds"), ""
    if isinstance(value, date):
        return value.isoformat(), ""
    if isinstance(value, time):
        return value.isoformat(timespec="seconds"), ""
    if isinstance(value, timedelta):
        return str(value), ""
    return str(value), ""


def _replaces(text: str, address: str) -> bool:
    """True when a linked cell's text says nothing the address does not ("Email", "", itself)."""
    text = text.strip()
    return bool(_GENERIC_LINK_TEXT.match(text)) or text.casefold() == address.casefold()


def mailto_address(target: str) -> str:
    """The address of a `mailto:` link ("" for any other link); query and escapes removed."""
    if not target.lower().startswith("mailto:"):
        return ""
    return unquote(target[7:].split("?", 1)[0]).strip()


class SheetSource:
    """Rows of one worksheet with header detection and cell rules; base of the Excel readers."""

    encoding = ""
    delimiter = ""

    def __init__(
        self,
        path: Path,
        fmt: str,
        rows: Iterator[tuple[Any, ...]],
        *,
        sheet_names: list[str],
        sheet: str,
        date1904: bool,
        links: dict[tuple[int, int], str],
        header_row: int | None,
        total_rows: int,
    ) -> None:
        self.path = path
        self.format = fmt
        self.sheet_names = sheet_names  # every sheet in the workbook, for the wizard's picker
        self.sheet = sheet
        self.date1904 = date1904
        self.skipped_rows: list[tuple[int, str]] = []
        self.issues: list[Issue] = []  # values kept but worth a look (digits lost to Excel)
        self._links = links
        self._rows = rows
        self._sheet_row = 0
        self._total_rows = max(total_rows, 1)
        self._size = path.stat().st_size
        self._started = False
        self._header_at: int | None = None  # known once detected: damage is then reported by row
        self._buffered: list[tuple[Any, ...]] = []
        wanted = max(_HEADER_SAMPLE, (header_row or 0) + 1)
        while len(self._buffered) < wanted and (values := self._next_values()) is not None:
            self._buffered.append(values)
        sample = [[cell_text(v)[0] for v in values] for values in self._buffered]
        if not any(c.strip() for r in sample for c in r):
            raise InvalidFile(str(path), f"sheet {sheet!r} is empty: no rows to import.")
        self._header_index = detect_header_row(sample) if header_row is None else header_row
        if self._header_index >= len(sample):
            raise InvalidFile(str(path), f"sheet {sheet!r} has no row {self._header_index + 1}.")
        header = list(sample[self._header_index])
        while header and not header[-1].strip():
            header.pop()
        if not header:
            raise InvalidFile(str(path), "the header row is empty: no column names were found.")
        check_width(path, header)
        self._header_at = self._header_index
        self._width = len(header)
        # A column holding links whose text is not the address keeps both: text, then address.
        self._link_columns: dict[int, int] = {}
        self._replace_columns: set[int] = set()
        for (row, col), address in sorted(links.items(), key=lambda item: item[0][1]):
            if row <= self._header_index + 1 or col >= self._width or col in self._link_columns:
                continue
            self._replace_columns.add(col)
            # Links in the sample whose text is the address (or "Email") need no second column.
            if row <= len(sample) and _replaces(sample[row - 1][col], address):
                continue
            self._link_columns[col] = len(header)
            header.append(f"{header[col] or f'column {col + 1}'} (mailto)")
        self.headers: list[str] = header
        self.layout = detect_layout(header)

    def _next_values(self) -> tuple[Any, ...] | None:
        """The next row of the sheet (None at its end); the library's errors become InvalidFile."""
        try:
            values = next(self._rows, None)
        except Exception as exc:  # openpyxl/xlrd/zipfile/XML errors of a damaged sheet
            raise damaged(self.path, exc, self._sheet_row + 1, self._header_at) from None
        if values is None:
            return None
        self._sheet_row += 1
        return tuple(values)

    def _cells(self, sheet_row: int, values: tuple[Any, ...] | list[Any]) -> list[str]:
        cells: list[str] = []
        for col, value in enumerate(values):
            text, warning = cell_text(value)
            if warning:
                number = sheet_row - self._header_index - 1
                column = self.headers[col] if col < len(self.headers) else f"column {col + 1}"
                self.issues.append(Issue(number, column, text, warning))
            cells.append(text)
        while len(cells) > self._width and not cells[-1].strip():
            cells.pop()
        check_width(self.path, cells, row=sheet_row - self._header_index - 1)
        if self._link_columns:
            cells += [""] * (len(self.headers) - len(cells))
        for col in self._replace_columns:
            address = self._links.get((sheet_row, col))
            if not address:
                continue
            if col < len(cells) and _replaces(cells[col], address):
                cells[col] = address
            elif col in self._link_columns:
                # "Sarah Connor" linked to her address: the name stays, the address is kept too.
                cells[self._link_columns[col]] = address
        return cells

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(data row number, cell texts); row 1 is the row under the header, blanks counted."""
        if self._started:
            raise RuntimeError("rows() can be iterated only once per opened source")
        self._started = True
        first = self._header_index + 1
        for sheet_row in range(first + 1, len(self._buffered) + 1):
            yield from self._emit(sheet_row, self._buffered[sheet_row - 1])
        while (values := self._next_values()) is not None:
            yield from self._emit(self._sheet_row, values)

    def _emit(
        self, sheet_row: int, values: tuple[Any, ...] | list[Any]
    ) -> Iterator[tuple[int, list[str]]]:
        cells = self._cells(sheet_row, values)
        number = sheet_row - self._header_index - 1
        if not any(c.strip() for c in cells):
            return
        if is_footer(cells):
            text = next(c.strip() for c in cells if c.strip())
            self.skipped_rows.append((number, f"footer row {text!r}"))
            return
        yield number, cells

    def progress(self) -> tuple[int, int]:
        """(bytes, total bytes) estimated from the share of the sheet's rows read so far."""
        done = min(self._sheet_row / self._total_rows, 1.0)
        return int(self._size * done), self._size

    def close(self) -> None:
        """Release the workbook (safe to call twice)."""

    def __enter__(self) -> SheetSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _mailto_links(archive: zipfile.ZipFile, sheet_path: str) -> dict[tuple[int, int], str]:
    """(sheet row 1-based, column 0-based) -> address for every mailto: link on one sheet."""
    sheet_path = sheet_path.lstrip("/")
    folder, name = posixpath.split(sheet_path)
    rels_path = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        rels = SafeET.fromstring(archive.read(rels_path))
    except KeyError:
        return {}
    targets = {
        rel.get("Id", ""): address
        for rel in rels
        if (address := mailto_address(rel.get("Target", "")))
    }
    if not targets:
        return {}  # no mailto: target at all: spare a second pass over a big sheet
    links: dict[tuple[int, int], str] = {}
    with archive.open(sheet_path) as fh:
        for _, element in SafeET.iterparse(fh):
            if element.tag == f"{{{_NS_MAIN}}}hyperlink":
                address = targets.get(element.get(f"{{{_NS_R}}}id", ""), "")
                found = _CELL_REF.match((element.get("ref") or "").split(":")[0])
                if address and found:
                    links[(int(found.group(2)), _column_index(found.group(1)))] = address
            elif element.tag == f"{{{_NS_MAIN}}}row":
                element.clear()  # keep memory flat on a big sheet
    return links


class XlsxSource(SheetSource):
    """One sheet of an .xlsx/.xlsm workbook, streamed with openpyxl's read-only mode."""

    def __init__(self, path: Path, sheet: str | None = None, header_row: int | None = None) -> None:
        import openpyxl
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        check_zip(path)
        try:
            self._archive = zipfile.ZipFile(path)
        except Exception as exc:  # check_zip listed it, yet zipfile may still refuse it
            raise damaged(path, exc) from None
        try:
            check_xml_prologs(path, self._archive)
            self._book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except LeadsmithError:
            self._archive.close()
            raise
        except Exception as exc:  # openpyxl raises whatever its parsers hit; wrap at the boundary
            self._archive.close()
            raise damaged(path, exc) from None
        try:
            names = list(self._book.sheetnames)
            ws, total = _pick_sheet(path, self._book, names, sheet)
            links = _mailto_links(self._archive, ws._worksheet_path)
            super().__init__(
                path,
                "xlsx",
                ws.iter_rows(values_only=True),
                sheet_names=names,
                sheet=ws.title,
                date1904=self._book.epoch == CALENDAR_MAC_1904,
                links=links,
                header_row=header_row,
                total_rows=total,
            )
        except LeadsmithError:
            self.close()
            raise
        except Exception as exc:  # sheet lookup, links and the first rows: same boundary
            self.close()
            raise damaged(path, exc) from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Close the workbook and its archive (safe to call twice)."""
        self._book.close()
        self._archive.close()


def _pick_sheet(path: Path, book: Any, names: list[str], sheet: str | None) -> tuple[Any, int]:
    """(sheet, rows it claims) named `sheet` (any case), else the first with a value near its top."""
    wanted = [n for n in names if n.casefold() == sheet.strip().casefold()] if sheet else names
    if sheet and not wanted:
        raise InvalidFile(str(path), f"no sheet named {sheet!r} (sheets: {', '.join(names)}).")
    for name in wanted:
        ws = book[name]
        if not hasattr(ws, "reset_dimensions"):
            continue  # a chart sheet has no cells
        total = ws.max_row or 0
        # Trust the rows, not a <dimension> that some writers set to A1:XFD1048576.
        ws.reset_dimensions()
        if sheet:
            return ws, total
        for i, row in enumerate(ws.iter_rows(values_only=True)):
            if any(cell_text(v)[0].strip() for v in row):
                return ws, total
            if i >= 1000:
                break
    raise InvalidFile(str(path), "every sheet of the workbook is empty.")


def open_xlsx(
    path: Path, *, sheet: str | None = None, header_row: int | None = None, **_: object
) -> XlsxSource:
    """Open one sheet of an .xlsx/.xlsm workbook; `sheet` names it (default: first non-empty)."""
    return XlsxSource(Path(path), sheet=sheet, header_row=header_row)
