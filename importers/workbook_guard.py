"""Guards around opening a workbook: zip bombs, XML entity tricks, and damaged files.

Every exception a workbook library (openpyxl, xlrd), zipfile or an XML parser raises on a hostile
or damaged file ends as an `InvalidFile` naming the file; these helpers make that message.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from app.errors import InvalidFile

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FLOOR = 1 << 20  # a member under 1 MB unpacked cannot hurt, however well it compresses


def check_zip(path: Path, max_total: int = MAX_UNCOMPRESSED, max_ratio: int = MAX_RATIO) -> None:
    """Refuse a ZIP-based workbook that would unpack to too much (a zip bomb) before opening it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception as exc:  # BadZipFile, OSError, and ValueError/EOFError on hostile bytes
        raise InvalidFile(
            str(path), f"the workbook is damaged and cannot be opened ({exc})."
        ) from None
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if total > max_total:
        raise InvalidFile(
            str(path),
            f"the workbook would unpack to {total // (1 << 20):,} MB (the limit is "
            f"{max_total // (1 << 20):,} MB); save the sheet as CSV and import that instead.",
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > max_ratio * max(m.compress_size, 1):
            raise InvalidFile(
                str(path),
                f"part {m.filename!r} unpacks {m.file_size // max(m.compress_size, 1):,} times "
                f"its packed size (the limit is {max_ratio}); this file looks like a zip bomb "
                "and was not opened.",
            )
    if total > _RATIO_FLOOR and total > max_ratio * max(packed, 1):
        raise InvalidFile(str(path), "the workbook looks like a zip bomb and was not opened.")


UNSAFE = "the workbook contains unsafe XML (an entity or DTD declaration) and was refused."


def unsafe_xml(exc: BaseException | None) -> bool:
    """True when defusedxml refused some XML somewhere in an exception's chain."""
    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def damaged(
    path: Path, exc: BaseException, sheet_row: int | None = None, header: int | None = None
) -> InvalidFile:
    """The typed error for any exception a workbook library raised on a damaged file."""
    if unsafe_xml(exc):
        return InvalidFile(str(path), UNSAFE)
    if isinstance(exc, IndexError):
        what = "a cell points to a missing shared string"
    elif isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        what = f"its compressed data is broken: {exc}"
    elif isinstance(exc, SyntaxError):  # xml.etree's ParseError
        what = f"its XML is broken: {exc}"
    else:
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    row = None
    if sheet_row is not None and header is not None and sheet_row > header + 1:
        row = sheet_row - header - 1  # a data row, numbered as the rest of the import numbers it
    elif sheet_row is not None:
        what += f", in row {sheet_row} of the sheet"
    return InvalidFile(
        str(path),
        f"the workbook is damaged ({what}); open it in Excel, save it again and import that copy.",
        row=row,
    )


def check_xml_prologs(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with a DTD in any XML part (entity bombs, XXE) before openpyxl parses it."""
    for name in archive.namelist():
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(name) as fh:
                # A DTD can only come before the root element: stop at its start tag.
                for _ in SafeET.iterparse(fh, events=("start",), forbid_dtd=True):
                    break
        except DefusedXmlException:
            raise InvalidFile(str(path), UNSAFE) from None
        except Exception:  # broken XML or ZIP data: reported when openpyxl reads that part
            continue
