"""A search inside a table's ordered snapshot: its first matches without ordering every match.

A search in a table sorted by anything but id has no index that yields its matches in order, so
SQL collects every match and sorts them before the first row (0.3–1.2 s at 1M for a prefix such
as "ma": 371k matches). The table already holds the order of its whole unsearched snapshot, and
the search's result is that order with the contacts that do not match left out. Two ways find
its first page, taking turns until one is done:

- the walk goes down the order and tests each contact's indexed text, folded exactly as the
  book's FTS5 tokenizer folds it (app/search_fold.py), so a prefix that one contact in 20
  matches is done after ~1,300 contacts. Every walk starts at the top, so the texts of the
  order's first contacts are kept (read ahead while the table is idle): a walk over them costs
  well under 1 µs a contact, against ~10 µs for a random read of its row;
- the collection reads every match from the book's FTS index (its cost grows with the matches,
  not the book) and keeps the best-ranked, by a rank map of the order built once.

Which one wins depends on how common the term is and where its matches sit in the order: the one
that looks nearer done takes the next step, each step refining the guesses. Both give exactly
what `page_ids` gives for the searched filter while the book is unchanged
(tests/app/test_search_order.py holds them to it).
"""

from __future__ import annotations

import re
import sqlite3
import time
from array import array

import numpy as np

from app.jobs import Cancelled, check_cancelled
from app.query import fast_fts_query, fts_query
from app.search_fold import Block, Folds, folds_of, has_indexed_text, read_block, search_patterns

_NOT_IN = 2**31 - 1  # the rank of an id the order does not hold
BLOCK = 256  # contacts per Block; a walk step takes 1, 2, then 4
MAX_STEP_BLOCKS = 4
COLLECT_GUESS = 0.010  # s: what the collection is taken to need before it has measured itself
FIRST_COLLECT = 1_024  # matches the collection reads first, to measure the term
PRIOR_CONTACTS = 1_024  # how much the book-wide match rate weighs in a walk's guess
# Blocks kept per order (the texts of its first KEPT_BLOCKS * BLOCK contacts, ~100 bytes each);
# PREPARED_BLOCKS of them are read ahead while the table is idle.
KEPT_BLOCKS = 192
PREPARED_BLOCKS = 128


class OrderedIds:
    """A snapshot's ordered ids, each id's position in it (built on first use), and the folded
    texts of its first contacts (kept as walks read them)."""

    def __init__(self, ids: array[int]) -> None:
        self.ids = ids
        self._rank: np.ndarray | None = None
        self.blocks: list[Block] = []  # of the order's first len(blocks) * BLOCK contacts

    def prepare(self, conn: sqlite3.Connection, cancelled: Cancelled = lambda: False) -> None:
        """Build the rank map and the Blocks of the order's first contacts, where every walk
        starts (~0.3 s at 1M, done while the table is idle)."""
        self.rank()
        folds = folds_of(conn)
        for n in range(min(PREPARED_BLOCKS, -(-len(self.ids) // BLOCK))):
            check_cancelled(cancelled)
            self.block(conn, folds, n)

    @property
    def prepared(self) -> bool:
        """True once `prepare` has run to its end (nothing left to read while idle)."""
        return self._rank is not None and len(self.blocks) >= min(
            PREPARED_BLOCKS, -(-len(self.ids) // BLOCK)
        )

    def block(self, conn: sqlite3.Connection, folds: Folds, n: int) -> Block:
        """The Block of the order's contacts n * BLOCK onwards (kept when it extends the kept)."""
        if n < len(self.blocks):
            return self.blocks[n]
        block = read_block(conn, folds, self.ids[n * BLOCK : (n + 1) * BLOCK].tolist())
        if n == len(self.blocks) and n < KEPT_BLOCKS:
            self.blocks.append(block)
        return block

    def ranks_of(self, ids: np.ndarray) -> np.ndarray:
        """The positions in the order of those `ids` it holds (in `ids`' order)."""
        rank = self.rank()
        ranks = rank[ids[ids < len(rank)]]  # ids above the order's top are not in it
        return ranks[ranks != _NOT_IN]

    def rank(self) -> np.ndarray:
        """rank[id] = the id's position in the order (_NOT_IN when absent); ~15 ms at 1M."""
        if self._rank is None:
            ids = np.frombuffer(self.ids, dtype=np.int64) if self.ids else np.zeros(0, np.int64)
            rank = np.full(int(ids.max()) + 1 if len(ids) else 1, _NOT_IN, dtype=np.int32)
            rank[ids] = np.arange(len(ids), dtype=np.int32)
            self._rank = rank
        return self._rank


def first_matches(
    conn: sqlite3.Connection,
    order: OrderedIds,
    search: str,
    limit: int,
    cancelled: Cancelled = lambda: False,
) -> list[int] | None:
    """The first `limit` ids of `order` whose contact matches `search` (as the FTS index does);
    None when a search word is not one token (e.g. "o_neil") or the index keeps no copy of the
    text: `page_ids` answers those."""
    if not fts_query(search):
        return order.ids[:limit].tolist()
    if not has_indexed_text(conn):
        return None  # an index without its own copy of the text (external content): SQL
    folds = folds_of(conn)
    patterns = search_patterns(conn, folds, search)
    if patterns is None:
        return None
    race = _Race(conn, order, patterns, folds, search, limit)
    try:
        # The way that looks nearer done takes the next step; each step refines the guesses.
        while True:
            check_cancelled(cancelled)
            if race.walk_left() <= race.collect_left():
                if race.walk_step():
                    return race.found[:limit]
            elif race.collect_step():
                return race.collected()
    finally:
        race.close()


def all_matches(
    conn: sqlite3.Connection, order: OrderedIds, search: str, cancelled: Cancelled = lambda: False
) -> array[int]:
    """Every id of `order` whose contact matches `search`, in the order's order (what
    `snapshot_ids` gives for the searched filter while the book is unchanged): the matches from
    the book's index ranked by the order, not sorted by SQL (2.4-5.4 s for "d" at 1M)."""
    if not fts_query(search):
        return array("q", order.ids)
    order.rank()
    check_cancelled(cancelled)
    matches = _index_matches(conn, fast_fts_query(conn, search))
    check_cancelled(cancelled)
    ranks = np.sort(order.ranks_of(matches))
    return array("q", np.frombuffer(order.ids, dtype=np.int64)[ranks].tobytes())


def _index_matches(conn: sqlite3.Connection, query: str, from_rowid: int = 0) -> np.ndarray:
    """The rowids the book's index matches for an FTS5 `query`, from `from_rowid` on.

    group_concat hands them over as one string, half the cost of a row per match through a
    cursor, read as integers in one C pass (splitting it in Python cost 8x more)."""
    text = conn.execute(
        "SELECT group_concat(rowid) FROM contacts_fts WHERE contacts_fts MATCH ? AND rowid >= ?",
        (query, from_rowid),
    ).fetchone()[0]
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


class _Race:
    """The walk and the collection of one search, with what each has measured so far."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        order: OrderedIds,
        patterns: list[re.Pattern[str]],
        folds: Folds,
        search: str,
        limit: int,
    ) -> None:
        self.conn, self.order, self.patterns, self.folds = conn, order, patterns, folds
        self.search, self.limit = search, limit
        self.found: list[int] = []
        self.walked, self.step_blocks, self.per_contact = 0, 1, 0.0
        self.cursor: sqlite3.Cursor | None = None
        self.parts: list[np.ndarray] = []
        self.in_order = 0  # matches collected that the order holds
        self.collect_spent, self.last_rowid = 0.0, 0
        self.rate: float | None = None  # the share of the order's contacts that match (collected)

    def walk_left(self) -> float:
        """Seconds the walk should still need: the contacts left to walk at the match rate seen
        (leaning on the collection's book-wide rate while it has seen few), times the cost per
        contact of its last step (a cached text costs ~1 µs, a read one ~10)."""
        if self.walked == 0:
            return 0.0
        found = len(self.found)
        if self.rate is None:
            rate = (found + 0.5) / (self.walked + 1)
        else:  # the book-wide rate counts as PRIOR_CONTACTS contacts walked
            rate = (found + PRIOR_CONTACTS * self.rate) / (self.walked + PRIOR_CONTACTS)
        to_walk = min((self.limit - found) / max(rate, 1e-9), len(self.order.ids) - self.walked)
        return to_walk * self.per_contact

    def walk_step(self) -> bool:
        """Test the next Blocks of the order; True when the page is full or the order walked."""
        start = time.perf_counter()
        ids, first = self.order.ids, self.walked
        for _ in range(self.step_blocks):
            n = self.walked // BLOCK
            block = self.order.block(self.conn, self.folds, n)
            self.found.extend(ids[n * BLOCK + k] for k in block.matching(self.patterns))
            self.walked = min((n + 1) * BLOCK, len(ids))
            if len(self.found) >= self.limit or self.walked >= len(ids):
                break
        self.per_contact = (time.perf_counter() - start) / max(self.walked - first, 1)
        self.step_blocks = min(self.step_blocks * 2, MAX_STEP_BLOCKS)
        return len(self.found) >= self.limit or self.walked >= len(ids)

    def collect_left(self) -> float:
        """Seconds the collection should still need (matches come in rowid order: the last rowid
        says how far it is); a guess before its first step, so a walk nearly done goes on."""
        if self.cursor is None:
            return COLLECT_GUESS
        top = len(self.order.rank())
        return self.collect_spent * max(top - self.last_rowid, 0) / max(self.last_rowid, 1)

    def collect_step(self) -> bool:
        """Read matches from the book's index: a first batch to measure the term, then the rest
        in one statement; True when all are read."""
        start = time.perf_counter()
        self.order.rank()  # built here, so its cost counts in the collection's time
        query = fast_fts_query(self.conn, self.search)
        if self.cursor is None:
            self.cursor = self.conn.execute(
                "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?", (query,)
            )
            self.cursor.row_factory = None
            batch = self.cursor.fetchmany(FIRST_COLLECT)
            part = np.fromiter((r[0] for r in batch), dtype=np.int64, count=len(batch))
            done = len(batch) < FIRST_COLLECT
        else:
            # The rest in one statement. (In rowid ranges, each range paid the prefix's term
            # merge again: 10 ms a range for "mart"*.)
            self.cursor.close()
            part = _index_matches(self.conn, query, self.last_rowid)
            done = True
        if len(part):
            self.parts.append(part)
            self.last_rowid = int(part[-1]) + 1
            self.in_order += len(self.order.ranks_of(part))
            # The order's contacts among the rowids read so far, if they are spread evenly.
            top = len(self.order.rank())
            share = len(self.order.ids) * min(self.last_rowid / top, 1.0)
            self.rate = self.in_order / max(share, 1.0)
        self.collect_spent += time.perf_counter() - start
        return done

    def collected(self) -> list[int]:
        """The first `limit` of the order among every match collected."""
        matches = np.concatenate(self.parts) if self.parts else np.zeros(0, np.int64)
        ranks = self.order.ranks_of(matches)
        if len(ranks) > self.limit:
            ranks = np.partition(ranks, self.limit)[: self.limit]
        return [self.order.ids[r] for r in np.sort(ranks).tolist()]

    def close(self) -> None:
        """Let the collection's statement go (a search cut short)."""
        if self.cursor is not None:
            self.cursor.close()
