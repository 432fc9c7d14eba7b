"""What the fuzzy stage reads: a compact, columnar table of live contacts, and its blocking keys.

A million contacts are read with one SQL query into arrays of small integer codes (company, city,
title, and first and last name skeletons); no Contact objects are built. Blocking keys keep the
compared pairs near-linear: only contacts of the same organisation (or, for contacts without one,
the same city and surname) are compared, and oversized blocks are compared in a sliding window.
The blocks and their pairs are computed in numpy, over the whole table at once.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray

from app.clean.email import ROLE_LOCAL_PARTS
from app.clean.web import is_free_mail
from app.dedupe.names import first_initial, fold, skeleton

# Rows per fetchmany: one call holds the GIL for its whole batch (SQLite lets it go only inside
# each step), so a desktop UI thread waits for at most this many rows (~1 ms), not 20,000.
FETCH_ROWS = 1_000

# A block bigger than this is compared in a sliding window over its members sorted by name, so a
# giant company or a common surname in a capital costs O(n·window) instead of O(n²).
MAX_BLOCK = 60

_LIVE = "c.merged_into IS NULL AND c.deleted_at IS NULL"

_SELECT = f"""
SELECT c.id, c.first_name, c.last_name, coalesce(co.name_norm, ''), c.city, c.job_title, c.country
FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
WHERE {_LIVE}"""
# One sequential scan for every contact's emails and LinkedIn URL: far cheaper than a correlated
# subquery per contact.
_POINTS = """
SELECT contact_id, kind, value FROM contact_points NOT INDEXED
WHERE value IS NOT NULL AND status != 'invalid' AND (kind = 'email' OR label = 'linkedin')"""


class Vocabulary:
    """Interns strings as small integer codes (0 is reserved for "no value")."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {"": 0}

    def code(self, value: str) -> int:
        """The code of a value, assigning the next one the first time it is seen."""
        found = self.codes.get(value)
        if found is None:
            found = self.codes[value] = len(self.codes)
        return found


@dataclass
class Table:
    """Live contacts as parallel columns; row i describes contact ids[i].

    Names are codes into `names` (the distinct skeletons, "" first), so the vectorized stage can
    compare each distinct pair of names once."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    first: array[int] = field(default_factory=lambda: array("i"))  # first-name skeleton code
    last: array[int] = field(default_factory=lambda: array("i"))  # last-name skeleton code
    company: array[int] = field(default_factory=lambda: array("i"))  # normalized company name
    domain: array[int] = field(
        default_factory=lambda: array("i")
    )  # work email domain (not free mail)
    city: array[int] = field(default_factory=lambda: array("i"))
    title: array[int] = field(default_factory=lambda: array("i"))
    country: array[int] = field(default_factory=lambda: array("i"))
    email: array[int] = field(
        default_factory=lambda: array("q")
    )  # hash of the first personal work email
    linkedin: array[int] = field(default_factory=lambda: array("q"))  # hash of the LinkedIn URL
    vocab: Vocabulary = field(default_factory=Vocabulary)
    names: list[str] = field(default_factory=lambda: [""])
    name_codes: dict[str, int] = field(default_factory=lambda: {"": 0})
    # Raw value -> code, per column: a million rows hold a few tens of thousands of values each.
    _seen: dict[str, dict[object, int]] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def name_code(self, skeleton_text: str) -> int:
        """The code of a name skeleton, assigning the next one the first time it is seen."""
        found = self.name_codes.get(skeleton_text)
        if found is None:
            found = self.name_codes[skeleton_text] = len(self.names)
            self.names.append(skeleton_text)
        return found

    def first_name(self, i: int) -> str:
        """Row i's first-name skeleton."""
        return self.names[self.first[i]]

    def last_name(self, i: int) -> str:
        """Row i's last-name skeleton."""
        return self.names[self.last[i]]

    def append(self, row: tuple[object, ...]) -> None:
        """Add one contact: (id, first, last, company key, city, title, country)."""
        cid, first, last, company, city, title, country = row
        code = self.vocab.code
        self.ids.append(int(cid))  # type: ignore[call-overload]
        self.first.append(self.name_code(_interned_skeleton(str(first or ""), True)))
        self.last.append(self.name_code(_interned_skeleton(str(last or ""), False)))
        self.company.append(code("c:" + str(company)) if company else 0)
        self.city.append(code("t:" + _folded(str(city))) if city else 0)
        self.title.append(code("j:" + _folded(str(title))) if title else 0)
        self.country.append(code("k:" + str(country).upper()) if country else 0)
        self.domain.append(0)
        self.email.append(0)
        self.linkedin.append(0)

    def extend(self, rows: list[tuple[object, ...]]) -> None:
        """Add many contacts (each as `append` takes it), column by column."""
        if not rows:
            return
        cid, first, last, company, city, title, country = transposed(rows, 7)
        code = self.vocab.code
        self.ids.extend(int(x) for x in cid)  # type: ignore[call-overload]
        columns: list[tuple[array[int], str, tuple[object, ...], Callable[[str], int]]] = [
            (self.first, "first", first, lambda v: self.name_code(skeleton(v, first=True))),
            (self.last, "last", last, lambda v: self.name_code(skeleton(v, first=False))),
            (self.company, "company", company, lambda v: code("c:" + v) if v else 0),
            (self.city, "city", city, lambda v: code("t:" + _folded(v)) if v else 0),
            (self.title, "title", title, lambda v: code("j:" + _folded(v)) if v else 0),
            (self.country, "country", country, lambda v: code("k:" + v.upper()) if v else 0),
        ]
        for target, name, values, make in columns:
            seen = self._seen.setdefault(name, {})
            for value in set(values).difference(seen):
                seen[value] = make(str(value or ""))
            target.extend(map(seen.__getitem__, values))
        zeros = [0] * len(rows)
        self.domain.extend(zeros)
        self.email.extend(zeros)
        self.linkedin.extend(zeros)

    def release(self) -> None:
        """Empty the table a piece at a time (it cannot be used afterwards)."""
        # Dropping a million-row table at once frees its distinct values in one C call: 40 ms
        # with the GIL held on a quiet machine, 150 ms on a busy one, the desktop's UI thread
        # waiting. Popping them runs as bytecode, which lets other threads in every 5 ms.
        maps: list[dict[Any, int]] = [*self._seen.values(), self.name_codes, self.vocab.codes]
        for values in maps:
            while values:
                values.popitem()
        while self.names:
            del self.names[-1_000:]

    def add_points(self, rows: NDArray[np.int64], kinds: list[str], values: list[str]) -> None:
        """`add_point` for many points at once (rows[k] gets kinds[k], values[k]), in order."""
        if not len(rows):
            return
        emails = [k for k, kind in enumerate(kinds) if kind == "email"]
        urls = [k for k, kind in enumerate(kinds) if kind != "email"]
        parts = [values[k].rpartition("@") for k in emails]
        doms = [part[2] for part in parts]
        seen = self._seen.setdefault("domain", {})
        for dom in set(doms).difference(seen):
            # Free mail is no company evidence.
            seen[dom] = 0 if not dom or _is_free_mail(dom) else self.vocab.code("d:" + dom)
        codes = list(map(seen.__getitem__, doms))
        bases = [part[0].split("+", 1)[0] for part in parts]
        domain_of = np.zeros(len(rows), np.int64)
        email_of = np.zeros(len(rows), np.int64)
        url_of = np.zeros(len(rows), np.int64)
        domain_of[emails] = codes
        # Without a "+tag" the address itself is base@domain: hash it as it is.
        email_of[emails] = [
            (
                hash(values[k] if part[1] and len(base) == len(part[0]) else base + "@" + part[2])
                or 1
            )
            if code and base not in ROLE_LOCAL_PARTS
            else 0
            for k, part, base, code in zip(emails, parts, bases, codes, strict=True)
        ]
        url_of[urls] = [hash(values[k]) or 1 for k in urls]
        # The first value of a row wins, over this batch and those before it.
        for target, found, dtype in (
            (self.domain, domain_of, np.int32),
            (self.email, email_of, np.int64),
            (self.linkedin, url_of, np.int64),
        ):
            given = np.flatnonzero(found)
            if not len(given):
                continue
            order = np.argsort(rows[given], kind="stable")
            ordered = rows[given][order]
            starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
            first_rows, first_at = ordered[starts], order[starts]
            view = np.frombuffer(target, dtype=dtype)
            empty = view[first_rows] == 0
            view[first_rows[empty]] = found[given[first_at[empty]]]
            del view  # the array may grow again once no view holds its buffer

    def add_point(self, i: int, kind: str, value: str) -> None:
        """Record an email or LinkedIn URL of row i (the first work address and domain count)."""
        if kind != "email":
            if not self.linkedin[i]:
                self.linkedin[i] = hash(value) or 1
            return
        local, _, dom = value.rpartition("@")
        if not dom or _is_free_mail(dom):
            return  # free mail is no company evidence
        if not self.domain[i]:
            self.domain[i] = self.vocab.code("d:" + dom)
        base = local.split("+", 1)[0]
        if not self.email[i] and base not in ROLE_LOCAL_PARTS:
            self.email[i] = hash(base + "@" + dom) or 1


@lru_cache(maxsize=65_536)
def _is_free_mail(domain: str) -> bool:
    return is_free_mail(domain)


_FOLDED: dict[str, str] = {}


def _folded(text: str) -> str:
    found = _FOLDED.get(text)
    if found is None:
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        found = _FOLDED[text] = fold(text).strip()
    return found


_SKELETONS: dict[tuple[str, bool], str] = {}


def _interned_skeleton(name: str, first: bool) -> str:
    # One string object per distinct name: a million rows share a few tens of thousands of names.
    key = (name, first)
    found = _SKELETONS.get(key)
    if found is None:
        if len(_SKELETONS) > 500_000:
            _SKELETONS.clear()
        found = _SKELETONS[key] = skeleton(name, first=first)
    return found


def load_table(
    conn: sqlite3.Connection,
    where: str = "",
    params: tuple[object, ...] = (),
    into: Table | None = None,
    points: bool = True,
) -> Table:
    """Read live contacts (all, or those `where` selects, an SQL condition on `c`) into a Table.

    With `points=False` the emails and LinkedIn URLs are left for the caller to add (the dedupe
    run reads them in the same scan as its exact keys)."""
    table = Table() if into is None else into
    offset = len(table)
    sql = _SELECT + (f" AND ({where})" if where else "") + " ORDER BY c.id"
    cur = _tuples(conn, sql, params)
    while rows := cur.fetchmany():
        table.extend(rows)
    if points:
        ids = table.ids
        if where:
            chosen = ",".join(str(ids[n]) for n in range(offset, len(table)))
            cur = _tuples(conn, _POINTS + f" AND contact_id IN ({chosen}) ORDER BY id")
        else:
            cur = _tuples(conn, _POINTS + " ORDER BY id")
        mine = column(ids, np.int64)[offset:]
        while rows := cur.fetchmany():
            cids, kinds, values = transposed(rows, 3)
            at, found = row_numbers(mine, list(cids))
            if found.all():
                table.add_points(at + offset, list(kinds), list(values))
                continue
            keep = np.flatnonzero(found).tolist()
            table.add_points(at[keep] + offset, [kinds[k] for k in keep], [values[k] for k in keep])
    return table


def _tuples(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
    # Plain tuples, not the book's sqlite3.Row objects: a million rows are transposed by column.
    cur = conn.cursor()
    cur.row_factory = None
    cur.arraysize = FETCH_ROWS
    return cur.execute(sql, params)


def transposed(rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    """The columns of `rows` (tuples of `width` values), as `zip(*rows)` gives them.

    zip(*rows) makes one tracked iterator per row, all alive at once: 20,000 of them survive into
    the oldest gc generation, so every batch set off a full collection (50–500 ms with the GIL
    held, the desktop's UI thread frozen). itemgetter over the list allocates no such object."""
    return [tuple(map(itemgetter(k), rows)) for k in range(width)]


def row_numbers(
    ids: NDArray[np.int64], wanted: list[int]
) -> tuple[NDArray[np.int64], NDArray[Any]]:
    """Positions of contact ids in sorted `ids`, and whether each one is there at all."""
    cids = np.array(wanted, dtype=np.int64)
    if not len(ids):
        return np.zeros(len(cids), np.int64), np.zeros(len(cids), bool)
    at = np.minimum(np.searchsorted(ids, cids), len(ids) - 1)
    return at, ids[at] == cids


def unique(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """The sorted distinct values (np.unique's hashing path is ~50x slower on int64 here)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def column(values: array[int], dtype: type[np.generic] = np.int32) -> NDArray[Any]:
    """A copy of a table column as a numpy array (a copy, so the table can still grow)."""
    return np.frombuffer(values, dtype=dtype).copy() if len(values) else np.zeros(0, dtype)


def _initials(t: Table) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per name code: the initial as a surname, and the formal initial as a first name (0: none)."""
    as_last = np.zeros(len(t.names), np.int64)
    as_first = np.zeros(len(t.names), np.int64)
    for code, name in enumerate(t.names):
        if name:
            as_last[code] = ord(name[0]) % 256
            as_first[code] = ord(first_initial(name)[0]) % 256
    return as_last, as_first


def _ranks(strings: list[str]) -> NDArray[np.int64]:
    """Each string's position in sorted order."""
    order = sorted(range(len(strings)), key=strings.__getitem__)
    ranks = np.empty(len(strings), np.int64)
    ranks[np.array(order, dtype=np.int64)] = np.arange(len(strings), dtype=np.int64)
    return ranks


def block_entries(t: Table) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int32]]:
    """Every (block key, name rank, row) a row belongs to, sorted: key, then name, then row.

    Contacts with an organisation (company or work email domain) are blocked on it with their
    surname initial and, to catch first and last names given the other way round, the formal
    initial of their first name (Bob -> R); within a block they are ordered by "last first".
    Contacts with neither but a city and a surname are blocked on (city, surname, first initial).
    """
    first, last = column(t.first).astype(np.int64), column(t.last).astype(np.int64)
    company, domain = column(t.company).astype(np.int64), column(t.domain).astype(np.int64)
    city = column(t.city).astype(np.int64)
    rows = np.arange(len(t), dtype=np.int32)
    as_last, as_first = _initials(t)
    li, fi = as_last[last], as_first[first]
    # Order inside an organisation block: "last first" as text, ranked once per distinct pair.
    pair_code = last * len(t.names) + first
    distinct = unique(pair_code)
    inverse = np.searchsorted(distinct, pair_code)
    width = len(t.names)
    full_rank = _ranks([f"{t.names[c // width]} {t.names[c % width]}" for c in distinct.tolist()])
    name_rank = full_rank[inverse.reshape(-1)]
    keys, ranks, members = [], [], []
    has_name = (first != 0) | (last != 0)
    for org in (company, domain):
        for letter, skip in ((li, np.zeros(len(t), bool)), (fi, fi == li)):
            chosen = has_name & (org != 0) & (letter != 0) & ~skip
            keys.append((org[chosen] << 8) | letter[chosen])
            ranks.append(name_rank[chosen])
            members.append(rows[chosen])
    # No company evidence at all: name + city is the only way to find this person again.
    alone = (company == 0) & (domain == 0) & (city != 0) & (last != 0)
    keys.append(-((city[alone] << 32) | (last[alone] << 8) | fi[alone]))
    ranks.append(_ranks(t.names)[first[alone]])
    members.append(rows[alone])
    key, rank, row = np.concatenate(keys), np.concatenate(ranks), np.concatenate(members)
    order = np.lexsort((row, rank, key))
    return key[order], rank[order], row[order]


def candidate_pairs(t: Table) -> NDArray[np.int64]:
    """Rows sharing a block, as sorted unique codes i * len(t) + j (i < j).

    A block of up to MAX_BLOCK members is compared whole; a bigger one in a sliding window of
    MAX_BLOCK over its members in name order."""
    key, _, row = block_entries(t)
    n = len(t)
    found: list[NDArray[np.int64]] = []
    for step in range(1, MAX_BLOCK):
        same = key[step:] == key[:-step]
        if not same.any():
            break  # blocks are contiguous: nothing is `step` apart, so nothing is further apart
        a = row[:-step][same].astype(np.int64)
        b = row[step:][same].astype(np.int64)
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not found:
        return np.zeros(0, np.int64)
    return unique(np.concatenate(found))
