"""Cleaning in worker processes gives exactly the book one process gives."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import signal
from pathlib import Path
from typing import Any

import pytest

from app.book import LeadBook
from app.clean.record import clean_record
from app.contact import Contact
from app.errors import JobCancelled
from app.ingest import raw_json
from app.query import ContactFilter
from bench.generate import write_files
from importers import parallel, pipeline
from importers.mapping import RowMapper, suggest_mapping, to_record
from importers.parallel import pack, unpack
from importers.pipeline import ImportOptions, run_import

HEADERS = [
    "First Name", "Last Name", "Email", "Phone", "Mobile", "Company", "Company Phone",
    "Job Title", "Website", "LinkedIn", "Country", "Tags", "Shoe Size",
]  # fmt: skip
ROWS = [
    [
        "Ana", "López", "ana@acme.es; ana.lopez@gmail.com", "0612 345 678", "1.4E+10",
        "Acme S.L.", "+34 910 000 000", "Jefa de Ventas", "https://www.acme.es",
        "es.linkedin.com/in/ana-lopez/", "España", "fair, vip", "38",
    ],
    ["", "", "bob@@x.com", "n/a", "", "", "", "", "", "", "GER", "", ""],
]  # fmt: skip


@pytest.mark.parametrize("values", ROWS)
def test_a_packed_row_survives_pickling_unchanged(values: list[str]) -> None:
    mapping = suggest_mapping(HEADERS)
    rec = to_record(7, values, HEADERS, mapping)
    result = clean_record(rec, "GB")
    back_rec, back = unpack(pickle.loads(pickle.dumps(pack(rec, result))))
    assert back == result
    assert (back_rec.row, back_rec.raw, back.raw_json) == (7, rec.raw, None)
    # An import's workers send the raw values as the JSON the book stores, encoded by them.
    back_rec, back = unpack(pickle.loads(pickle.dumps(pack(rec, result, raw_as_json=True))))
    assert back == result
    assert (back_rec.row, back_rec.raw) == (7, {})
    assert back.raw_json == raw_json(rec)
    assert json.loads(back.raw_json) == values


def test_the_row_mapper_makes_the_records_to_record_made() -> None:
    headers = ["First Name", "Email", "Hobby", "Email 2", "Notes", "column 7"]
    mapping = suggest_mapping(headers)
    mapper = RowMapper(headers, mapping)
    rows = [
        ["Ana", " ana@x.io ", "Sailing", "", "  ", "late", "later", "  "],
        ["Bo"],
        [],
        ["Cy", None, "", "cy@x.io", "Call me", "", "x"],
    ]
    for number, values in enumerate(rows, start=1):
        rec = mapper(number, values)  # type: ignore[arg-type]
        assert rec == to_record(number, values, headers, mapping)  # type: ignore[arg-type]
    first = mapper(1, rows[0])
    # A header named like an overflow column: the overflow value is overwritten, as before.
    assert first.extra == {"column 7": "late", "Hobby": "Sailing"}
    assert list(first.raw.values()) == ["Ana", " ana@x.io ", "Sailing", "", "  ", "later", "  "]


def _book_state(book: LeadBook) -> list[dict[str, Any]]:
    def plain(c: Contact) -> dict[str, Any]:
        return {
            "id": c.id,
            "name": c.display_name,
            "title": c.job_title,
            "company": c.company.name,
            "points": [(p.kind, p.raw, p.value, p.label, p.is_primary, p.status) for p in c.points],
            "rows": [s.row for s in c.sources],
            "extra": c.extra,
        }

    return [plain(c) for c in book.contacts(ContactFilter(), limit=10_000)]


def _search(book: LeadBook, text: str) -> list[int]:
    return sorted(c.id or 0 for c in book.contacts(ContactFilter(search=text), limit=10_000))


def test_worker_processes_write_the_same_book_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks so that most duplicates merge into contacts already written (the stored path).
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 40)
    path = tmp_path / "leads.csv"
    write_files(path, 600, seed=3, dup_rate=0.3)
    books = []
    for workers in (0, 2):
        book = LeadBook.open(tmp_path / f"book{workers}.db")
        report = run_import(book, path, ImportOptions(workers=workers))
        books.append((book, report))
    (serial, one), (parallel, two) = books
    assert (two.rows, two.added, two.merged, two.invalid) == (
        one.rows,
        one.added,
        one.merged,
        one.invalid,
    )
    assert one.merged > 100
    assert _book_state(parallel) == _book_state(serial)
    for text in ("gmail", "manager", "gmbh", "müller"):
        assert _search(parallel, text) == _search(serial, text)
    for b, _ in books:
        b.close()


def test_a_row_merged_into_a_stored_contact_is_found_by_its_new_values(
    book: LeadBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    path = tmp_path / "ana.csv"
    path.write_text(
        "First Name,Last Name,Email,Job Title\n"
        "Ana,López,ana@acme.es,Analyst\n"
        "Bo,Ek,bo@ek.se,Engineer\n"
        "Ana,López,ana@acme.es,Quartermaster\n"
        "Ana,López,ana@acme.es; ana.private@zmail.es,Quartermaster\n",
        encoding="utf-8",
    )
    report = run_import(book, path)
    assert (report.added, report.merged) == (2, 2)
    (ana,) = book.contacts(ContactFilter(search="quartermaster"))
    assert [e.value for e in ana.emails] == ["ana@acme.es", "ana.private@zmail.es"]
    assert _search(book, "ana.private") == [ana.id]
    assert _search(book, "analyst") == []
    fts_rows = book.conn.execute("SELECT count(*) FROM contacts_fts").fetchone()[0]
    assert fts_rows == book.count() == 2


def test_an_import_leaves_the_page_cache_as_it_found_it(book: LeadBook, tmp_path: Path) -> None:
    before = book.conn.execute("PRAGMA cache_size").fetchone()[0]
    path = tmp_path / "big.csv"
    lines = ["First Name,Last Name,Email"] + [f"P{i},L{i},p{i}@c{i}.com" for i in range(3000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(JobCancelled):
        run_import(book, path, cancelled=lambda: True)
    assert book.conn.execute("PRAGMA cache_size").fetchone()[0] == before
    run_import(book, path)
    assert book.conn.execute("PRAGMA cache_size").fetchone()[0] == before
    assert book.count() == 3000


def _workers_alive() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name.startswith("leadsmith-")]


def test_a_cancelled_parallel_import_leaves_the_book_and_no_worker_behind(
    book: LeadBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 50)
    path = tmp_path / "leads.csv"
    write_files(path, 1_000, seed=4, dup_rate=0.1)
    polls: list[int] = []

    def cancel_after_five_chunks() -> bool:
        polls.append(1)
        return len(polls) > 5

    with pytest.raises(JobCancelled):
        run_import(book, path, ImportOptions(workers=2), cancelled=cancel_after_five_chunks)
    assert book.count() == 0
    assert book.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    assert _workers_alive() == []


def test_an_import_whose_worker_is_killed_is_finished_in_process(
    book: LeadBook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 50)
    path = tmp_path / "leads.csv"
    write_files(path, 1_000, seed=4, dup_rate=0.1)
    serial = LeadBook.open(tmp_path / "serial.db")
    expected = run_import(serial, path, ImportOptions(workers=0))
    serial.close()
    killed: list[int] = []

    def kill_a_worker() -> bool:
        workers = [p for p in multiprocessing.active_children() if p.name == "leadsmith-clean-1"]
        if workers and not killed:
            killed.append(workers[0].pid or 0)
            os.kill(workers[0].pid or 0, signal.SIGKILL)
        return False

    report = run_import(book, path, ImportOptions(workers=2), cancelled=kill_a_worker)
    assert killed
    assert (report.rows, report.added, report.merged, report.invalid) == (
        expected.rows,
        expected.added,
        expected.merged,
        expected.invalid,
    )
    assert book.count() == expected.added
    assert _workers_alive() == []


@pytest.mark.parametrize("workers", [1, 3])
def test_any_number_of_workers_writes_the_same_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 70)  # pieces of 250 rows split unevenly
    monkeypatch.setattr(parallel, "PIECE_ROWS", 30)
    path = tmp_path / "leads.csv"
    write_files(path, 500, seed=5, dup_rate=0.2)
    serial = LeadBook.open(tmp_path / "serial.db")
    run_import(serial, path, ImportOptions(workers=0))
    book = LeadBook.open(tmp_path / "parallel.db")
    run_import(book, path, ImportOptions(workers=workers))
    assert _book_state(book) == _book_state(serial)
    assert _workers_alive() == []
    serial.close()
    book.close()
