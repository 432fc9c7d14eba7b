"""The chunked CSV path and its two-process form write exactly the serial bytes, skips and warnings."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_export_flat import _same, _slow_export, varied  # noqa: F401  (fixture)

import app.export.parallel as parallel
from app.book import LeadBook
from app.contact import RawRecord
from app.errors import JobCancelled
from app.export import ExportResult, write_export
from app.export.chunked import csv_line_maker
from app.export.flat import _id_condition
from app.export.parallel import body_encoding, worker_count
from app.export.safety import FORMULA_PREFIXES
from app.export.source import BookContacts
from app.query import ContactFilter

STREAMED = [
    "dynamics365",
    "google-csv",
    "hubspot",
    "outlook-csv",
    "pipedrive",
    "salesforce-dataloader",
    "salesforce-wizard",
    "zoho",
]


def _export(
    book: LeadBook,
    name: str,
    out: Path,
    workers: int,
    f: ContactFilter = ContactFilter(),
    **options: object,
) -> ExportResult:
    ids = book.snapshot(book.export_selection(f, name))
    contacts = BookContacts(book.conn, ids, book.export_exclusions())
    preset = options.pop("preset", None) or book.presets()[name]
    return write_export(preset, contacts, out, workers=workers, total=len(ids), **options)  # type: ignore[arg-type]


def _both(book: LeadBook, tmp_path: Path, name: str, **options: object) -> tuple[ExportResult, ...]:
    (tmp_path / "serial").mkdir()
    (tmp_path / "two").mkdir()
    serial = _export(book, name, tmp_path / "serial" / "out.csv", 1, **dict(options))
    two = _export(book, name, tmp_path / "two" / "out.csv", 2, **dict(options))
    return serial, two


@pytest.mark.parametrize(
    ("name", "skip_invalid"),
    [(n, True) for n in STREAMED] + [("hubspot", False)],
)
def test_two_processes_write_the_serial_bytes(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    name: str,
    skip_invalid: bool,
) -> None:
    serial, two = _both(varied, tmp_path, name, skip_invalid=skip_invalid)
    _same(two, serial)
    live = varied.count(ContactFilter())
    assert two.rows + len({p.contact_id for p in two.skipped}) == live - 2 and two.rows > 30
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["out.csv"]  # no part left


def test_a_split_export_is_the_same_in_two_processes(varied: LeadBook, tmp_path: Path) -> None:  # noqa: F811
    # 3 rows a file: the file boundaries fall inside both workers' parts, and one straddles them.
    varied.set_setting("export_overrides", json.dumps({"salesforce-wizard": {"max_rows": 3}}))
    serial, two = _both(varied, tmp_path, "salesforce-wizard")
    _same(two, serial)
    assert len(two.files) == -(-two.rows // 3) and len(two.files) > 8
    assert [p.name for p in two.files][:3] == ["out-1.csv", "out-2.csv", "out-3.csv"]
    first = two.files[0].read_text(encoding="utf-8").splitlines()
    assert first[0].startswith("Salutation,First Name,Last Name") and len(first) == 4


def test_the_chunked_path_matches_the_contact_path_over_gaps(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
) -> None:
    ids = [r[0] for r in varied.conn.execute("SELECT id FROM contacts ORDER BY id")]
    gone = ids[1::4]  # deleted contacts inside the id ranges the chunks read
    varied.conn.execute(
        f"UPDATE contacts SET deleted_at = '2026-01-01' WHERE id IN ({','.join('?' * len(gone))})",
        gone,
    )
    (tmp_path / "fast").mkdir()
    (tmp_path / "slow").mkdir()
    fast = varied.export("hubspot", tmp_path / "fast" / "out.csv")
    slow = _slow_export(varied, "hubspot", tmp_path / "slow" / "out.csv", ContactFilter(), True)
    _same(fast, slow)
    members = {r[0] for r in varied.conn.execute("SELECT contact_id FROM export_members")}
    assert fast.rows == len(members) > 40 and not members & set(gone)


@pytest.mark.parametrize(
    ("chunk", "condition"),
    [
        ([1, 2, 3, 5], ("BETWEEN ? AND ?", [1, 5])),  # dense with a gap: one range
        ([9, 7, 8], ("BETWEEN ? AND ?", [7, 9])),  # a descending snapshot reads the same range
        ([1, 50, 100], ("IN (?,?,?)", [1, 50, 100])),  # sparse: a range would read 100 rows
    ],
)
def test_dense_chunks_are_read_by_range(chunk: list[int], condition: object) -> None:
    assert _id_condition(chunk) == condition


@pytest.mark.parametrize(
    "row",
    [
        ["a", "b", "c"],
        ["", "", ""],
        ["a,b", "c", ""],
        ['say "hi"', "x", "y"],
        ["two\nlines", "cr\r", "x"],
        [" spaced ", "'=x", "\t"],
        ["Zoë", "Łukasz", "€"],
    ],
)
@pytest.mark.parametrize("ending", ["\r\n", "\n"])
def test_lines_are_what_the_csv_module_writes(row: list[str], ending: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerow(row)
    assert csv_line_maker(3, ending)(row) == buffer.getvalue()
    one = io.StringIO()
    csv.writer(one, lineterminator=ending).writerow([""])
    assert csv_line_maker(1, ending)([""]) == one.getvalue() == '""' + ending


def test_cancel_stops_the_workers_and_leaves_no_file(varied: LeadBook, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "leads.csv"
    out.write_text("previous export", encoding="utf-8")
    calls = iter([False])  # the start passes; the first look while the workers run cancels
    with pytest.raises(JobCancelled):
        _export(varied, "hubspot", out, 2, cancelled=lambda: next(calls, True))
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["leads.csv"]
    assert out.read_text(encoding="utf-8") == "previous export"


def test_a_failing_worker_fails_the_export_and_leaves_no_file(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
) -> None:
    ascii_only = replace(varied.presets()["hubspot"], encoding="ascii")  # "López" cannot be written
    (tmp_path / "out").mkdir()
    with pytest.raises(UnicodeEncodeError):
        _export(varied, "hubspot", tmp_path / "out" / "serial.csv", 1, preset=ascii_only)
    with pytest.raises(UnicodeEncodeError):
        _export(varied, "hubspot", tmp_path / "out" / "two.csv", 2, preset=ascii_only)
    assert list((tmp_path / "out").iterdir()) == []


def test_progress_reaches_every_contact(varied: LeadBook, tmp_path: Path) -> None:  # noqa: F811
    seen: list[tuple[int, int]] = []
    result = _export(
        varied, "hubspot", tmp_path / "h.csv", 2, progress=lambda d, t: seen.append((d, t))
    )
    live = varied.count(ContactFilter())
    assert seen[-1] == (live - 2, live - 1)  # every exportable contact of the selection looked at
    assert result.rows + len({p.contact_id for p in result.skipped}) == live - 2


def test_a_big_book_export_goes_parallel_and_records_the_same_history(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serial = varied.export("zoho", tmp_path / "serial.csv")
    members = [
        r[0] for r in varied.conn.execute("SELECT contact_id FROM export_members ORDER BY 1")
    ]
    varied.conn.execute("DELETE FROM exports")
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    ids = varied.snapshot(varied.export_selection(ContactFilter(), "zoho"))
    assert worker_count(varied.presets()["zoho"], BookContacts(varied.conn, ids)) == 2
    two = varied.export("zoho", tmp_path / "two.csv")
    assert two.files[0].read_bytes() == serial.files[0].read_bytes()
    assert [
        r[0] for r in varied.conn.execute("SELECT contact_id FROM export_members ORDER BY 1")
    ] == members
    assert [(e["rows"], e["skipped"]) for e in varied.exports()] == [
        (serial.rows, len({p.contact_id for p in serial.skipped}))
    ]


@pytest.mark.parametrize(
    ("encoding", "body"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp1252", "cp1252"), ("utf-16", None)],
)
def test_parts_are_encoded_apart_only_with_a_stateless_codec(
    encoding: str, body: str | None
) -> None:
    assert body_encoding(encoding) == body


def test_an_in_memory_book_stays_serial(tmp_path: Path) -> None:
    book = LeadBook.open(":memory:")
    preset = book.presets()["hubspot"]
    assert worker_count(preset, BookContacts(book.conn, list(range(100_000))), 2) == 1
    book.close()


@pytest.mark.parametrize("prefix", sorted(FORMULA_PREFIXES))
def test_a_plain_column_neutralizes_every_formula_prefix(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    prefix: str,
) -> None:
    # The chunk's one-scan test must see a prefix in any row, first or not, and the cell then
    # takes the exact path: written with a leading ' as the Contact path writes it.
    ids = [r[0] for r in varied.conn.execute("SELECT id FROM contacts ORDER BY id")]
    varied.conn.execute("UPDATE contacts SET city = ? WHERE id = ?", (f"{prefix}City", ids[40]))
    (tmp_path / "fast").mkdir()
    (tmp_path / "slow").mkdir()
    fast = varied.export("hubspot", tmp_path / "fast" / "out.csv")
    slow = _slow_export(varied, "hubspot", tmp_path / "slow" / "out.csv", ContactFilter(), True)
    _same(fast, slow)
    assert f"'{prefix}City".encode() in fast.files[0].read_bytes()


def test_a_book_in_an_awkward_folder_is_read_by_the_workers(tmp_path: Path) -> None:
    folder = tmp_path / "Q3 #2 (50%) ?"
    folder.mkdir()
    book = LeadBook.open(folder / "my book.db")
    for n in range(30):
        book.add_contact(_person(n))
    serial = _export(book, "hubspot", folder / "serial.csv", 1)
    two = _export(book, "hubspot", folder / "two.csv", 2)
    book.close()
    assert two.rows == serial.rows == 30
    assert two.files[0].read_bytes() == serial.files[0].read_bytes()


def _person(n: int) -> RawRecord:
    r = RawRecord(row=n + 1)
    for name, value in (("first_name", f"Ana{n}"), ("last_name", "López"), ("email", f"a{n}@x.io")):
        r.add(name, name, value)
    return r
