"""Bad input, short version of bench/fuzz_readers.py: every file ends in a clean import or a typed
LeadsmithError, never another exception and never a partial write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.book import LeadBook
from bench.fuzz_readers import _LAUGHS, _XXE, EXTENSIONS, _xlsx, book_counts, run_case

SHEET = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
)
SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">%s</sst>'
GOOD = b"First Name,Last Name,Email\nAna,Lopez,ana@example.com\n"


@pytest.fixture(scope="module")
def fuzz_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LeadBook]:
    b = LeadBook.open(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    b.default_region = "GB"
    yield b
    b.close()


cells = st.text(st.characters(blacklist_categories=["Cs"]), max_size=20)
csv_like = st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=6).map(
    lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8")
)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    data=st.one_of(st.binary(max_size=1024), csv_like, st.binary(max_size=256).map(GOOD.__add__)),
    ext=st.sampled_from(EXTENSIONS),
)
def test_random_files_end_in_an_import_or_a_typed_error(
    fuzz_book: LeadBook, tmp_path_factory: pytest.TempPathFactory, data: bytes, ext: str
) -> None:
    path = tmp_path_factory.getbasetemp() / f"case{ext}"
    path.write_bytes(data)
    verdict = run_case(path, fuzz_book)
    assert verdict["verdict"] in ("ok", "refused"), verdict["detail"]


def _sparse(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.write(GOOD)
        fh.truncate(2 << 30)


@pytest.mark.parametrize(
    ("name", "content", "verdict", "message"),
    [
        ("empty.csv", b"", "refused", "the file is empty"),
        ("png.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "refused", "this is a PNG image"),
        ("nul.csv", GOOD.replace(b",", b",\x00"), "refused", "binary data"),
        (
            "quote.csv",
            b'First Name,Email\n"Ana,ana@example.com\nLi,li@fine.org\n',
            "refused",
            "never closed",
        ),
        (
            "cell.csv",
            b"Name,Email\nAna," + b"x" * (10 << 20) + b"\n",
            "refused",
            "row 1, column 'Email': a cell holds more than 131,072 characters",
        ),
        ("csv.xlsx", GOOD, "ok", "imported 1 rows"),
        ("sparse.csv", _sparse, "refused", "binary data"),
        ("zeros.csv", lambda p: p.write_bytes(bytes(64 << 10)), "refused", "binary data (NUL"),
    ],
)
def test_hostile_files(
    fuzz_book: LeadBook, tmp_path: Path, name: str, content: object, verdict: str, message: str
) -> None:
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)  # type: ignore[arg-type]
    before = book_counts(fuzz_book.conn)
    got = run_case(path, fuzz_book)
    assert (got["verdict"], message in str(got["detail"])) == (verdict, True), got["detail"]
    if verdict == "refused":
        assert book_counts(fuzz_book.conn) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # openpyxl refused any name but .xlsx/.xlsm with its own InvalidFileException
        (
            "workbook.csv",
            _xlsx(SHEET, SST % b"<si><t>Email</t></si>"),
            "this is an Excel workbook;",
        ),
        # a shared-string index past the table raised IndexError
        ("bad_index.xlsx", _xlsx(SHEET, SST % b""), "missing shared string"),
        # entity declarations are refused before openpyxl parses (and silently drops) them
        ("laughs.xlsx", _xlsx(SHEET, _LAUGHS), "unsafe XML"),
        ("xxe.xlsx", _xlsx(SHEET, _XXE), "unsafe XML"),
    ],
)
def test_former_reader_crashes_are_typed_refusals(
    fuzz_book: LeadBook, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = book_counts(fuzz_book.conn)
    got = run_case(path, fuzz_book)
    assert (got["verdict"], message in str(got["detail"])) == ("refused", True), got["detail"]
    assert book_counts(fuzz_book.conn) == before
