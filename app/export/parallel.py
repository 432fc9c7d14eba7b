"""A big CSV export rendered by two processes, each over its half of the id snapshot.

Reading the rows and rendering them is all Python (~30 µs of CPU a contact): one core cannot
write a million contacts in 15 s, two can. Each worker opens the book read-only, renders its
half with the same ChunkRenderer the serial path uses, and writes the encoded lines to a hidden
part file next to the target (the `.NAME.<hex>.part` pattern the stale-part sweep knows). The
parent then copies the parts, in order, behind the header into the files `_Parts` names (split at
`max_rows` by the row offsets a worker records), merges the tallies, and renames atomically: the
bytes, rows, skips and warnings are the serial path's (tests/app/export/test_export_parallel.py).
Progress is polled from the workers per chunk; a cancel or an error stops them and deletes every
part, so nothing half written is ever left. "spawn", never fork: the desktop has threads.
"""

from __future__ import annotations

import codecs
import contextlib
import gc
import multiprocessing
import os
import queue
import secrets
import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from app.errors import JobCancelled
from app.export.chunked import ChunkRenderer, Tally
from app.export.preflight import RowProblem
from app.export.presets import Preset, _preset_to_dict, preset_from_dict
from app.export.source import BookContacts
from app.jobs import Cancelled, Progress, check_cancelled

PARALLEL_MIN = 40_000  # below this, starting two processes (~0.5 s) costs more than it saves
POLL_SECONDS = 0.1  # how often the parent looks at progress and cancel while the workers run
COPY_BLOCK = 1 << 20

# A RowProblem as a plain tuple: cheap to pickle, rebuilt in the parent.
ProblemTuple = tuple[int | None, str, str, str, str]


def worker_count(preset: Preset, contacts: BookContacts, wanted: int | None = None) -> int:
    """How many processes render this export: `wanted`, else 2 for a big one on 2+ cores; 1
    (the serial path) for an in-memory book or a codec parts cannot be encoded apart in."""
    if not book_path(contacts.conn) or body_encoding(preset.encoding) is None:
        return 1
    if wanted is not None:
        return max(1, wanted)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 and len(contacts.ids) >= PARALLEL_MIN else 1


def book_path(conn: sqlite3.Connection) -> str:
    """The file of a connection's main database ('' for an in-memory book)."""
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return str(file or "")
    return ""


def body_encoding(encoding: str) -> str | None:
    """The codec a part's lines are encoded with, or None when parts cannot be encoded apart.

    A part is encoded on its own and then appended behind the header: that only gives the
    serial path's bytes for a codec without state. utf-8-sig writes its BOM once, with the
    header; the body is plain utf-8. A codec that starts every encode() with a BOM (utf-16)
    would scatter BOMs through the file: such exports stay serial.
    """
    name = codecs.lookup(encoding).name
    body = "utf-8" if name == "utf-8-sig" else name
    if "ab".encode(body) != "a".encode(body) + "b".encode(body):
        return None
    return body


@dataclass(frozen=True)
class Part:
    """A worker's finished part file: its rows and where each ends (when files are split)."""

    path: Path
    rows: int
    ends: array[int] | None


@dataclass
class _Job:
    """What one worker renders: its slice of the snapshot and where its part goes."""

    index: int
    path: str
    preset: dict[str, Any]
    ids: array[int]
    excluded: frozenset[int]
    skip_invalid: bool
    part: str
    offsets: bool  # record where each row ends (the parent splits files at max_rows)


@dataclass
class _Done:
    """A worker's result: its tally with problems as tuples, and its rows' end offsets."""

    rows: int
    done: int
    skipped: list[ProblemTuple]
    warnings: list[ProblemTuple]
    warning_count: int
    ends: array[int] | None


def _tuple(p: RowProblem) -> ProblemTuple:
    return (p.contact_id, p.column, p.value, p.message, p.severity)


def _render_part(job: _Job, done: Any, stop: Any, results: Any) -> None:
    """Worker: render one slice of the snapshot into its part file; report the tally."""
    try:
        gc.disable()  # short-lived, no reference cycles: the collector only costs time here
        preset = preset_from_dict(job.preset, where=f"preset {job.preset['name']}")
        encoding = body_encoding(preset.encoding) or preset.encoding
        # as_uri percent-encodes: a folder named "Q3 #2 (50%)" must not break the URI.
        uri = Path(job.path).as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=30)
        conn.execute("PRAGMA cache_size = -65536")
        renderer = ChunkRenderer(preset, skip_invalid=job.skip_invalid)
        contacts = BookContacts(conn, job.ids, job.excluded)
        tally = Tally()
        ends: array[int] | None = array("q") if job.offsets else None
        written = 0
        with open(job.part, "wb") as fh:
            for pairs in renderer.query.chunks(contacts):
                lines, found = renderer.render(pairs)
                keep = renderer.tally(pairs, lines, found, tally)
                if ends is None:
                    fh.write("".join(keep).encode(encoding))
                else:
                    for line in keep:
                        data = line.encode(encoding)
                        fh.write(data)
                        written += len(data)
                        ends.append(written)
                done.value = tally.done
                if stop.is_set():
                    results.put((job.index, None))
                    return
        conn.close()
        results.put(
            (
                job.index,
                _Done(
                    tally.rows,
                    tally.done,
                    [_tuple(p) for p in tally.skipped],
                    [_tuple(p) for p in tally.warnings],
                    tally.warning_count,
                    ends,
                ),
            )
        )
    except BaseException as exc:  # the parent re-raises it: the export fails as it would serially
        results.put((job.index, exc))


def render_parallel(
    preset: Preset,
    contacts: BookContacts,
    out: Path,
    workers: int,
    *,
    skip_invalid: bool,
    progress: Progress,
    cancelled: Cancelled,
    total: int,
) -> tuple[list[Part], Tally]:
    """Render the export in `workers` processes; the part files in order and the merged tally.

    The caller copies the parts into the export and deletes them (`delete_parts`), whatever
    happens; on cancel or error here they are already deleted.
    """
    ids = contacts.ids
    excluded = frozenset(contacts.excluded)
    bounds = [len(ids) * i // workers for i in range(workers + 1)]
    parts = [out.with_name(f".{out.name}.{secrets.token_hex(6)}.part") for _ in range(workers)]
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    stop = context.Event()
    counters = [context.Value("q", 0, lock=False) for _ in range(workers)]
    data = _preset_to_dict(preset)
    path = book_path(contacts.conn)
    processes = []
    finished: dict[int, _Done] = {}
    try:
        for i in range(workers):
            job = _Job(
                i,
                path,
                data,
                array("q", ids[bounds[i] : bounds[i + 1]]),
                excluded,
                skip_invalid,
                str(parts[i]),
                preset.max_rows is not None,
            )
            process = context.Process(
                target=_render_part, args=(job, counters[i], stop, results), daemon=True
            )
            process.start()
            processes.append(process)
        while len(finished) < workers:
            try:
                index, outcome = results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                for i, process in enumerate(processes):
                    if i not in finished and not process.is_alive() and results.empty():
                        message = f"export worker {i} ended with code {process.exitcode}"
                        raise RuntimeError(message) from None
            else:
                if isinstance(outcome, BaseException):
                    raise outcome
                if outcome is None:
                    raise JobCancelled()
                finished[index] = outcome
            check_cancelled(cancelled)
            for part in parts:  # a sweep by another export must not take them for stale
                with contextlib.suppress(OSError):
                    os.utime(part)
            progress(sum(c.value for c in counters), total)
        for process in processes:
            process.join()
    except BaseException:
        stop.set()
        _stop_workers(processes, results)
        delete_parts(parts)
        raise
    finally:
        results.close()
        results.join_thread()
    tally = Tally()
    files: list[Part] = []
    for i in range(workers):
        got = finished[i]
        one = Tally(got.rows, got.done)
        one.skipped = [RowProblem(*t) for t in got.skipped]
        one.warnings = [RowProblem(*t) for t in got.warnings]
        one.warning_count = got.warning_count
        tally.merge(one)
        files.append(Part(parts[i], got.rows, got.ends))
    return files, tally


def _stop_workers(processes: list[Any], results: Any) -> None:
    """Let the workers see `stop` and end; drain their results so none blocks on a full pipe."""
    for _ in range(100):  # ~10 s at most: a worker stops after the chunk it is rendering
        if not any(p.is_alive() for p in processes):
            break
        with contextlib.suppress(queue.Empty):
            results.get(timeout=POLL_SECONDS)
    for process in processes:
        if process.is_alive():
            process.terminate()
        process.join()


def copy_rows(src: BinaryIO, dst: BinaryIO, start: int, end: int) -> None:
    """Copy bytes [start, end) of one part into an export file."""
    src.seek(start)
    left = end - start
    while left > 0:
        block = src.read(min(COPY_BLOCK, left))
        if not block:
            raise OSError(f"{src.name}: the part ended early")
        dst.write(block)
        left -= len(block)


def delete_parts(parts: Sequence[Path]) -> None:
    """Delete the workers' part files (personal data), whatever state they are in."""
    for part in parts:
        with contextlib.suppress(OSError):
            part.unlink()
