"""Legacy Excel 97-2003 workbooks (.xls, OLE2) read with xlrd, with the same cell rules as .xlsx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.errors import InvalidFile, LeadsmithError
from importers.xlsx_reader import SheetSource, cell_text, mailto_address


def _value(book: Any, cell: Any) -> object:
    """A Python value for one xlrd cell: dates in the book's own date system, booleans, errors."""
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            # book.datemode is 1 for the 1904 date system (old Mac Excel), 0 for 1900.
            return xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return value  # not a day Excel can show: keep the serial number as written
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    return value


class XlsSource(SheetSource):
    """One sheet of an .xls workbook (xlrd reads the whole workbook into memory)."""

    def __init__(self, path: Path, sheet: str | None = None, header_row: int | None = None) -> None:
        import xlrd

        try:
            self._book = xlrd.open_workbook(str(path), on_demand=True)
        except Exception as exc:  # xlrd raises bare XLRDError, CompDocError, struct.error, ...
            raise InvalidFile(str(path), f"the .xls workbook cannot be read ({exc}).") from None
        try:
            names = list(self._book.sheet_names())
            sh = self._pick(path, names, sheet)
            links = {
                (row + 1, col): address
                for (row, col), link in getattr(sh, "hyperlink_map", {}).items()
                if (address := mailto_address(link.url_or_path or ""))
            }
            super().__init__(
                path,
                "xls",
                self._iter(sh),
                sheet_names=names,
                sheet=sh.name,
                date1904=self._book.datemode == 1,
                links=links,
                header_row=header_row,
                total_rows=sh.nrows,
            )
        except LeadsmithError:
            self.close()
            raise
        except Exception as exc:  # xlrd loads a sheet on first use: its errors come here too
            self.close()
            raise InvalidFile(str(path), f"the .xls workbook cannot be read ({exc}).") from None
        except BaseException:
            self.close()
            raise

    def _pick(self, path: Path, names: list[str], sheet: str | None) -> Any:
        if sheet:
            for i, name in enumerate(names):
                if name.casefold() == sheet.strip().casefold():
                    return self._book.sheet_by_index(i)
            raise InvalidFile(str(path), f"no sheet named {sheet!r} (sheets: {', '.join(names)}).")
        for i in range(len(names)):
            sh = self._book.sheet_by_index(i)
            if any(
                cell_text(_value(self._book, c))[0].strip()
                for r in range(min(sh.nrows, 1000))
                for c in sh.row(r)
            ):
                return sh
        raise InvalidFile(str(path), "every sheet of the workbook is empty.")

    def _iter(self, sh: Any) -> Iterator[tuple[Any, ...]]:
        for r in range(sh.nrows):
            yield tuple(_value(self._book, c) for c in sh.row(r))

    def close(self) -> None:
        """Release the workbook (safe to call twice)."""
        self._book.release_resources()


def open_xls(
    path: Path, *, sheet: str | None = None, header_row: int | None = None, **_: object
) -> XlsSource:
    """Open one sheet of an .xls workbook; `sheet` names it (default: first non-empty)."""
    return XlsSource(Path(path), sheet=sheet, header_row=header_row)
