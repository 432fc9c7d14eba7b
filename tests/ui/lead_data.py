"""Prospects for the sidebar, audience, review and dashboard tests, imported from a real CSV file."""

from __future__ import annotations

import csv
from pathlib import Path

from app.book import LeadBook
from app.contact import ImportReport
from importers.pipeline import ImportOptions, run_import

HEADER = ["First Name", "Last Name", "Email", "Phone", "Title", "Company", "Industry",
          "Employees", "Country"]  # fmt: skip
# Three marketers (two in GB), a bad email, a CFO in Germany, an engineer with no email.
PROSPECTS = [
    ["Ann", "Lee", "ann@acmepay.com", "+44 20 7946 0001", "Marketing Director", "Acme Pay",
     "Financial Services", "51-200", "United Kingdom"],
    ["Bob", "Ray", "bob@betasoft.io", "", "Marketing Manager", "Beta Soft", "Computer Software",
     "1200", "France"],
    ["Cara", "Diaz", "cara@rival.com", "", "Head of Marketing", "Rival Ltd", "Fintech", "120",
     "GB"],
    ["Dan", "Wu", "dan@", "", "VP Sales", "Acme Pay", "Financial Services", "51-200", "GB"],
    ["Eve", "Kim", "eve@delta.de", "", "CFO", "Delta GmbH", "Banking", "300", "DE"],
    ["Finn", "Ola", "", "+44 20 7946 0006", "Software Engineer", "Orbit", "Technology", "20",
     "GB"],
]  # fmt: skip


def import_prospects(
    book: LeadBook, folder: Path, rows: list[list[str]] | None = None, **options: object
) -> ImportReport:
    """Write the prospects to a CSV file in `folder` and import it through the real pipeline."""
    path = folder / f"prospects{len(list(folder.glob('prospects*.csv')))}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(PROSPECTS if rows is None else rows)
    return run_import(book, path, ImportOptions(**options))  # type: ignore[arg-type]


def ids_by_name(book: LeadBook) -> dict[str, int]:
    """First name -> contact id."""
    return {c.first_name: int(c.id or 0) for c in book.contacts()}
