"""Excel workbooks read as tables: exact headers, row numbers, cell values, and safe refusals."""

from __future__ import annotations

import struct
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl.xml
import pytest

from app.book import LeadBook
from app.errors import InvalidFile
from importers.pipeline import run_import
from importers.source import open_table
from importers.xlsx_reader import cell_text, check_zip

DATA = Path(__file__).resolve().parents[1] / "data" / "import" / "xlsx"
PROSPECT_HEADERS = ["Full Name", "Email", "Company", "Mobile", "Phone", "Met On", "Active", "Notes"]
DIGITS_LOST = (
    "Excel stored this as a 16-digit number and keeps only 15 significant digits; "
    "digits may have been lost, check the original"
)


def read(path: Path, **overrides: object) -> tuple[Any, list[tuple[int, list[str]]]]:
    source = open_table(path, **overrides)
    try:
        return source, list(source.rows())
    finally:
        source.close()


def test_first_non_empty_sheet_below_a_title_row() -> None:
    source, rows = read(DATA / "prospects.xlsx")
    assert source.format == "xlsx"
    assert source.sheet_names == ["Summary", "Prospects", "Archive"]
    assert source.sheet == "Prospects"
    assert source.headers == PROSPECT_HEADERS
    assert rows == [
        (
            1,
            [
                "Sarah O'Neill",
                "sarah.oneill@revolut.com",
                "Revolut",
                "447700900123",
                "2079460000",
                "2024-03-15",
                "TRUE",
            ],
        ),
        # The "Email" cell links to mailto:jose.alvarez@bbva.com: the address is the value.
        (
            2,
            [
                "José Álvarez",
                "jose.alvarez@bbva.com",
                "BBVA",
                "34612345678",
                "",
                "2023-11-02",
                "FALSE",
            ],
        ),
        (4, ["Zoë Müller", "zoe.mueller@siemens.de", "Siemens", "4477009001234500"]),
    ]
    assert source.skipped_rows == [(5, "footer row 'Total: 3 prospects'")]
    assert [(i.row, i.column, i.value, i.message) for i in source.issues] == [
        (4, "Mobile", "4477009001234500", DIGITS_LOST)
    ]


@pytest.mark.parametrize("name", ["Archive", "archive", " ARCHIVE "])
def test_sheet_chosen_by_name_keeps_a_linked_name_and_its_address(name: str) -> None:
    source, rows = read(DATA / "prospects.xlsx", sheet=name)
    assert source.sheet == "Archive"
    assert source.headers == ["Name", "Contact", "Company", "Contact (mailto)"]
    assert rows == [(1, ["Liam Byrne", "Liam Byrne", "Stripe", "liam.byrne@stripe.com"])]


def test_unknown_sheet_names_the_sheets() -> None:
    with pytest.raises(InvalidFile) as caught:
        open_table(DATA / "prospects.xlsx", sheet="Leads")
    assert str(caught.value) == (
        f"{DATA / 'prospects.xlsx'}: no sheet named 'Leads' (sheets: Summary, Prospects, Archive)."
    )


def test_header_row_override_counts_sheet_rows_from_zero() -> None:
    source, rows = read(DATA / "prospects.xlsx", sheet="Archive", header_row=1)
    assert source.headers == ["Liam Byrne", "Liam Byrne", "Stripe"]
    assert rows == []


def test_1904_workbook_dates() -> None:
    with zipfile.ZipFile(DATA / "mac_1904.xlsx") as archive:
        assert b'date1904="1"' in archive.read("xl/workbook.xml")
        # 39267 is 2011-07-05 in the 1904 system (it would be 2007-07-04 in the 1900 one).
        assert b"<v>39267</v>" in archive.read("xl/worksheets/sheet1.xml")
    source, rows = read(DATA / "mac_1904.xlsx")
    assert source.date1904 is True
    assert source.headers == ["First Name", "Last Name", "Email", "Birthday"]
    assert rows == [(1, ["Ana", "López", "ana.lopez@telefonica.es", "2011-07-05"])]


def test_legacy_xls_with_the_same_cell_rules() -> None:
    source, rows = read(DATA / "legacy.xls")
    assert (source.format, source.sheet, source.sheet_names) == ("xls", "Leads", ["Leads"])
    assert source.headers == ["First Name", "Last Name", "Email", "Mobile", "Added", "Opt In"]
    assert rows == [
        (1, ["Chloé", "Dubois", "chloe.dubois@bnpparibas.fr", "33612345678", "2022-01-31", "TRUE"]),
        (2, ["Björn", "Svensson", "bjorn@ikea.se", "4477009001234500", "2021-12-01", "FALSE"]),
    ]
    assert [(i.row, i.column, i.message) for i in source.issues] == [(2, "Mobile", DIGITS_LOST)]


@pytest.mark.parametrize(
    ("value", "text", "warned"),
    [
        (None, "", False),
        (True, "TRUE", False),
        (False, "FALSE", False),
        (447700900123, "447700900123", False),
        (447700900123.0, "447700900123", False),
        (4.47700900123e11, "447700900123", False),
        (999999999999999.0, "999999999999999", False),
        (1e15, "1000000000000000", True),
        (0.5, "0.5", False),
        (1.5e-05, "0.000015", False),
        (datetime(2024, 3, 15), "2024-03-15", False),
        (datetime(2024, 3, 15, 9, 30), "2024-03-15 09:30:00", False),
        (date(2024, 3, 15), "2024-03-15", False),
        (time(9, 30), "09:30:00", False),
        ("  kept as typed ", "  kept as typed ", False),
    ],
)
def test_cell_text(value: object, text: str, warned: bool) -> None:
    assert cell_text(value)[0] == text
    assert bool(cell_text(value)[1]) is warned


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def _rewrite(src: Path, dest: Path, part: str, change: object) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, change(data) if info.filename == part else data)  # type: ignore[operator]


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    evil = tmp_path / "laughs.xlsx"
    doctype = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    _rewrite(DATA / "mac_1904.xlsx", evil, "xl/workbook.xml", lambda d: doctype + d)
    with pytest.raises(InvalidFile) as caught:
        open_table(evil)
    assert str(caught.value) == (
        f"{evil}: the workbook contains unsafe XML (an entity or DTD declaration) and was refused."
    )


def _workbook_zip(path: Path, filler: bytes) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", filler)


def test_a_highly_compressible_workbook_is_refused_unopened(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    _workbook_zip(bomb, b"\0" * (3 << 20))  # 3 MB of zeros pack into a few KB
    with pytest.raises(InvalidFile) as caught:
        open_table(bomb)
    assert "looks like a zip bomb and was not opened" in str(caught.value)
    assert "'xl/worksheets/sheet1.xml'" in str(caught.value)
    check_zip(bomb, max_ratio=100_000)  # the same file passes a looser limit


def test_a_workbook_claiming_a_huge_size_is_refused(tmp_path: Path) -> None:
    liar = tmp_path / "liar.xlsx"
    _workbook_zip(liar, b"<worksheet/>")
    data = bytearray(liar.read_bytes())
    # Make the central directory claim 300 MB for the sheet (uncompressed size at offset 24).
    entry = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, entry + 24, 300 << 20)
    liar.write_bytes(bytes(data))
    with pytest.raises(InvalidFile) as caught:
        open_table(liar)
    assert str(caught.value) == (
        f"{liar}: the workbook would unpack to 300 MB (the limit is 200 MB); "
        "save the sheet as CSV and import that instead."
    )
    check_zip(liar, max_total=400 << 20, max_ratio=10**9)


def test_damaged_workbook(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(InvalidFile) as caught:
        open_table(broken)
    assert str(caught.value).startswith(f"{broken}: this is an Excel workbook or ZIP archive")


def test_import_xlsx_end_to_end(book: LeadBook) -> None:
    report = run_import(book, DATA / "prospects.xlsx")
    assert (report.format, report.rows, report.added, report.skipped) == ("xlsx", 4, 3, 1)
    people = {c.first_name: c for c in book.contacts()}
    assert sorted(people) == ["José", "Sarah", "Zoë"]
    sarah, jose, zoe = people["Sarah"], people["José"], people["Zoë"]
    assert (sarah.last_name, sarah.company.name) == ("O'Neill", "Revolut")
    assert [(p.raw, p.value, p.label) for p in sarah.phones] == [
        ("2079460000", "+442079460000", "work"),
        ("447700900123", "+447700900123", "mobile"),
    ]
    assert sarah.extra == {"Met On": "2024-03-15", "Active": "TRUE"}
    assert (jose.last_name, jose.primary_email, jose.company.name) == (
        "Álvarez",
        "jose.alvarez@bbva.com",
        "BBVA",
    )
    assert [(p.raw, p.value) for p in jose.phones] == [("34612345678", "+34612345678")]
    assert jose.extra == {"Met On": "2023-11-02", "Active": "FALSE"}
    assert (zoe.last_name, zoe.primary_email) == ("Müller", "zoe.mueller@siemens.de")
    assert [p.raw for p in zoe.phones] == ["4477009001234500"]  # kept, whatever its status


def test_import_1904_and_xls_end_to_end(book: LeadBook) -> None:
    run_import(book, DATA / "mac_1904.xlsx")
    report = run_import(book, DATA / "legacy.xls")
    assert (report.format, report.added) == ("xls", 2)
    people = {c.last_name: c for c in book.contacts()}
    assert people["López"].extra == {"Birthday": "2011-07-05"}
    assert people["López"].primary_email == "ana.lopez@telefonica.es"
    chloe = people["Dubois"]
    assert (chloe.first_name, chloe.primary_email, chloe.primary_phone) == (
        "Chloé",
        "chloe.dubois@bnpparibas.fr",
        "+33612345678",
    )
    assert chloe.extra == {"Added": "2022-01-31", "Opt In": "TRUE"}
