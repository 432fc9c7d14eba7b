"""Write the Excel samples the importer tests read; run it again after changing a sample.

    .venv/bin/python tests/data/import/xlsx/make_samples.py

The .xlsx files need only openpyxl. legacy.xls needs xlwt, which the app does not depend on:
`pip install --target /tmp/xlwt xlwt` and run with PYTHONPATH=/tmp/xlwt (otherwise it is skipped
and the committed file stays as it is).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = Path(__file__).resolve().parent
HEADER = ["Full Name", "Email", "Company", "Mobile", "Phone", "Met On", "Active", "Notes"]


def prospects() -> None:
    """Three sheets: an empty one first, the prospects with a title above the header, an archive."""
    wb = Workbook()
    wb.active.title = "Summary"  # left empty: the reader must skip it
    ws = wb.create_sheet("Prospects")
    ws.append(["Q3 prospects export"])
    ws.append([])
    ws.append(HEADER)
    ws.append(
        [
            "Sarah O'Neill",
            "sarah.oneill@revolut.com",
            "Revolut",
            447700900123,
            2079460000.0,
            date(2024, 3, 15),
            True,
            None,
        ]
    )
    ws.append(["José Álvarez", "Email", "BBVA", 34612345678.0, None, datetime(2023, 11, 2), False])
    ws["B5"].hyperlink = "mailto:jose.alvarez@bbva.com"
    ws.append([])
    ws.append(["Zoë Müller", "zoe.mueller@siemens.de", "Siemens", 4.4770090012345e15, None])
    ws.append(["Total: 3 prospects"])
    ws["F4"].number_format = ws["F5"].number_format = "dd/mm/yyyy"
    archive = wb.create_sheet("Archive")
    archive.append(["Name", "Contact", "Company"])
    archive.append(["Liam Byrne", "Liam Byrne", "Stripe"])
    archive["B2"].hyperlink = "mailto:liam.byrne@stripe.com?subject=Hello"
    wb.save(HERE / "prospects.xlsx")


def mac_1904() -> None:
    """A workbook in the 1904 date system (old Mac Excel): its serials count from 1904-01-01."""
    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Contacts"
    ws.append(["First Name", "Last Name", "Email", "Birthday"])
    ws.append(["Ana", "López", "ana.lopez@telefonica.es", date(2011, 7, 5)])
    ws["D2"].number_format = "yyyy-mm-dd"
    wb.save(HERE / "mac_1904.xlsx")


def legacy_xls() -> None:
    """An Excel 97-2003 .xls with a numeric phone, a date, a boolean and a 16-digit number."""
    try:
        import xlwt  # type: ignore[import-not-found]
    except ImportError:
        print("xlwt not installed: legacy.xls left as it is")
        return
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Leads")
    dated = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for col, text in enumerate(["First Name", "Last Name", "Email", "Mobile", "Added", "Opt In"]):
        ws.write(0, col, text)
    rows = [
        ("Chloé", "Dubois", "chloe.dubois@bnpparibas.fr", 33612345678.0, date(2022, 1, 31), True),
        ("Björn", "Svensson", "bjorn@ikea.se", 4.4770090012345e15, date(2021, 12, 1), False),
    ]
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, date):
                ws.write(r, col, value, dated)
            else:
                ws.write(r, col, value)
    wb.save(str(HERE / "legacy.xls"))


if __name__ == "__main__":
    prospects()
    mac_1904()
    legacy_xls()
