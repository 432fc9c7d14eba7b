"""A big CSV export rendered by worker processes, piece by piece of the id snapshot.

Reading the rows and rendering them is all Python (~30 µs of CPU a contact): one core cannot
write a million contacts in 15 s, two can. The snapshot is cut into pieces (about eight per
worker) handed out as workers free up, so neither idles while the other finishes a slow half.
Each worker opens the book read-only and renders a piece with the serial path's own renderer
(app/export/pieces.py) into the piece's hidden part file (the `.NAME.<hex>.part` pattern the
stale-part sweep knows). The parent appends each finished piece, in snapshot order, behind the
header while the workers render the next ones (`on_part`: split at `max_rows` by the row offsets
a worker records), merges the tallies in order, and the caller renames atomically: the bytes,
rows, skips and warnings are the serial path's (tests/app/export/test_export_parallel.py).
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app.errors import JobCancelled
from app.export.chunked import MAX_WARNINGS, Tally
from app.export.pieces import PieceDone, PieceRenderer, open_book, piece_done
from app.export.presets import Preset, _preset_to_dict, preset_from_dict
from app.export.source import ID_CHUNK, BookContacts
from app.jobs import Cancelled, Progress, check_cancelled

WORKERS = 2  # one per core of the machines this is built for; the early pool starts as many
PARALLEL_MIN = 40_000  # below this, starting two processes (~0.5 s) costs more than it saves
POLL_SECONDS = 0.1  # how often the parent looks at progress and cancel while the workers run
COPY_BLOCK = 1 << 20
PIECES_PER_WORKER = 8  # handed out on demand: a worker that is done early takes the next piece
MIN_PIECE = 5 * ID_CHUNK  # smaller pieces cost a part file and a round trip for little balance
AHEAD = 2  # pieces handed to each worker ahead of the one it renders
_NEVER = 1 << 62


def worker_count(preset: Preset, contacts: BookContacts, wanted: int | None = None) -> int:
    """How many processes render this export: `wanted`, else 2 for a big one on 2+ cores; 1
    (the serial path) for an in-memory book or a codec parts cannot be encoded apart in."""
    if not _splittable(preset, contacts.conn):
        return 1
    if wanted is not None:
        return max(1, wanted)
    return WORKERS if _cores() >= 2 and len(contacts.ids) >= PARALLEL_MIN else 1


def _splittable(preset: Preset, conn: sqlite3.Connection) -> bool:
    # Workers open the book's file (none for an in-memory book) and encode their parts apart.
    return bool(book_path(conn)) and body_encoding(preset.encoding) is not None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def early_pool(preset: Preset, conn: sqlite3.Connection, selective: bool) -> RenderPool | None:
    """Workers started before the snapshot is taken (they load while it runs), or None.

    Only for a book big enough to export in workers and a filter that is not `selective` (a
    list, a tag, a search: those usually select far fewer than PARALLEL_MIN contacts). When the
    snapshot turns out small after all, write_export stops the pool unused.
    """
    if selective or not _splittable(preset, conn) or _cores() < 2:
        return None
    top = conn.execute("SELECT max(id) FROM contacts").fetchone()[0]
    return RenderPool(book_path(conn), WORKERS) if (top or 0) >= PARALLEL_MIN else None


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


def piece_starts(count: int, workers: int) -> tuple[list[int], int]:
    """Where each piece of a `count`-id snapshot starts, and the piece size (whole id chunks)."""
    size = max(MIN_PIECE, -(-count // (workers * PIECES_PER_WORKER)))
    if size > ID_CHUNK:  # whole chunks: the serial path's SQL reads, piece or not
        size = -(-size // ID_CHUNK) * ID_CHUNK
    return list(range(0, count, size)) or [0], size


@dataclass(frozen=True)
class Part:
    """A finished part file: its rows and where each ends (when files are split)."""

    path: Path
    rows: int
    ends: array[int] | None


@dataclass
class _Setup:
    """What every piece of one export shares (sent once to each worker)."""

    preset: dict[str, Any]
    excluded: frozenset[int]
    skip_invalid: bool
    offsets: bool  # record where each row ends (the parent splits files at max_rows)
    extra_keys: list[str]


@dataclass
class _Piece:
    """One piece of the snapshot and the part file it goes to."""

    index: int
    ids: array[int]
    part: str


def _work(
    path: str, setup_queue: Any, tasks: Any, results: Any, stop: Any, done: Any, keep: Any
) -> None:
    """Worker: take pieces until told there are no more; render each into its part file."""
    try:
        gc.disable()  # short-lived, no reference cycles: the collector only costs time here
        setup: _Setup | None = setup_queue.get()
        if setup is None:
            return
        preset = preset_from_dict(setup.preset, where=f"preset {setup.preset['name']}")
        encoding = body_encoding(preset.encoding) or preset.encoding
        conn = open_book(path, bool(preset.layout))
        renderer = PieceRenderer(conn, preset, setup.excluded, setup.skip_invalid, setup.extra_keys)

        def counted(n: int) -> None:
            done.value += n

        while not stop.is_set():
            piece: _Piece | None = tasks.get()
            if piece is None:
                break
            fh: BinaryIO
            with open(piece.part, "wb") as fh:
                got = renderer.render(piece.ids, fh, encoding, setup.offsets, counted, stop.is_set)
            if got is None:
                results.put((piece.index, None))
                return
            tally, ends = got
            # The parent keeps the first MAX_WARNINGS in snapshot order: once the pieces before
            # this one hold that many, its warnings are only counted.
            results.put((piece.index, piece_done(tally, ends, piece.index < keep.value)))
        conn.close()
    except BaseException as exc:  # the parent re-raises it: the export fails as it would serially
        results.put((-1, exc))


@dataclass
class RenderPool:
    """Export worker processes over one book file, each waiting for its export's setup."""

    path: str
    workers: int
    context: Any = field(default_factory=lambda: multiprocessing.get_context("spawn"))

    def __post_init__(self) -> None:
        ctx = self.context
        self.closed = False
        self.results = ctx.Queue()
        self.tasks = ctx.Queue()
        self.stop = ctx.Event()
        self.setups = [ctx.Queue() for _ in range(self.workers)]
        self.counters = [ctx.Value("q", 0, lock=False) for _ in range(self.workers)]
        self.keep = ctx.Value("q", _NEVER, lock=False)
        self.processes = [
            ctx.Process(
                target=_work,
                args=(
                    self.path,
                    self.setups[i],
                    self.tasks,
                    self.results,
                    self.stop,
                    self.counters[i],
                    self.keep,
                ),
                daemon=True,
            )
            for i in range(self.workers)
        ]
        for process in self.processes:
            process.start()

    def done(self) -> int:
        """Contacts the workers have rendered so far."""
        return sum(c.value for c in self.counters)

    def check_alive(self) -> None:
        """Raise when a worker ended without a result (killed, or out of memory)."""
        if not self.results.empty():
            return
        for i, process in enumerate(self.processes):
            if not process.is_alive() and process.exitcode:
                raise RuntimeError(f"export worker {i} ended with code {process.exitcode}")
        if not any(p.is_alive() for p in self.processes):
            raise RuntimeError("the export workers ended before the last piece")

    def finish(self) -> None:
        """Wait for the workers to end (after the last piece)."""
        for process in self.processes:
            process.join()
        self._close()

    def abort(self) -> None:
        """Stop the workers after the chunk each is rendering; drain their results; end them."""
        if self.closed:
            return
        self.stop.set()
        for setup in self.setups:
            setup.put(None)  # a worker still waiting for its setup
        for _ in self.processes:
            self.tasks.put(None)  # a worker waiting for a piece
        for _ in range(100):  # ~10 s at most: a worker stops after the chunk it is rendering
            if not any(p.is_alive() for p in self.processes):
                break
            with contextlib.suppress(queue.Empty):
                self.results.get(timeout=POLL_SECONDS)
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        # A setup or piece no worker read keeps its queue's feeder thread writing into a full
        # pipe: read them back here so that thread can end.
        for q in (self.tasks, *self.setups):
            with contextlib.suppress(queue.Empty, OSError, EOFError):
                while True:
                    q.get(timeout=0.01)
        self._close()

    def _close(self) -> None:
        self.closed = True
        for q in (self.results, self.tasks, *self.setups):
            q.close()
            q.cancel_join_thread()  # nothing left that anyone waits for (see abort)


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
    on_part: Callable[[Part], None],
    keep_alive: Callable[[], None] = lambda: None,
    extra_keys: Sequence[str] = (),
    pool: RenderPool | None = None,
) -> Tally:
    """Render the export in `workers` processes, handing each finished piece to `on_part` in
    snapshot order (its part file is deleted right after); the merged tally.

    On cancel or error every part is deleted and the workers are stopped.
    """
    ids = contacts.ids
    starts, size = piece_starts(len(ids), workers)
    parts = [out.with_name(f".{out.name}.{secrets.token_hex(6)}.part") for _ in starts]
    tally = Tally()
    finished: dict[int, PieceDone] = {}
    following = 0  # the next piece to hand to on_part
    try:
        if pool is None:
            pool = RenderPool(book_path(contacts.conn), workers)
        setup = _Setup(
            _preset_to_dict(preset),
            frozenset(contacts.excluded),
            skip_invalid,
            # Row ends only when a file can split: never past max_rows rows, no split (HubSpot's
            # 1,048,575 at 1M), and a part is then copied whole.
            preset.max_rows is not None and len(ids) > preset.max_rows,
            list(extra_keys),
        )
        for setup_queue in pool.setups:
            setup_queue.put(setup)
        sent = 0
        running = pool

        def send(upto: int) -> int:
            # Pieces go out a few at a time, each with its own ids (~0.5 MB at 1M): a whole
            # snapshot pickled at once held the GIL long enough to stall the desktop's UI thread
            # (173 ms), and pieces waiting in a full pipe would hold up a cancel.
            for k in range(sent, min(upto, len(starts))):
                piece_ids = array("q", ids[starts[k] : starts[k] + size])
                running.tasks.put(_Piece(k, piece_ids, str(parts[k])))
                if k == len(starts) - 1:
                    for _ in range(running.workers):
                        running.tasks.put(None)
            return max(sent, min(upto, len(starts)))

        sent = send(workers * AHEAD)
        while following < len(parts):
            try:
                index, outcome = pool.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                pool.check_alive()
            else:
                if isinstance(outcome, BaseException):
                    raise outcome
                if outcome is None:
                    raise JobCancelled()
                finished[index] = outcome
                sent = send(sent + 1)
                while following in finished:
                    got = finished.pop(following)
                    tally.merge(got.tally(MAX_WARNINGS - len(tally.warnings)))
                    if len(tally.warnings) >= MAX_WARNINGS:
                        pool.keep.value = min(pool.keep.value, following + 1)
                    on_part(Part(parts[following], got.rows, got.ends))
                    delete_parts([parts[following]])
                    following += 1
            check_cancelled(cancelled)
            for part in parts[following:]:  # a sweep by another export must not take them
                with contextlib.suppress(OSError):
                    os.utime(part)
            keep_alive()
            progress(pool.done(), total)
        pool.finish()
    except BaseException:
        if pool is not None:
            pool.abort()
        delete_parts(parts)
        raise
    return tally


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
