"""Clean rows in worker processes: phone and email validation dominate an import's time.

Workers receive raw rows (headers and mapping are sent once, at start) and return cleaned
results; the writing stays in the calling process, in the import's single transaction. Chunks
come back in order and only a few are in flight, so memory stays bounded on a 1M-row file.
The "spawn" start method is used so that a desktop app's threads are never forked.

Results travel as plain tuples, not dataclasses: unpickling a chunk of Contact/Cell objects cost
the writing process ~140 µs a row (pickle rebuilds each object through copyreg), tuples plus a
positional constructor ~45 µs. The mapped cells are not sent back: the writer never reads them.

Each chunk travels as pieces of PIECE_ROWS rows: pickling a 2,000-row chunk (the queue's feeder
thread) and unpickling its results (the executor's manager thread) are single C calls that hold
the GIL for 10-100 ms, which froze a desktop UI thread running beside the import; 250 rows cost
~3 ms a call. The chunks yielded are the same.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from operator import attrgetter
from typing import Any

from app.clean.record import CleanResult, clean_record
from app.contact import Company, Contact, ContactPoint, Issue, RawRecord, SourceRef
from importers.mapping import ColumnMapping, to_record

Rows = list[tuple[int, list[str]]]
Cleaned = list[tuple[RawRecord, CleanResult]]
# (row, raw values by column, Contact fields in declaration order, Issue tuples, invalid)
Packed = tuple[int, dict[str, str], list[Any], list[tuple[Any, ...]], bool]
PIECE_ROWS = 250  # rows per task sent to a worker: short pickle calls (see above)


def _getter(cls: type) -> attrgetter[Any]:
    return attrgetter(*(f.name for f in dataclasses.fields(cls)))


_CONTACT_FIELDS = tuple(f.name for f in dataclasses.fields(Contact))
_COMPANY_AT = _CONTACT_FIELDS.index("company")
_POINTS_AT = _CONTACT_FIELDS.index("points")
_SOURCES_AT = _CONTACT_FIELDS.index("sources")
_contact_values = _getter(Contact)
_company_values = _getter(Company)
_point_values = _getter(ContactPoint)
_source_values = _getter(SourceRef)
_issue_values = _getter(Issue)


def pack(rec: RawRecord, result: CleanResult) -> Packed:
    """A cleaned row as plain tuples (cheap to pickle); `unpack` rebuilds an equal pair."""
    values = list(_contact_values(result.contact))
    values[_COMPANY_AT] = _company_values(values[_COMPANY_AT])
    values[_POINTS_AT] = [_point_values(p) for p in values[_POINTS_AT]]
    values[_SOURCES_AT] = [_source_values(s) for s in values[_SOURCES_AT]]
    issues = [_issue_values(i) for i in result.issues]
    return rec.row, rec.raw, values, issues, result.invalid


def unpack(item: Packed) -> tuple[RawRecord, CleanResult]:
    """The (record, result) pair `pack` was given; the record keeps its row and raw values only."""
    row, raw, values, issues, invalid = item
    values[_COMPANY_AT] = Company(*values[_COMPANY_AT])
    values[_POINTS_AT] = [ContactPoint(*p) for p in values[_POINTS_AT]]
    values[_SOURCES_AT] = [SourceRef(*s) for s in values[_SOURCES_AT]]
    contact = Contact(*values)
    return RawRecord(row=row, raw=raw), CleanResult(contact, [Issue(*i) for i in issues], invalid)


_HEADERS: list[str] = []
_MAPPING: list[ColumnMapping] = []
_REGION = "US"


def _init(headers: list[str], mapping: list[ColumnMapping], region: str) -> None:
    global _HEADERS, _MAPPING, _REGION
    _HEADERS, _MAPPING, _REGION = headers, mapping, region


def clean_rows(
    rows: Rows, headers: list[str], mapping: list[ColumnMapping], region: str
) -> Cleaned:
    """Map and clean a chunk of rows (what each worker does; also the single-process path)."""
    out: Cleaned = []
    for number, values in rows:
        rec = to_record(number, values, headers, mapping)
        out.append((rec, clean_record(rec, region)))
    return out


def _work(rows: Rows) -> list[Packed]:
    return [pack(rec, result) for rec, result in clean_rows(rows, _HEADERS, _MAPPING, _REGION)]


def worker_count() -> int:
    """Cleaning workers to start: one per core the process may use, at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


class CleaningPool:
    """A pool of cleaning workers; `map_chunks` yields cleaned chunks in input order."""

    def __init__(
        self, headers: list[str], mapping: list[ColumnMapping], region: str, workers: int
    ) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init,
            initargs=(headers, mapping, region),
        )
        self._depth = workers * 2

    def map_chunks(self, chunks: Iterable[Rows]) -> Iterator[Cleaned]:
        """Clean chunks in the workers, at most 2 per worker in flight, results in order."""
        pending: deque[list[Future[list[Packed]]]] = deque()
        for chunk in chunks:
            pieces = range(0, len(chunk), PIECE_ROWS)
            pending.append([self._pool.submit(_work, chunk[at : at + PIECE_ROWS]) for at in pieces])
            if len(pending) >= self._depth:
                yield _joined(pending.popleft())
        while pending:
            yield _joined(pending.popleft())

    def close(self) -> None:
        """Stop the workers, dropping chunks not yet started (after a cancel or an error)."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _joined(pieces: list[Future[list[Packed]]]) -> Cleaned:
    """One chunk's cleaned rows, from its pieces in order."""
    return [unpack(item) for piece in pieces for item in piece.result()]
