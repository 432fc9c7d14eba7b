"""The dedupe run: exact stages in SQL, fuzzy stage over blocks, scores, then groups.

Stages, strictest first: same normalized email (not role addresses) → same canonical LinkedIn URL →
same E.164 personal phone (not one shared by more than three live contacts, nor a company
switchboard) → plus-address variants (suggestions only) → fuzzy names within blocks. Every pair is
scored in numpy (`vector.scores`, equal to `score.score_pair`) and those reaching the floor get
their reasons from `score_pair` when a group shows them; pairs a user rejected are dropped; groups
are the connected components of the strongest pairs (a maximum spanning forest, capped in size so a
chain of uncertain links cannot swallow a town; an uncertain link never joins a certain group).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import itemgetter

import numpy as np
from numpy.typing import NDArray

from app.clean.email import is_role_address
from app.dedupe.keys import (
    FETCH_ROWS,
    Table,
    candidate_pairs,
    column,
    load_table,
    row_numbers,
)
from app.dedupe.score import (
    PLUS_ADDRESS,
    SAME_EMAIL,
    SAME_LINKEDIN,
    SAME_PHONE,
    PairScore,
    score_pair,
    summary,
)
from app.dedupe.vector import Columns, scores
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress

MAX_PHONE_SHARERS = 3  # a number more live contacts share is a switchboard, not a person's
# A group grows by uncertain links to this many contacts at most, so a chain of look-alikes
# cannot swallow a town; certain links (each one a merge on its own) may make it bigger: a
# person on many event lists is imported many times.
MAX_GROUP = 10
MAX_CERTAIN_GROUP = 40
_CHUNK = 200_000  # pairs scored per numpy pass: bounded memory, progress per pass
_CONVERT = 10_000  # Python pairs turned into a numpy array per call

_LIVE = "c.merged_into IS NULL AND c.deleted_at IS NULL"


@dataclass(frozen=True)
class DuplicateGroup:
    """Contacts that look like one person: ids (lowest first), the weakest link's score, reasons."""

    ids: tuple[int, ...]
    score: int
    reasons: tuple[str, ...]
    certain: bool = False

    def as_json(self) -> dict[str, object]:
        """The `dedupe --json` group shape (DESIGN §8), plus whether it would merge automatically."""
        return {
            "ids": list(self.ids),
            "score": self.score,
            "reasons": list(self.reasons),
            "certain": self.certain,
        }


# Keys held by more than one point, found over the covering index (kind, value, contact_id) in
# C, then only their points read: a tenth of the points in a typical book.
_SHARED_POINTS = """
WITH shared AS (
    SELECT kind, value FROM contact_points INDEXED BY points_key
    WHERE value IS NOT NULL GROUP BY kind, value HAVING count(*) > 1
)
SELECT p.kind, p.value, p.contact_id
FROM shared JOIN contact_points p INDEXED BY points_key ON p.kind = shared.kind AND p.value = shared.value
WHERE p.status != 'invalid' AND (p.kind != 'url' OR p.label = 'linkedin')"""
_STAGES = {"email": SAME_EMAIL, "url": SAME_LINKEDIN, "phone": SAME_PHONE}


def _grouped(conn: sqlite3.Connection) -> list[tuple[str, str, tuple[int, ...]]]:
    cur = conn.execute(_SHARED_POINTS)
    cur.arraysize = FETCH_ROWS
    rows = iter(lambda: cur.fetchmany(), [])
    return [
        (kind, value, tuple(int(r[2]) for r in members))
        for (kind, value), members in groupby(
            (r for batch in rows for r in batch), key=itemgetter(0, 1)
        )
    ]


class SharedPoints:
    """The points whose key is held more than once, read on a second connection in a thread.

    The GROUP BY runs inside SQLite, which releases the GIL, so it overlaps with the Python
    work of loading the contacts table. An in-memory book has no second connection: read inline.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._groups: list[tuple[str, str, tuple[int, ...]]] = []
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
        if path:
            self._thread = threading.Thread(target=self._read, args=(path,), daemon=True)
            self._thread.start()
        else:
            self._groups = _grouped(conn)

    def _read(self, path: str) -> None:
        try:
            other = sqlite3.connect(path)
            try:
                other.execute("PRAGMA busy_timeout = 10000")
                self._groups = _grouped(other)
            finally:
                other.close()
        except BaseException as exc:  # handed to the caller's thread in rows()
            self._error = exc

    def groups(self) -> list[tuple[str, str, tuple[int, ...]]]:
        """(kind, value, contact ids) per shared key; waits for the thread."""
        self.wait()
        if self._error is not None:
            raise self._error
        return self._groups

    def wait(self) -> None:
        """Let the reading thread end (also when the caller gives up early)."""
        if self._thread is not None:
            self._thread.join()


def exact_pairs(
    conn: sqlite3.Connection, table: Table, shared: SharedPoints | None = None
) -> dict[tuple[int, int], int]:
    """(a, b) contact-id pairs, a < b, sharing an email, LinkedIn URL or personal phone -> flags.

    `table` holds the live contacts: points of merged or deleted contacts link nobody."""
    switchboards = {
        r[0] for r in conn.execute("SELECT DISTINCT phone FROM companies WHERE phone != ''")
    }
    ids = column(table.ids, np.int64)
    groups = (shared or SharedPoints(conn)).groups()
    _, live = row_numbers(ids, [cid for _, _, cids in groups for cid in cids])
    alive = iter(live.tolist())
    flags: dict[tuple[int, int], int] = {}
    for kind, value, cids in groups:
        members = [cid for cid in cids if next(alive)]
        if kind == "phone" and value in switchboards:
            continue  # the company's own number
        if kind == "email" and is_role_address(value):
            continue  # info@, sales@: shared by design, never a key
        sharers = sorted(set(members))
        if len(sharers) < 2:
            continue
        if kind == "phone" and len(sharers) > MAX_PHONE_SHARERS:
            continue  # a number many people share is a switchboard
        _link_all(flags, sharers, _STAGES[kind])
    for group in _plus_groups(conn):
        _link_all(flags, group, PLUS_ADDRESS)
    return flags


def _plus_groups(conn: sqlite3.Connection) -> list[list[int]]:
    """Contacts whose addresses differ only by a "+tag" (a+news@x.com, a@x.com)."""
    bases: dict[str, set[int]] = {}
    for cid, value in conn.execute(
        f"""SELECT p.contact_id, p.value FROM contact_points p JOIN contacts c ON c.id = p.contact_id
            WHERE p.kind = 'email' AND p.value LIKE '%+%@%' AND p.status != 'invalid' AND {_LIVE}"""
    ):
        local, _, domain = value.rpartition("@")
        bases.setdefault(local.split("+", 1)[0] + "@" + domain, set()).add(int(cid))
    for base, ids in bases.items():
        for (cid,) in conn.execute(
            f"""SELECT p.contact_id FROM contact_points p JOIN contacts c ON c.id = p.contact_id
                WHERE p.kind = 'email' AND p.value = ? AND {_LIVE}""",
            (base,),
        ):
            ids.add(int(cid))
    return [sorted(ids) for ids in bases.values() if len(ids) > 1]


def _link_all(flags: dict[tuple[int, int], int], ids: list[int], flag: int) -> None:
    # Every pair of a small group; a star around the first for a big one (a shared address).
    if len(ids) <= 6:
        pairs = [(a, b) for n, a in enumerate(ids) for b in ids[n + 1 :]]
    else:
        pairs = [(ids[0], b) for b in ids[1:]]
    for pair in pairs:
        flags[pair] = flags.get(pair, 0) | flag


def rejected_pairs(conn: sqlite3.Connection) -> set[tuple[int, int]]:
    """Pairs a user said are not the same person (a < b)."""
    return {(int(a), int(b)) for a, b in conn.execute("SELECT a, b FROM dedupe_rejections")}


class ScoredPairs:
    """Scored pairs as columns, strongest first; a pair becomes a `PairScore` only when asked.

    A million-contact run keeps hundreds of thousands of pairs: as PairScore objects (each with its
    `explain` partial) they were millions of tracked containers, and every full gc pass that their
    growth set off walked them all with the GIL held (a frozen desktop for 100s of ms)."""

    def __init__(self, table: Table, columns: dict[str, NDArray[np.int64]]) -> None:
        self.table = table
        order = np.lexsort((columns["b"], columns["a"], -columns["score"]))
        self._cols = {name: values[order] for name, values in columns.items()}
        self.a, self.b, self.score = self._cols["a"], self._cols["b"], self._cols["score"]

    def __len__(self) -> int:
        return len(self.a)

    def pair(self, k: int) -> PairScore:
        """The k-th strongest pair, with its reasons on demand."""
        c = self._cols
        i, j, flag = int(c["i"][k]), int(c["j"][k]), int(c["flag"][k])
        explain = partial(_reasons, self.table, i, j, flag)
        return PairScore(int(c["a"][k]), int(c["b"][k]), int(c["score"][k]), explain=explain)

    def __iter__(self) -> Iterator[PairScore]:
        return (self.pair(k) for k in range(len(self)))


def score_all(
    conn: sqlite3.Connection,
    min_score: int,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ScoredPairs:
    """Every pair of live contacts scoring at least `min_score`, from all stages, strongest first.

    Candidate pairs (blocks, plus every exact-stage pair) are scored in numpy in chunks; only
    those reaching `min_score` are kept, with a way to give their reasons (`PairScore.why`)."""
    table = Table()
    try:
        return _score_all(conn, table, min_score, progress, cancelled)
    except BaseException:
        table.release()  # a cancelled scan frees its table without a long GIL hold too
        raise


def _score_all(
    conn: sqlite3.Connection,
    table: Table,
    min_score: int,
    progress: Progress,
    cancelled: Cancelled,
) -> ScoredPairs:
    shared = SharedPoints(conn)
    try:
        load_table(conn, into=table)
        check_cancelled(cancelled)
        flags = exact_pairs(conn, table, shared)
    finally:
        shared.wait()
    check_cancelled(cancelled)
    ids = column(table.ids, np.int64)
    n = len(ids)
    pairs = candidate_pairs(table)
    exact_codes, exact_flags = _row_codes(ids, list(flags), list(flags.values()))
    del flags  # a dict keyed by tuples: tracked, walked by every gc pass while it lives
    # Every exact-stage pair is scored, blocked together or not; rejected pairs never are.
    pairs = np.concatenate([pairs, exact_codes[~_within(exact_codes, pairs)]])
    rejected, _ = _row_codes(ids, sorted(rejected_pairs(conn)), [])
    pairs = pairs[~_within(pairs, rejected)]
    check_cancelled(cancelled)
    cols = Columns(table)
    kept: dict[str, list[NDArray[np.int64]]] = {
        k: [] for k in ("a", "b", "i", "j", "flag", "score")
    }
    total = len(pairs)
    for start in range(0, total, _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        at = np.minimum(np.searchsorted(exact_codes, chunk), max(len(exact_codes) - 1, 0))
        pair_flags = (
            np.where(exact_codes[at] == chunk, exact_flags[at], 0)
            if len(exact_codes)
            else np.zeros(len(chunk), np.int64)
        )
        rows_i, rows_j = chunk // n, chunk % n
        scored = scores(cols, rows_i, rows_j, pair_flags)
        keep = np.flatnonzero(scored >= min_score)
        # vector.scores equals score_pair (test_vector checks it); the reasons, a Python call
        # per pair, are only worked out for the pairs a group shows.
        for name, values in (("a", ids[rows_i[keep]]), ("b", ids[rows_j[keep]]),
                             ("i", rows_i[keep]), ("j", rows_j[keep]),
                             ("flag", pair_flags[keep]), ("score", scored[keep])):  # fmt: skip
            kept[name].append(values.astype(np.int64))
        progress(min(start + len(chunk), total), total)
        check_cancelled(cancelled)
    progress(total, total)
    empty = np.zeros(0, np.int64)
    return ScoredPairs(table, {k: np.concatenate(v) if v else empty for k, v in kept.items()})


def _reasons(table: Table, i: int, j: int, flag: int) -> tuple[str, ...]:
    return score_pair(table, i, j, flag)[1]


def _within(values: NDArray[np.int64], ordered: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which values occur in the sorted array `ordered`."""
    if not len(ordered):
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return np.asarray(ordered[at] == values)


def _row_codes(
    ids: NDArray[np.int64], pairs: list[tuple[int, int]], flags: list[int]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Contact-id pairs (a < b) as sorted row codes i * n + j, with their flags, live rows only."""
    n = len(ids)
    if not pairs or not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    # In slices: one np.array call over 100,000s of tuples holds the GIL for ~100 ms.
    ab = np.concatenate([
        np.array(pairs[k : k + _CONVERT], dtype=np.int64).reshape(-1, 2)
        for k in range(0, len(pairs), _CONVERT)
    ])  # fmt: skip
    values = np.array(flags, dtype=np.int64) if flags else np.zeros(len(ab), np.int64)
    i = np.minimum(np.searchsorted(ids, ab[:, 0]), n - 1)
    j = np.minimum(np.searchsorted(ids, ab[:, 1]), n - 1)
    live = (ids[i] == ab[:, 0]) & (ids[j] == ab[:, 1])
    codes = i[live] * n + j[live]
    order = np.argsort(codes, kind="stable")
    return codes[order], values[live][order]


def build_groups(pairs: Sequence[PairScore] | ScoredPairs, auto_score: int) -> list[DuplicateGroup]:
    """Groups from scored pairs (strongest first), each with its weakest link and its reasons.

    Contacts joined by certain links stay a certain group of their own: a doubtful link to one of
    them (a namesake, a look-alike at 80) would make the whole group's weakest link doubtful and
    keep every certain merge in it from happening. That link shows again once they are merged."""
    if not isinstance(pairs, ScoredPairs):
        given = sorted(pairs, key=lambda p: (-p.score, p.a, p.b))
        scores_, a_ids, b_ids = ([p.score for p in given], [p.a for p in given],
                                 [p.b for p in given])  # fmt: skip
        link: Callable[[int], PairScore] = given.__getitem__
    else:
        scores_, a_ids, b_ids = pairs.score.tolist(), pairs.a.tolist(), pairs.b.tolist()
        link = pairs.pair
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    edges: dict[int, list[int]] = {}  # root -> positions of its links (PairScores made at the end)
    certain: set[int] = set()  # roots of groups joined by certain links

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k, (score, a, b) in enumerate(zip(scores_, a_ids, b_ids, strict=True)):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        sure = score >= auto_score
        if not sure and (ra in certain or rb in certain):
            continue  # pairs come strongest first: every certain group is whole by now
        ma, mb = members.get(ra, [ra]), members.get(rb, [rb])
        if len(ma) + len(mb) > (MAX_CERTAIN_GROUP if sure else MAX_GROUP):
            continue
        if sure:
            certain.add(ra)
        parent[rb] = ra
        members[ra] = ma + mb
        edges[ra] = edges.get(ra, []) + edges.pop(rb, []) + [k]
        members.pop(rb, None)
    groups = []
    for r, ids in members.items():
        links = [link(k) for k in edges[r]]
        weakest = min(x.score for x in links)
        reasons: tuple[str, ...]
        if len(links) == 1:
            reasons = (summary(links[0].why(), links[0].score),)
        else:
            reasons = tuple(f"#{x.a}–#{x.b}: {summary(x.why(), x.score)}" for x in links)
        groups.append(DuplicateGroup(tuple(sorted(ids)), weakest, reasons, weakest >= auto_score))
    groups.sort(key=lambda g: (-g.score, g.ids))
    return groups


def pairs_for(
    table: Table, row: int, flags: dict[int, int]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Score one row of a small table against every other row: (contact id, score, reasons)."""
    out = []
    for j in range(len(table)):
        if j == row:
            continue
        score, reasons = score_pair(table, row, j, flags.get(table.ids[j], 0))
        if score > 0:
            out.append((table.ids[j], score, reasons))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out
