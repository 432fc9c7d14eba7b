"""A dedupe benchmark book of N generated contacts, built fast and cached: one contact per file row.

`build_book(rows)` generates the CSV with bench.generate (seed 1, 10 % duplicates, 1 % homonyms),
reads it with the importer's own reader and column mapping, cleans every row with the importer's
own cleaning (`importers.parallel`, in worker processes), and inserts contacts, points, companies and
source rows directly with `executemany` in one transaction. The data is what a real import with
`--on-duplicate keep` writes (contact ids included: one per non-empty row, in file order), so the
dedupe run sees a full, unmerged 1M book; `tests/bench/test_dedupe_book.py` checks that the two
books give the same duplicate groups. The search index is not written (dedupe never reads it).

Cached in bench/out/ under a name keyed on the generator's and this builder's source: a change to
either builds a new book.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from app.book import LeadBook
from app.clean.company import normalize_company
from app.clean.record import CleanResult
from app.contact import Company, Contact, ContactPoint, RawRecord
from app.fields import CONTACT_COLUMNS
from app.store.db import utc_now
from bench.generate import SOURCE_FILES, source_key, write_files
from importers.csv_reader import open_table
from importers.mapping import suggest_mapping
from importers.parallel import CleaningPool, Rows, clean_rows, worker_count

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CHUNK = 2000
FLUSH_ROWS = 50_000  # contacts per executemany batch: bounded memory at a million rows

# The book's cache key: the generator and this builder. Cleaning code changes under other work
# every day; `dedupe_bench --cross-check` (and tests/bench/test_dedupe_book.py) show whether a
# cached book still equals a real import, and deleting bench/out/dedupe_* rebuilds it.
_KEY_SOURCES = (*SOURCE_FILES, "bench/dedupe_book.py")

_INSERT_CONTACT = (
    f"INSERT INTO contacts(id, {', '.join(CONTACT_COLUMNS)}, extra, "
    "company_id, import_id, created_by, collected_at, created_at, updated_at) VALUES "
    f"(?, {', '.join('?' * len(CONTACT_COLUMNS))}, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_POINT = """INSERT INTO contact_points(contact_id, kind, raw, value, label, is_primary,
    status, reason, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_INSERT_SOURCE = """INSERT INTO contact_sources(contact_id, import_id, row_number, action, raw)
    VALUES (?, ?, ?, 'added', ?)"""
_COMPANY_FIELDS = (
    "domain",
    "website",
    "industry",
    "employees",
    "annual_revenue",
    "phone",
    "country",
)


def data_files(rows: int, seed: int = 1) -> tuple[Path, Path]:
    """The generated CSV and its truth file (cached in bench/out/)."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = OUT / f"dedupe_{rows}_s{seed}_{source_key()}.csv"
    truth = data.with_suffix(".truth.csv")
    if not data.exists() or not truth.exists():
        tmp = data.with_suffix(".tmp")
        write_files(tmp, rows, seed, 0.1, truth, 0.01)
        tmp.rename(data)
    return data, truth


def build_book(
    rows: int, seed: int = 1, path: Path | None = None, workers: int | None = None
) -> tuple[Path, Path]:
    """The book (built once, cached) and the truth file for `rows` generated contacts."""
    data, truth = data_files(rows, seed)
    book = path or data.with_name(f"{data.stem}_book_{source_key(_KEY_SOURCES)}.db")
    if not book.exists():
        tmp = book.with_suffix(".tmp.db")
        for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            stale.unlink(missing_ok=True)
        insert_file(tmp, data, worker_count() if workers is None else workers)
        tmp.rename(book)
    return book, truth


def _cleaned_chunks(data: Path, workers: int) -> Iterator[list[tuple[RawRecord, CleanResult]]]:
    source = open_table(data)
    try:
        mapping = suggest_mapping(source.headers, layout=source.layout)

        def chunks() -> Iterator[Rows]:
            batch: Rows = []
            for row in source.rows():
                batch.append(row)
                if len(batch) >= CHUNK:
                    yield batch
                    batch = []
            if batch:
                yield batch

        if workers > 1:
            pool = CleaningPool(source.headers, mapping, "US", workers)
            try:
                yield from pool.map_chunks(chunks())
            finally:
                pool.close()
        else:
            for batch in chunks():
                yield clean_rows(batch, source.headers, mapping, "US")
    finally:
        source.close()


class _Writer:
    """Turns cleaned contacts into the rows an import with `keep` writes, in batches."""

    def __init__(self, conn: sqlite3.Connection, import_id: int, now: str) -> None:
        self.conn = conn
        self.import_id = import_id
        self.now = now
        self.next_id = 1
        self.companies: dict[str, int] = {}
        self.company_rows: dict[int, list[object]] = {}
        self.contacts: list[tuple[object, ...]] = []
        self.points: list[tuple[object, ...]] = []
        self.sources: list[tuple[object, ...]] = []

    def company_id(self, company: Company) -> int | None:
        name = company.name.strip()
        if not name and not company.domain:
            return None
        key = normalize_company(name) if name else f"@{company.domain}"
        cid = self.companies.get(key)
        if cid is None:
            # Within one import the company's first row decides its fields (later rows of the
            # same company hit the import's cache and fill nothing).
            cid = self.companies[key] = len(self.companies) + 1
            self.company_rows[cid] = [
                name, normalize_company(name) if name else "",
                *(getattr(company, f) for f in _COMPANY_FIELDS),
            ]  # fmt: skip
        return cid

    def add(self, rec: RawRecord, contact: Contact) -> None:
        if not (contact.first_name or contact.last_name or contact.points or contact.company.name):
            return  # an empty row: the import skips it
        cid = self.next_id
        self.next_id += 1
        self.contacts.append((
            cid, *(getattr(contact, col) for col in CONTACT_COLUMNS),
            json.dumps(contact.extra, ensure_ascii=False), self.company_id(contact.company),
            self.import_id, "", self.now, self.now, self.now,
        ))  # fmt: skip
        _mark_primary(contact.points)
        for p in contact.points:
            self.points.append((cid, p.kind, p.raw, p.value, p.label, int(p.is_primary),
                                p.status, p.reason, self.import_id))  # fmt: skip
        raw = json.dumps(list(rec.raw.values()), ensure_ascii=False)
        self.sources.append((cid, self.import_id, rec.row or None, raw))
        if len(self.contacts) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany(_INSERT_CONTACT, self.contacts)
        self.conn.executemany(_INSERT_POINT, self.points)
        self.conn.executemany(_INSERT_SOURCE, self.sources)
        self.contacts.clear()
        self.points.clear()
        self.sources.clear()

    def write_companies(self) -> None:
        self.conn.executemany(
            """INSERT INTO companies(id, name, name_norm, domain, website, industry, employees,
                   annual_revenue, phone, country, import_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(cid, *row, self.import_id, self.now, self.now)
             for cid, row in self.company_rows.items()],
        )  # fmt: skip


def _mark_primary(points: list[ContactPoint]) -> None:
    # As app.ingest does before writing: each kind gets a primary, the first usable one.
    for kind in ("email", "phone", "url"):
        same = [p for p in points if p.kind == kind]
        if same and not any(p.is_primary for p in same):
            usable = next((p for p in same if p.value and p.status != "invalid"), same[0])
            usable.is_primary = True


def insert_file(book: Path, data: Path, workers: int) -> None:
    """Create a book at `book` holding every row of `data` as its own contact."""
    LeadBook.open(book).close()  # the real schema, migrated
    now = utc_now()
    conn = sqlite3.connect(book, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")  # companies are written last
        conn.execute("BEGIN")
        cur = conn.execute(
            """INSERT INTO imports(file_name, file_path, status, on_duplicate, started_at)
               VALUES (?, ?, 'done', 'keep', ?)""",
            (data.name, str(data), now),
        )
        writer = _Writer(conn, int(cur.lastrowid or 0), now)
        for chunk in _cleaned_chunks(data, workers):
            for rec, result in chunk:
                writer.add(rec, result.contact)
        writer.flush()
        writer.write_companies()
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
