"""Clean rows in worker processes: phone and email validation dominate an import's time.

Workers receive raw rows (headers and mapping are sent once, at start) and return cleaned
results; the writing stays in the calling process, in the import's single transaction. Chunks
come back in order and only a few are in flight, so memory stays bounded on a 1M-row file.
The "spawn" start method is used so that a desktop app's threads are never forked.

Results travel as plain tuples, not dataclasses: unpickling a chunk of Contact/Cell objects cost
the writing process ~140 µs a row (pickle rebuilds each object through copyreg), tuples plus a
positional constructor ~45 µs. The mapped cells are not sent back: the writer never reads them.

Each chunk travels as pieces of PIECE_ROWS rows: pickling a 2,000-row chunk (the queue's feeder
thread) and unpickling its results (the writer's thread) are single C calls that hold the GIL
for 10-100 ms, which froze a desktop UI thread running beside the import; 250 rows cost ~3 ms a
call. The chunks yielded are the same.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.queues import Queue
from operator import attrgetter
from queue import Empty
from typing import Any

from app.clean.record import CleanResult, clean_record
from app.contact import Company, Contact, ContactPoint, Issue, RawRecord, SourceRef
from app.ingest import raw_json
from importers.mapping import ColumnMapping, RowMapper

Rows = list[tuple[int, list[str]]]
Cleaned = list[tuple[RawRecord, CleanResult]]
# (row, raw values as JSON or by column, Contact fields in declaration order, Issue tuples, invalid)
Packed = tuple[int, str | dict[str, str], list[Any], list[tuple[Any, ...]], bool]
PIECE_ROWS = 250  # rows per task sent to a worker: short pickle calls (see above)
CHUNKS_IN_FLIGHT = 4  # per worker: ~8,000 rows queued each, a few MB of pickled results
_POLL_SECONDS = 0.5  # how often a wait for results checks that the worker is still alive
# The garbage collector of a process that imports: a row's objects die by reference counting, and
# what outlives them is caches (a worker's cleaning caches: ~200,000 objects once full). With
# Python's default thresholds a full collection walked them every ~2,000 rows, each 35 ms growing
# to 430 ms: ~100 µs a row by 200,000 rows, as much as a worker's cleaning itself (measured with gc
# callbacks: bench/README.md, issue 3 session 7). These collect the young generation every 20,000 net allocations and
# the old one almost never. Only for processes without a UI: a worker, and the import's writer
# (the CLI, or the desktop's import child).
IMPORT_GC_THRESHOLDS = (20_000, 20, 100)


@contextmanager
def few_collections() -> Iterator[None]:
    """IMPORT_GC_THRESHOLDS for the time of the block (a process without a UI that imports)."""
    saved = gc.get_threshold()
    gc.set_threshold(*IMPORT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


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


def pack(rec: RawRecord, result: CleanResult, raw_as_json: bool = False) -> Packed:
    """A cleaned row as plain tuples (cheap to pickle); `unpack` rebuilds an equal pair.

    With `raw_as_json` (an import's workers) the raw values travel as the JSON the book stores,
    encoded here: the writer no longer spends ~17 µs a row encoding it, and one string pickles
    cheaper than the dict. Otherwise the record's raw dict travels as it is.
    """
    values = list(_contact_values(result.contact))
    values[_COMPANY_AT] = _company_values(values[_COMPANY_AT])
    values[_POINTS_AT] = [_point_values(p) for p in values[_POINTS_AT]]
    values[_SOURCES_AT] = [_source_values(s) for s in values[_SOURCES_AT]]
    issues = [_issue_values(i) for i in result.issues]
    return rec.row, raw_json(rec) if raw_as_json else rec.raw, values, issues, result.invalid


def unpack(item: Packed) -> tuple[RawRecord, CleanResult]:
    """The pair `pack` was given; the record keeps its row and raw values (or `raw_json` has them)."""
    row, raw, values, issues, invalid = item
    values[_COMPANY_AT] = Company(*values[_COMPANY_AT])
    values[_POINTS_AT] = [ContactPoint(*p) for p in values[_POINTS_AT]]
    values[_SOURCES_AT] = [SourceRef(*s) for s in values[_SOURCES_AT]]
    contact = Contact(*values)
    found = [Issue(*i) for i in issues]
    if isinstance(raw, str):
        return RawRecord(row=row), CleanResult(contact, found, invalid, raw)
    return RawRecord(row=row, raw=raw), CleanResult(contact, found, invalid)


_MAPPER = RowMapper([], [])
_REGION = "US"
_RAW_AS_JSON = False


def _init(
    headers: list[str], mapping: list[ColumnMapping], region: str, raw_as_json: bool = False
) -> None:
    global _MAPPER, _REGION, _RAW_AS_JSON
    _MAPPER, _REGION, _RAW_AS_JSON = RowMapper(headers, mapping), region, raw_as_json


def clean_rows(
    rows: Rows, headers: list[str], mapping: list[ColumnMapping], region: str
) -> Cleaned:
    """Map and clean a chunk of rows (the single-process path; workers do the same)."""
    return _clean(rows, RowMapper(headers, mapping), region)


def _clean(rows: Rows, mapper: RowMapper, region: str) -> Cleaned:
    out: Cleaned = []
    for number, values in rows:
        rec = mapper(number, values)
        out.append((rec, clean_record(rec, region)))
    return out


def _work(rows: Rows) -> list[Packed]:
    return [pack(rec, result, _RAW_AS_JSON) for rec, result in _clean(rows, _MAPPER, _REGION)]


def worker_count() -> int:
    """Cleaning workers to start: one per core the process may use, at least 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)


class CleaningPool:
    """Cleaning worker processes; `map_chunks` yields cleaned chunks in input order.

    Each worker has its own task and result queue and cleans the pieces dealt to it in turn, so
    results come back in order without any bookkeeping thread in this process. A worker sends
    its results through a multiprocessing.Queue, whose feeder thread (in the worker) writes
    them: the worker goes on cleaning while this process is busy writing to the book, instead
    of blocking on a full pipe (a piece's results are ~130 KB; a pipe holds 64 KB). The
    ProcessPoolExecutor used before shared one result pipe between the workers and drained it
    from a thread competing for this process's GIL: at 30k rows the writer waited on results
    while both workers waited on the pipe, and the import was slower than one process.
    """

    def __init__(
        self,
        headers: list[str],
        mapping: list[ColumnMapping],
        region: str,
        workers: int,
        raw_as_json: bool = False,
    ) -> None:
        """`raw_as_json`: send each row's raw values as `CleanResult.raw_json` (see `pack`)."""
        ctx = multiprocessing.get_context("spawn")
        self._tasks: list[Queue[Rows | None]] = [ctx.Queue() for _ in range(workers)]
        self._results: list[Queue[list[Packed] | BaseException]] = [
            ctx.Queue() for _ in range(workers)
        ]
        self._procs = [
            ctx.Process(
                target=_serve,
                args=(tasks, results, headers, mapping, region, raw_as_json),
                name=f"leadsmith-clean-{n}",
                daemon=True,
            )
            for n, (tasks, results) in enumerate(zip(self._tasks, self._results, strict=True))
        ]
        for proc in self._procs:
            proc.start()
        self._next = 0  # the worker the next piece is dealt to
        self._depth = workers * CHUNKS_IN_FLIGHT
        self._finished = False

    def map_chunks(self, chunks: Iterable[Rows]) -> Iterator[Cleaned]:
        """Clean chunks in the workers, CHUNKS_IN_FLIGHT per worker at most, results in order."""
        pending: deque[list[int]] = deque()  # per chunk in flight: the worker of each piece
        for chunk in chunks:
            dealt = []
            for at in range(0, len(chunk), PIECE_ROWS):
                worker = self._next
                self._next = (worker + 1) % len(self._procs)
                self._tasks[worker].put(chunk[at : at + PIECE_ROWS])
                dealt.append(worker)
            pending.append(dealt)
            if len(pending) >= self._depth:
                yield self._collect(pending.popleft())
        while pending:
            yield self._collect(pending.popleft())
        self._finished = True

    def _collect(self, workers: list[int]) -> Cleaned:
        """One chunk's cleaned rows, from its pieces in order."""
        return [unpack(item) for worker in workers for item in self._receive(worker)]

    def _receive(self, worker: int) -> list[Packed]:
        while True:
            try:
                got = self._results[worker].get(timeout=_POLL_SECONDS)
            except Empty:
                if self._procs[worker].exitcode is not None:
                    raise BrokenProcessPool(
                        f"a cleaning worker stopped (exit code {self._procs[worker].exitcode})"
                    ) from None
                continue
            if isinstance(got, BaseException):
                raise got
            return got

    def close(self) -> None:
        """Stop the workers; after a cancel or an error, drop the pieces not yet cleaned."""
        for tasks in self._tasks:
            tasks.put(None)
        for proc in self._procs:
            if self._finished:
                proc.join(_POLL_SECONDS * 4)
            if proc.is_alive():  # cancelled, failed, or stuck sending results nobody reads
                proc.terminate()
                proc.join()
        queues: list[Queue[Any]] = [*self._tasks, *self._results]
        for queue in queues:
            queue.cancel_join_thread()  # never wait at exit on a pipe no process reads
            queue.close()


def _serve(
    tasks: Queue[Rows | None],
    results: Queue[list[Packed] | BaseException],
    headers: list[str],
    mapping: list[ColumnMapping],
    region: str,
    raw_as_json: bool,
) -> None:
    """A worker: clean each piece it is sent and send the packed rows back, until None."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    _init(headers, mapping, region, raw_as_json)
    with few_collections():
        while (rows := tasks.get()) is not None:
            try:
                results.put(_work(rows))
            except Exception as exc:  # a bug, not a bad row: the writer raises it and rolls back
                results.put(_sendable(exc))


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    """End this worker when the writer's process ends without stopping it (killed, crashed).

    The worker would otherwise wait forever: it holds both ends of its pipes (no EOF comes),
    and a writer killed mid-message leaves half a message it would wait to complete.
    """
    parent.join()
    os._exit(0)  # nothing to clean up: a worker owns no file and no transaction


def _sendable(exc: Exception) -> Exception:
    """The exception itself if it pickles, else its text (an unpicklable one would be lost)."""
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
