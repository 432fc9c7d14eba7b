"""What every reader hands the import pipeline, and the dispatch from a file to its reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from app.errors import InvalidFile

# Magic numbers of files people pick by mistake (or on purpose, before their reader exists).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "an Excel workbook or ZIP archive (.xlsx/.zip)"),
    (b"\xd0\xcf\x11\xe0", "a legacy Excel/Office file (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"SQLite format 3", "a SQLite database"),
)
TEXT_EXTENSIONS = frozenset({"", ".csv", ".tsv", ".tab", ".txt", ".dat", ".text"})
XLSX_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm")  # what openpyxl agrees to open
# The widest table the readers accept. Real exports stay under a few hundred columns (Excel's own
# limit is 16,384); past this a "header" is a data dump or a wrong delimiter, and every row would
# carry thousands of raw cells into the book. Refused with a message rather than read for minutes.
MAX_COLUMNS = 10_000


class TableSource(Protocol):
    """Rows of one table, whatever file they come from (CSV now; XLSX/vCard later)."""

    path: Path
    format: str  # "csv", "tsv", "xlsx", "vcard", "paste"
    encoding: str
    delimiter: str
    headers: list[str]  # as in the file (exact text, BOM stripped)
    layout: str  # recognized layout name ("linkedin_connections", ...) or ""
    skipped_rows: list[tuple[int, str]]  # (data row, reason) for footer rows left out so far

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(1-based data row as a user counts it, values); blank and footer rows are skipped."""
        ...

    def progress(self) -> tuple[int, int]:
        """(bytes consumed, total bytes), for progress bars."""
        ...

    def close(self) -> None:
        """Release the file."""
        ...


def check_readable(path: Path) -> bytes:
    """The first 4 KB of a file that exists, is not empty and is not an obviously binary format."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(4096)
    except FileNotFoundError:
        raise InvalidFile(str(path), "the file does not exist.") from None
    except IsADirectoryError:
        raise InvalidFile(str(path), "this is a folder, not a file.") from None
    except OSError as exc:
        raise InvalidFile(str(path), f"the file cannot be read ({exc.strerror}).") from None
    if size == 0 or not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or not head.strip(b" \t\r\n\xef\xbb\xbf"):
            raise InvalidFile(str(path), "the file is empty.")
        # NULs are not blank: a pre-allocated or zeroed-out file holds bytes, it is not "empty".
        raise InvalidFile(
            str(path), "this is binary data (NUL bytes), not a text table of contacts."
        )
    if head.startswith(b"PK\x03\x04") and is_xlsx(path):
        raise InvalidFile(
            str(path),
            "this is an Excel workbook, not a text table; import it as a workbook (a name "
            "ending in .xlsx).",
        )
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            raise InvalidFile(
                str(path), f"this is {what}, not a contacts table this version can read."
            )
    return head


def is_xlsx(path: Path) -> bool:
    """True for a ZIP that holds xl/workbook.xml; False for any other or any unreadable ZIP."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except Exception:  # zipfile raises BadZipFile, ValueError, EOFError, … on hostile bytes
        return False


def check_width(path: Path, cells: list[str], row: int | None = None) -> None:
    """Refuse a header (row None) or a data row with more than MAX_COLUMNS cells."""
    if len(cells) <= MAX_COLUMNS:
        return
    what = "the header row has" if row is None else "this row has"
    raise InvalidFile(
        str(path),
        f"{what} {len(cells):,} columns; the limit is {MAX_COLUMNS:,}. This is not a contacts "
        "table as exported by a CRM or a spreadsheet (check the delimiter, or keep only the "
        "columns you need and import again).",
        row=row,
    )


def workbook_name_message(path: Path) -> str:
    """What to tell a user whose Excel workbook carries a name openpyxl will not open."""
    suffix = path.suffix or "no extension"
    return (
        f"this is an Excel workbook; its name ends in {suffix}. Rename it to end in .xlsx "
        "and import it again."
    )


def looks_binary(text: str) -> bool:
    """True when decoded text is full of control characters: not a table someone typed."""
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return controls > max(2, len(sample) // 100)


def _open_workbook(path: Path, overrides: dict[str, Any]) -> TableSource | None:
    """An .xlsx/.xlsm (ZIP with xl/workbook.xml) or .xls (OLE2) workbook by content, else None."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError:
        return None
    if magic.startswith(b"PK\x03\x04"):
        if not is_xlsx(path):
            return None  # another ZIP, or one too damaged to list: refused as a ZIP
        if path.suffix.lower() not in XLSX_EXTENSIONS:
            # openpyxl decides by the name and would raise its own error: say it plainly.
            raise InvalidFile(str(path), workbook_name_message(path))
        from importers.xlsx_reader import open_xlsx

        return open_xlsx(path, **overrides)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        from importers.xls_reader import open_xls

        return open_xls(path, **overrides)
    return None


def open_table(path: Path, **overrides: Any) -> TableSource:
    """Open any supported file (CSV/TSV/TXT, XLSX/XLS, vCard) as a TableSource."""
    path = Path(path)
    try:
        head = check_readable(path)
    except InvalidFile:
        workbook = _open_workbook(path, overrides)  # binary formats check_readable refuses
        if workbook is None:
            raise
        return workbook
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCARD"):
        from importers.vcard_reader import open_vcard

        return open_vcard(path, **overrides)
    suffix = path.suffix.lower()
    # Any other extension is read as text when its content is text: open_csv rejects binary.
    if suffix in (".vcf", ".vcard"):
        raise InvalidFile(str(path), "this .vcf file does not start with BEGIN:VCARD.")
    if suffix == ".ods":
        raise InvalidFile(str(path), ".ods files are not supported yet; save as .xlsx or CSV.")
    from importers.csv_reader import open_csv  # late: csv_reader imports this module

    # Overrides: encoding, delimiter, header_row, sheet (ignored by text files).
    return open_csv(path, **overrides)
