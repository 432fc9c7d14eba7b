"""What the fuzzy stage reads: a compact, columnar table of live contacts, and its blocking keys.

A million contacts are read with one SQL query into arrays of small integer codes (company, city,
title…) and two lists of interned name skeletons; no Contact objects are built. Blocking keys keep
the compared pairs near-linear: only contacts of the same organisation (or, for contacts without
one, the same city and surname) are compared, and oversized blocks are compared in a sliding window.
"""

from __future__ import annotations

import sqlite3
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.clean.email import ROLE_LOCAL_PARTS
from app.clean.web import is_free_mail
from app.dedupe.names import first_initial, fold, skeleton

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
    """Live contacts as parallel columns; row i describes contact ids[i]."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    first: list[str] = field(default_factory=list)  # first-name skeleton
    last: list[str] = field(default_factory=list)  # last-name skeleton
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

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, row: tuple[object, ...]) -> None:
        """Add one contact: (id, first, last, company key, city, title, country)."""
        cid, first, last, company, city, title, country = row
        code = self.vocab.code
        self.ids.append(int(cid))  # type: ignore[call-overload]
        self.first.append(_interned_skeleton(str(first or ""), True))
        self.last.append(_interned_skeleton(str(last or ""), False))
        self.company.append(code("c:" + str(company)) if company else 0)
        self.city.append(code("t:" + _folded(str(city))) if city else 0)
        self.title.append(code("j:" + _folded(str(title))) if title else 0)
        self.country.append(code("k:" + str(country).upper()) if country else 0)
        self.domain.append(0)
        self.email.append(0)
        self.linkedin.append(0)

    def add_point(self, i: int, kind: str, value: str) -> None:
        """Record an email or LinkedIn URL of row i (the first work address and domain count)."""
        if kind != "email":
            if not self.linkedin[i]:
                self.linkedin[i] = hash(value)
            return
        local, _, dom = value.rpartition("@")
        if not dom or is_free_mail(dom):
            return  # free mail is no company evidence
        if not self.domain[i]:
            self.domain[i] = self.vocab.code("d:" + dom)
        base = local.split("+", 1)[0]
        if not self.email[i] and base not in ROLE_LOCAL_PARTS:
            self.email[i] = hash(base + "@" + dom)


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
) -> Table:
    """Read live contacts (all, or those `where` selects, an SQL condition on `c`) into a Table."""
    table = Table() if into is None else into
    offset = len(table)
    sql = _SELECT + (f" AND ({where})" if where else "") + " ORDER BY c.id"
    cur = conn.execute(sql, params)
    cur.arraysize = 5000
    while rows := cur.fetchmany():
        for row in rows:
            table.append(tuple(row))
    ids = table.ids
    if where:
        chosen = ",".join(str(ids[n]) for n in range(offset, len(table)))
        cur = conn.execute(_POINTS + f" AND contact_id IN ({chosen}) ORDER BY id")
    else:
        cur = conn.execute(_POINTS + " ORDER BY id")
    cur.arraysize = 10_000
    end = len(table)
    while rows := cur.fetchmany():
        for cid, kind, value in rows:
            n = bisect_left(ids, cid, offset, end)
            if n < end and ids[n] == cid:
                table.add_point(n, kind, value)
    return table


def block_keys(t: Table, i: int) -> Iterator[tuple[int, str]]:
    """The blocks row i belongs to, as (block key, name used to order a big block)."""
    last, first = t.last[i], t.first[i]
    if not (last or first):
        return
    sort_name = last + " " + first
    orgs = [o for o in (t.company[i], t.domain[i]) if o]
    li, fi = last[:1], first_initial(first)
    if orgs:
        for org in dict.fromkeys(orgs):
            # Surname initial catches typos, nicknames and initials; the first-name initial catches
            # first and last names given the other way round.
            for letter in dict.fromkeys(x for x in (li, fi) if x):
                yield (org << 8) | ord(letter[0]) % 256, sort_name
    elif t.city[i] and last:
        # No company evidence at all: name + city is the only way to find this person again.
        yield (
            -((t.city[i] << 32) | (t.vocab.code("s:" + last) << 8) | (ord(fi) % 256 if fi else 0)),
            first,
        )


def candidate_pairs(t: Table) -> Iterator[tuple[int, int]]:
    """Pairs of row indexes (i < j) that share a block; a pair may come up more than once."""
    entries: list[tuple[int, str, int]] = []
    for i in range(len(t)):
        for key, name in block_keys(t, i):
            entries.append((key, name, i))
    entries.sort()
    start = 0
    n = len(entries)
    while start < n:
        key = entries[start][0]
        end = start + 1
        while end < n and entries[end][0] == key:
            end += 1
        size = end - start
        if size > 1:
            window = size if size <= MAX_BLOCK else MAX_BLOCK
            for x in range(start, end):
                a = entries[x][2]
                for y in range(x + 1, min(x + window, end)):
                    b = entries[y][2]
                    yield (a, b) if a < b else (b, a)
        start = end
