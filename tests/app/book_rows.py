"""Helpers shared by the book tests: raw rows, an import of them, and a snapshot of the tables."""

from __future__ import annotations

from collections.abc import Sequence

from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta


def rec(row: int = 0, **values: str) -> RawRecord:
    """A raw record as a reader makes it: each field under its own title-cased header."""
    r = RawRecord(row=row)
    for name, value in values.items():
        r.add(name, name.replace("_", " ").title(), value)
        r.raw[name] = value
    return r


def import_rows(book: LeadBook, name: str, *rows: dict[str, str], list_name: str = "") -> list[int]:
    """Import `rows` as file `name` (duplicates kept); the contact ids, in row order."""
    meta = ImportMeta(file_name=name, headers=["x"], on_duplicate="keep", list_name=list_name)
    report = book.import_records([rec(n + 1, **r) for n, r in enumerate(rows)], meta)
    return [
        int(r[0])
        for r in book.conn.execute(
            "SELECT contact_id FROM contact_sources WHERE import_id = ? ORDER BY id",
            (report.import_id,),
        )
    ]


def table_state(book: LeadBook, tables: Sequence[str]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of `tables`, plus the search index: equal before and after means nothing changed."""
    out = {t: sorted(tuple(r) for r in book.conn.execute(f"SELECT * FROM {t}")) for t in tables}
    out["search"] = sorted(tuple(r) for r in book.conn.execute("SELECT rowid, * FROM contacts_fts"))
    return out
