"""Fixtures for the audience area: a small book of prospects imported from a real CSV file."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from app.book import LeadBook
from app.contact import ImportReport
from importers.pipeline import ImportOptions, run_import

HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Title",
    "Company",
    "Industry",
    "Employees",
    "Country",
]

PEOPLE = [
    [
        "Ann",
        "Lee",
        "ann@acmepay.com",
        "+44 20 7946 0001",
        "CMO",
        "Acme Pay",
        "Financial Services",
        "51-200",
        "United Kingdom",
    ],
    [
        "Bob",
        "Ray",
        "bob@betasoft.io",
        "",
        "Marketing Manager",
        "Beta Soft",
        "Computer Software",
        "1200",
        "France",
    ],
    [
        "Cara",
        "Diaz",
        "cara@rival.com",
        "",
        "Chief Marketing Officer",
        "Rival Ltd",
        "Fintech",
        "120",
        "GB",
    ],
    [
        "Dan",
        "Wu",
        "dan@acmepay.com",
        "",
        "VP Marketing",
        "Acme Pay",
        "Financial Services",
        "51-200",
        "GB",
    ],
]

ImportRows = Callable[..., ImportReport]


@pytest.fixture
def people() -> list[list[str]]:
    """Four prospects (rows of HEADER): a target, a near miss, a competitor, a partial fit."""
    return [list(row) for row in PEOPLE]


@pytest.fixture
def import_rows(book: LeadBook, tmp_path: Path) -> ImportRows:
    """Write rows to a CSV file and import it through the real pipeline."""
    count = 0

    def run(rows: list[list[str]], header: list[str] = HEADER, **options: object) -> ImportReport:
        nonlocal count
        count += 1
        path = tmp_path / f"people{count}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        return run_import(book, path, ImportOptions(**options))  # type: ignore[arg-type]

    return run


@pytest.fixture
def ids(book: LeadBook) -> Callable[[], dict[str, int]]:
    """First name -> contact id, read from the book when called."""
    return lambda: {c.first_name: int(c.id or 0) for c in book.contacts()}
