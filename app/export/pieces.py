"""What an export worker does with one piece of the snapshot: render it into a part file.

Two kinds of export render in the workers (app/export/parallel.py): the CSV presets of columns,
through the same ChunkRenderer as the serial path (flat SQL rows), and the Leadsmith CSV layout,
through the same Contact objects and `leadsmith_csv_row` as the serial path. Either way a piece's
lines are encoded with the export's body codec and appended to the piece's own part file, with
each row's end offset when the parent splits files at `max_rows`.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import BinaryIO

from app.export.chunked import ChunkRenderer, Tally, csv_line_maker
from app.export.leadsmith_csv import leadsmith_csv_header, leadsmith_csv_row
from app.export.preflight import RowProblem
from app.export.presets import Preset
from app.export.source import BookContacts
from app.store.contacts import load_contacts

# A RowProblem as a plain tuple: cheap to pickle, rebuilt in the parent.
ProblemTuple = tuple[int | None, str, str, str, str]


@dataclass
class PieceDone:
    """A rendered piece: its tally (problems as tuples) and its rows' end offsets."""

    rows: int
    done: int
    skipped: list[ProblemTuple]
    warnings: list[ProblemTuple]
    warning_count: int
    ends: array[int] | None

    def tally(self, room: int) -> Tally:
        """The piece's Tally, keeping at most `room` of its warnings (the rest stay counted)."""
        tally = Tally(self.rows, self.done)
        tally.skipped = [RowProblem(*t) for t in self.skipped]
        tally.warnings = [RowProblem(*t) for t in self.warnings[: max(room, 0)]]
        tally.warning_count = self.warning_count
        return tally


@dataclass
class _Out:
    """A part file being written, and where each of its rows ends (when the parent splits)."""

    fh: BinaryIO
    encoding: str
    ends: array[int] | None
    written: int = 0

    def write(self, lines: list[str]) -> None:
        text = "".join(lines)
        data = text.encode(self.encoding)
        self.fh.write(data)
        if self.ends is None or not lines:
            return
        lengths: Iterable[int]
        if len(data) == len(text):
            # One byte a character over the whole chunk (no character encodes to less than one
            # byte), so in every line too: a line's bytes are its characters, nothing to encode.
            lengths = map(len, lines)
        else:
            encoding = self.encoding
            lengths = [len(line.encode(encoding)) for line in lines]
        ends = list(accumulate(lengths, initial=self.written))
        del ends[0]
        self.ends.extend(ends)
        self.written = ends[-1]


@dataclass
class PieceRenderer:
    """Renders pieces of one export; built once per worker (its memos serve every piece)."""

    conn: sqlite3.Connection
    preset: Preset
    excluded: frozenset[int]
    skip_invalid: bool
    extra_keys: Sequence[str] = ()
    _flat: ChunkRenderer | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.preset.layout:
            self._flat = ChunkRenderer(self.preset, skip_invalid=self.skip_invalid)

    def render(
        self,
        ids: Sequence[int],
        fh: BinaryIO,
        encoding: str,
        offsets: bool,
        counted: Callable[[int], None],
        stopped: Callable[[], bool],
    ) -> tuple[Tally, array[int] | None] | None:
        """Render `ids` into `fh`; the tally and row ends, or None when told to stop."""
        out = _Out(fh, encoding, array("q") if offsets else None)
        contacts = BookContacts(self.conn, ids, self.excluded)
        tally = Tally()
        if self._flat is not None:
            renderer = self._flat
            for pairs in renderer.query.chunks(contacts):
                lines, found = renderer.render(pairs)
                out.write(renderer.tally(pairs, lines, found, tally))
                counted(len(pairs))
                if stopped():
                    return None
            return tally, out.ends
        # The Leadsmith layout: the serial path's Contacts and row function, in this process.
        keys = list(self.extra_keys)
        line = csv_line_maker(len(leadsmith_csv_header(keys)), self.preset.line_ending)
        neutralize = self.preset.neutralize
        for chunk in contacts.chunks():
            loaded = load_contacts(self.conn, chunk)
            lines = [
                line(leadsmith_csv_row(contact, keys, neutralize=neutralize))
                for i in chunk
                if (contact := loaded.get(i)) is not None
            ]
            out.write(lines)
            tally.rows += len(lines)
            tally.done += len(lines)
            counted(len(lines))
            if stopped():
                return None
        return tally, out.ends


def problem_tuples(problems: list[RowProblem]) -> list[ProblemTuple]:
    """RowProblems as plain tuples (to pickle)."""
    return [(p.contact_id, p.column, p.value, p.message, p.severity) for p in problems]


def piece_done(tally: Tally, ends: array[int] | None, keep_warnings: bool) -> PieceDone:
    """What a worker sends back for a piece; warnings only when the parent may still keep some."""
    return PieceDone(
        tally.rows,
        tally.done,
        problem_tuples(tally.skipped),
        problem_tuples(tally.warnings) if keep_warnings else [],
        tally.warning_count,
        ends,
    )


def open_book(path: str, layout: bool) -> sqlite3.Connection:
    """A read-only connection of a worker to the book file at `path`."""
    from pathlib import Path

    # as_uri percent-encodes: a folder named "Q3 #2 (50%)" must not break the URI.
    conn = sqlite3.connect(Path(path).as_uri() + "?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA cache_size = -65536")
    if layout:
        conn.row_factory = sqlite3.Row  # load_contacts reads columns by name
    return conn
