"""Seed data for the desktop tests: contacts straight into a book, or as a CSV file on disk."""

from __future__ import annotations

import csv
from pathlib import Path

from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta

HEADER = ["First name", "Last name", "Email", "Company", "Job title", "Phone"]


def person(i: int) -> list[str]:
    """Row i of the seed data: every 10th email is invalid, every 7th phone too short."""
    email = f"person{i}@" if i % 10 == 3 else f"person{i}@acme{i % 40}.com"
    phone = "0123" if i % 7 == 5 else f"020 7946 {i % 10000:04d}"
    return [f"Ann{i}", f"Smith{i:05d}", email, f"Acme {i % 40}", "Head of Sales", phone]


def seed(book: LeadBook, n: int, start: int = 0) -> None:
    """Import n seed contacts straight through the book (no file, no Qt)."""
    records = []
    for i in range(start, start + n):
        rec = RawRecord(row=i + 1)
        for (field, column), value in zip(
            [("first_name", "First name"), ("last_name", "Last name"), ("email", "Email"),
             ("company", "Company"), ("job_title", "Job title"), ("phone", "Phone")],
            person(i),
            strict=True,
        ):  # fmt: skip
            rec.add(field, column, value)
        records.append(rec)
    book.import_records(records, ImportMeta(file_name="seed.csv"))


def write_csv(path: Path, n: int, start: int = 0) -> Path:
    """A CSV file of n seed contacts, as a user would export it from a spreadsheet."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(start, start + n):
            writer.writerow(person(i))
    return path
