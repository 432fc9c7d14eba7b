"""Clean rows in worker processes: phone and email validation dominate an import's time.

Workers receive raw rows (headers and mapping are sent once, at start) and return cleaned
results; the writing stays in the calling process, in the import's single transaction. Chunks
come back in order and only a few are in flight, so memory stays bounded on a 1M-row file.
The "spawn" start method is used so that a desktop app's threads are never forked.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from app.clean.record import CleanResult, clean_record
from app.contact import RawRecord
from importers.mapping import ColumnMapping, to_record

Rows = list[tuple[int, list[str]]]
Cleaned = list[tuple[RawRecord, CleanResult]]

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


def _work(rows: Rows) -> Cleaned:
    return clean_rows(rows, _HEADERS, _MAPPING, _REGION)


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
        pending: deque[Future[Cleaned]] = deque()
        for chunk in chunks:
            pending.append(self._pool.submit(_work, chunk))
            if len(pending) >= self._depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        """Stop the workers, dropping chunks not yet started (after a cancel or an error)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
