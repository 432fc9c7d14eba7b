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
from app.errors import InvalidValue, JobCancelled
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


def _pieces(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """Cut the snapshot into pieces of `size` ids (the workers take them as they free up)."""
    monkeypatch.setattr(parallel, "MIN_PIECE", size)
    monkeypatch.setattr(parallel, "PIECES_PER_WORKER", 1_000)


@pytest.mark.parametrize(
    ("piece", "starts"),
    [
        (5_000, ([0, 5_000, 10_000, 15_000], 5_000)),
        (1, ([0, 3, 6, 9, 12, 15], 3)),  # 16 ids, 2 workers × 3 pieces: 3 ids a piece
    ],
)
def test_pieces_cover_the_snapshot_in_order(
    monkeypatch: pytest.MonkeyPatch, piece: int, starts: tuple[list[int], int]
) -> None:
    monkeypatch.setattr(parallel, "MIN_PIECE", piece)
    monkeypatch.setattr(parallel, "PIECES_PER_WORKER", 3)
    count = 16 if piece == 1 else 20_000
    assert parallel.piece_starts(count, 2) == starts
    assert parallel.piece_starts(0, 2) == ([0], piece if piece > 1 else 1)
    # Big snapshots: pieces are whole chunks of 1,000 ids (the serial path's SQL reads).
    monkeypatch.setattr(parallel, "MIN_PIECE", 5_000)
    monkeypatch.setattr(parallel, "PIECES_PER_WORKER", 8)
    assert parallel.piece_starts(1_000_000, 2) == (list(range(0, 1_000_000, 63_000)), 63_000)


@pytest.mark.parametrize(("name", "size"), [("hubspot", 7), ("salesforce-wizard", 4), ("zoho", 1)])
def test_many_small_pieces_write_the_serial_bytes(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    size: int,
) -> None:
    _pieces(monkeypatch, size)
    serial, two = _both(varied, tmp_path, name)
    _same(two, serial)
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == ["out.csv"]


def test_small_pieces_split_files_where_the_serial_export_does(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Pieces of 5 ids and files of 3 rows: file boundaries fall inside pieces and across them.
    _pieces(monkeypatch, 5)
    varied.set_setting("export_overrides", json.dumps({"salesforce-wizard": {"max_rows": 3}}))
    serial, two = _both(varied, tmp_path, "salesforce-wizard")
    _same(two, serial)
    assert [p.name for p in two.files] == [f"out-{i}.csv" for i in range(1, len(two.files) + 1)]
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(p.name for p in two.files)


def test_kept_warnings_are_the_first_in_snapshot_order(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Keep 5 warnings: the parent keeps the first pieces' and tells the workers to stop sending.
    import app.export.chunked as chunked

    _pieces(monkeypatch, 6)
    monkeypatch.setattr(chunked, "MAX_WARNINGS", 5)
    monkeypatch.setattr(parallel, "MAX_WARNINGS", 5)
    serial, two = _both(varied, tmp_path, "hubspot")
    _same(two, serial)
    assert len(two.warnings) == 5 and two.warning_count > 20


def _leadsmith(book: LeadBook, out: Path, workers: int, **options: object) -> ExportResult:
    selection = book.export_selection(ContactFilter(), "csv")
    ids = book.snapshot(selection)
    preset = options.pop("preset", None) or book.presets()["csv"]
    return write_export(
        preset,  # type: ignore[arg-type]
        BookContacts(book.conn, ids, book.export_exclusions()),
        out,
        workers=workers,
        total=len(ids),
        extra_keys=book.extra_keys(selection),
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("size", "max_rows"), [(1_000, None), (7, None), (5, 3)])
def test_the_leadsmith_layout_in_workers_writes_the_serial_bytes(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
    max_rows: int | None,
) -> None:
    _pieces(monkeypatch, size)
    preset = replace(varied.presets()["csv"], max_rows=max_rows)
    (tmp_path / "serial").mkdir()
    (tmp_path / "two").mkdir()
    serial = _leadsmith(varied, tmp_path / "serial" / "all.csv", 1, preset=preset)
    two = _leadsmith(varied, tmp_path / "two" / "all.csv", 2, preset=preset)
    assert [p.read_bytes() for p in two.files] == [p.read_bytes() for p in serial.files]
    assert (two.rows, two.skipped, two.warnings) == (serial.rows, [], [])
    assert two.rows == varied.count(ContactFilter()) - 2  # every contact but the DNC and suppressed
    text = two.files[0].read_text(encoding="utf-8-sig")
    assert text.startswith("Leadsmith ID,Prefix,") and "Connected On" in text.splitlines()[0]
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == sorted(p.name for p in two.files)


def test_the_desktop_csv_export_goes_to_workers_and_reimports_losslessly(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    serial = varied.export("csv", tmp_path / "serial.csv")
    members = [r[0] for r in varied.conn.execute("SELECT contact_id FROM export_members")]
    varied.conn.execute("DELETE FROM exports")
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    _pieces(monkeypatch, 9)
    seen: list[tuple[int, int]] = []
    two = varied.export("csv", tmp_path / "two.csv", progress=lambda d, t: seen.append((d, t)))
    assert two.files[0].read_bytes() == serial.files[0].read_bytes()
    assert sorted(r[0] for r in varied.conn.execute("SELECT contact_id FROM export_members")) == (
        sorted(members)
    )
    assert [d for d, _t in seen] == sorted(d for d, _t in seen) and seen[-1] == (
        two.rows,
        two.rows + 1,  # the suppressed contact is in the snapshot but never written
    )


def test_cancel_of_a_leadsmith_export_in_workers_leaves_no_file_and_no_history(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    _pieces(monkeypatch, 4)
    (tmp_path / "out").mkdir()
    calls = iter([False])  # the start passes; the first look while the workers run cancels
    with pytest.raises(JobCancelled):
        varied.export("csv", tmp_path / "out" / "all.csv", cancelled=lambda: next(calls, True))
    assert list((tmp_path / "out").iterdir()) == []
    assert varied.exports() == []


def _big(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the 120-contact book count as big on two cores."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)


@pytest.mark.parametrize(
    ("f", "started"),
    [
        (ContactFilter(), True),
        (ContactFilter(status="SQL"), True),  # may select many: start, stop unused if not
        (ContactFilter(list_name="Q3"), False),
        (ContactFilter(tag="vip"), False),
        (ContactFilter(search="ana"), False),
    ],
)
def test_workers_start_before_the_snapshot_only_for_a_broad_selection(
    varied: LeadBook,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    f: ContactFilter,
    started: bool,
) -> None:
    _big(monkeypatch)
    selective = bool(f.search or f.list_name or f.tag)
    pool = parallel.early_pool(varied.presets()["hubspot"], varied.conn, selective)
    assert (pool is not None) == started
    if pool is not None:
        pool.abort()
        assert not any(p.is_alive() for p in pool.processes)
    memory = LeadBook.open(":memory:")
    assert parallel.early_pool(memory.presets()["hubspot"], memory.conn, False) is None
    memory.close()


@pytest.mark.parametrize("name", ["hubspot", "csv"])
def test_workers_started_early_for_a_small_selection_are_stopped_unused(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    import multiprocessing

    serial = varied.export(name, tmp_path / "serial.csv", ContactFilter(status="SQL"))
    _big(monkeypatch)  # the book now counts as big; the SQL contacts (< 10) do not
    assert 0 < serial.rows < 10
    early = varied.export(name, tmp_path / "early.csv", ContactFilter(status="SQL"))
    assert early.files[0].read_bytes() == serial.files[0].read_bytes()
    assert multiprocessing.active_children() == []
    with pytest.raises(InvalidValue):  # fails before it renders: the early workers are stopped
        varied.export(name, tmp_path / "no such folder" / "x.csv")
    assert multiprocessing.active_children() == []
    assert len(varied.exports()) == 2
