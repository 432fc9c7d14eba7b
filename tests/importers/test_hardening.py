"""Hostile and damaged files found by bench/fuzz_readers.py: typed refusals, fast wide headers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.errors import InvalidFile
from importers.csv_reader import open_csv
from importers.mapping import FUZZY_COLUMNS, TOO_MANY_TO_GUESS, suggest_mapping
from importers.source import MAX_COLUMNS, open_table

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST = f'<sst xmlns="{NS}">%s</sst>'
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
    f'<sst xmlns="{NS}" count="1"><si><t>&lol2;</t></si></sst>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<sst xmlns="{NS}" count="1"><si><t>&xxe;</t></si></sst>'
)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet(rows: str) -> str:
    return f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'


SHARED_A1 = _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
GOOD_ROWS = (
    f'<row r="1">{_inline("A1", "First Name")}{_inline("B1", "Email")}</row>'
    f'<row r="2">{_inline("A2", "Ana")}{_inline("B2", "ana@example.com")}</row>'
    f'<row r="3">{_inline("A3", "Li")}{_inline("B3", "li@fine.org")}</row>'
)


def workbook(sheet_xml: str, shared: str | None = None, stored: bool = False) -> bytes:
    """A minimal .xlsx: openpyxl's own skeleton with this sheet (and sharedStrings) swapped in."""
    book = openpyxl.Workbook()
    book.active.title = "S"
    skeleton = io.BytesIO()
    book.save(skeleton)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(skeleton) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                dst.writestr(item.filename, sheet_xml, compress_type=kind)
            elif item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item))
        if shared is not None:
            dst.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def refusal(path: Path, **overrides: Any) -> InvalidFile:
    """The InvalidFile that opening and reading every row of `path` ends in."""
    with pytest.raises(InvalidFile) as caught:
        source = open_table(path, **overrides)
        try:
            list(source.rows())
        finally:
            source.close()
    return caught.value


# -- 1. workbooks under another name ----------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "ending"),
    [("people.csv", ".csv"), ("people.txt", ".txt"), ("people", "no extension")],
)
def test_a_workbook_under_a_text_name_is_refused_with_what_to_do(
    tmp_path: Path, name: str, ending: str
) -> None:
    path = tmp_path / name
    path.write_bytes(workbook(_sheet(GOOD_ROWS)))
    error = refusal(path)
    assert (error.path, error.row, error.message) == (
        str(path),
        None,
        f"this is an Excel workbook; its name ends in {ending}. Rename it to end in .xlsx and "
        "import it again.",
    )


def test_a_workbook_opened_as_text_says_it_is_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(workbook(_sheet(GOOD_ROWS)))
    with pytest.raises(InvalidFile) as caught:
        open_csv(path)
    assert caught.value.message == (
        "this is an Excel workbook, not a text table; import it as a workbook (a name ending in "
        ".xlsx)."
    )


def test_the_same_workbook_named_xlsx_reads(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(workbook(_sheet(GOOD_ROWS)))
    source = open_table(path)
    assert (source.headers, list(source.rows())) == (
        ["First Name", "Email"],
        [(1, ["Ana", "ana@example.com"]), (2, ["Li", "li@fine.org"])],
    )
    source.close()


# -- 2. damaged and hostile workbooks ---------------------------------------------------------
@pytest.mark.parametrize(
    ("sheet_xml", "shared", "message"),
    [
        (
            SHARED_A1,
            SST % "",
            "the workbook is damaged (a cell points to a missing shared string); open it in "
            "Excel, save it again and import that copy.",
        ),
        (
            SHARED_A1,
            LAUGHS,
            "the workbook contains unsafe XML (an entity or DTD declaration) and was refused.",
        ),
        (
            SHARED_A1,
            XXE,
            "the workbook contains unsafe XML (an entity or DTD declaration) and was refused.",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "Email">]>' + _sheet(GOOD_ROWS)[21:],
            None,
            "the workbook contains unsafe XML (an entity or DTD declaration) and was refused.",
        ),
    ],
)
def test_damaged_or_hostile_xml_is_a_typed_refusal(
    tmp_path: Path, sheet_xml: str, shared: str | None, message: str
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook(sheet_xml, shared))
    error = refusal(path)
    assert (error.path, error.message) == (str(path), message)


def test_broken_xml_below_the_header_names_the_data_row(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{n}">{_inline(f"A{n}", f"P{n}")}{_inline(f"B{n}", f"p{n}@x.io")}</row>'
        for n in range(4, 1001)
    )
    path = tmp_path / "book.xlsx"
    # With a <dimension> (Excel always writes one) openpyxl reads no further on opening.
    sheet = _sheet(GOOD_ROWS + rows + '<row r="1001"><c r="A1001"><v>1</row>')
    sheet = sheet.replace("<sheetData>", '<dimension ref="A1:B1001"/><sheetData>')
    path.write_bytes(workbook(sheet))
    error = refusal(path)
    assert error.row == 1000
    assert error.message.startswith("the workbook is damaged (its XML is broken: mismatched tag")


def test_corrupt_compressed_sheet_data_is_a_typed_refusal(tmp_path: Path) -> None:
    data = workbook(_sheet(GOOD_ROWS), stored=True)
    path = tmp_path / "book.xlsx"
    path.write_bytes(data.replace(b"li@fine.org", b"li@fine.orh"))  # the CRC no longer matches
    error = refusal(path)
    assert error.message.startswith("the workbook is damaged (its compressed data is broken: ")
    assert "CRC" in error.message


# -- 3. wide files ----------------------------------------------------------------------------
def test_a_header_wider_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    width = MAX_COLUMNS + 1
    path.write_text(",".join(f"c{i}" for i in range(width)) + "\n" + "v," * (width - 1) + "v\n")
    error = refusal(path)
    assert (error.row, error.message.split(";")[0]) == (
        None,
        "the header row has 10,001 columns",
    )


def test_a_wide_workbook_header_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Wide")
    sheet.append([f"c{i}" for i in range(MAX_COLUMNS + 5)])
    path = tmp_path / "wide.xlsx"
    book.save(path)
    assert refusal(path).message.split(";")[0] == "the header row has 10,005 columns"


def test_a_data_row_wider_than_the_limit_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "row.csv"
    path.write_text("Name,Email\nAna,a@b.io\n" + "x," * 20_000 + "x\n")
    error = refusal(path)
    assert (error.row, error.message.split(";")[0]) == (2, "this row has 20,001 columns")


def test_empty_padding_past_the_limit_is_dropped_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "padded.csv"
    path.write_text("Name,Email\nAna,a@b.io" + "," * 20_000 + "\n")
    source = open_table(path)
    assert list(source.rows()) == [(1, ["Ana", "a@b.io"])]
    source.close()


def test_wide_headers_fuzzy_match_only_the_first_columns() -> None:
    headers = [f"Field {i:05d}" for i in range(3000)]
    headers[10] = headers[2500] = "Emial Address"  # a typo only fuzzy matching recognizes
    headers[2600] = "Company"  # an exact synonym is still found past the fuzzy limit
    mapping = suggest_mapping(headers)
    picked = {m.index: (m.field, m.reason) for m in mapping if m.index in (10, 2500, 2600)}
    assert picked == {
        10: ("email", "fuzzy 92 'email address'"),
        2500: (None, TOO_MANY_TO_GUESS),
        2600: ("company", "synonym 'company'"),
    }
    assert mapping[FUZZY_COLUMNS - 1].reason == "no matching field"
    assert mapping[FUZZY_COLUMNS].reason == TOO_MANY_TO_GUESS


# -- 4. honest messages -----------------------------------------------------------------------
def test_a_huge_cell_is_named_with_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("Name,Notes,Email\nAna,short,a@b.io\nLi," + "x" * (10 << 20) + ",l@b.io\n")
    error = refusal(path)
    assert (error.row, error.column, error.message) == (
        2,
        "Notes",
        "a cell holds more than 131,072 characters, the most one cell may hold; shorten it "
        "(or move the text to a file) and import again.",
    )


def test_a_huge_quoted_cell_is_not_blamed_on_a_quote(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text('sep=;\nName;Notes\nAna;"' + "y" * 200_000 + '"\n')
    error = refusal(path)
    assert (error.row, error.column, error.message.split(",")[0]) == (
        1,
        "Notes",
        "a cell holds more than 131",
    )


def test_an_unclosed_quote_still_gets_the_quote_hint_and_its_column(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('Name,Notes,Email\nAna,"never closed,a@b.io\n' + "Li,ok,l@b.io\n" * 20_000)
    error = refusal(path)
    assert (error.row, error.column, error.message) == (
        1,
        "Notes",
        'a quote (") is probably never closed: from here on more than 131,072 characters '
        "were read as one cell; fix the quote and import again.",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(1 << 20), "this is binary data (NUL bytes), not a text table of contacts."),
        (b"\n\x00\x00\x00 \r\n", "this is binary data (NUL bytes), not a text table of contacts."),
        (b"\xef\xbb\xbf \r\n", "the file is empty."),
        (b"\xff\xfe\n\x00 \x00", "the file is empty."),  # UTF-16: its NULs are half of each char
    ],
)
def test_nul_bytes_are_binary_not_empty(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    assert refusal(path).message == message
