"""Scores for millions of candidate pairs at once: the numbers `score.score_pair` gives, in numpy.

Name similarity is computed once per distinct pair of name skeletons, with one rapidfuzz `cpdist`
call per compared pair of columns (first/first, last/last, first/last, last/first); the additive
evidence of `score_pair` is then a handful of array operations over every pair. Only the pairs that
reach the review floor are scored again one by one, for their reasons. The two must agree exactly
(tests/app/dedupe/test_vector.py checks it on a generated book): a faster score that differs is a
bug, not an approximation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz.distance import Indel
from rapidfuzz.process import cpdist

from app.dedupe.keys import Table, column, unique
from app.dedupe.names import nickname_groups, same_first_name
from app.dedupe.score import (
    DEFAULT_AUTO_SCORE,
    NAME_FLOOR,
    P_COUNTRY,
    P_EMAIL,
    P_LINKEDIN,
    PLUS_ADDRESS,
    PLUS_CAP,
    SAME_EMAIL,
    SAME_LINKEDIN,
    SAME_PHONE,
    W_ALL_AGREE,
    W_CITY,
    W_COMPANY,
    W_DOMAIN,
    W_PHONE,
    W_TITLE,
)

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


class Columns:
    """A table's columns as numpy arrays, and per-name facts the name rules need."""

    def __init__(self, t: Table) -> None:
        self.names = t.names
        self.first = column(t.first).astype(np.int64)
        self.last = column(t.last).astype(np.int64)
        self.company = column(t.company)
        self.domain = column(t.domain)
        self.city = column(t.city)
        self.title = column(t.title)
        self.country = column(t.country)
        self.email = column(t.email, np.int64)
        self.linkedin = column(t.linkedin, np.int64)
        self.length = np.array([len(n) for n in t.names], dtype=np.int64)
        self.initial = np.array([ord(n[0]) if n else 0 for n in t.names], dtype=np.int64)
        groups = nickname_groups()
        self.has_nickname = np.array([n in groups for n in t.names], dtype=bool)


def _distinct(a: Ints, b: Ints, width: int) -> tuple[Ints, Ints, Ints]:
    """The distinct (a, b) code pairs and, per input pair, the index of its distinct pair."""
    codes = a * width + b
    distinct = unique(codes)
    return distinct // width, distinct % width, np.searchsorted(distinct, codes)


def _cpdist(names: list[str], a: Ints, b: Ints) -> Floats:
    """Indel similarity × 100 of names[a[k]] and names[b[k]], as score._ratio computes it."""
    if not len(a):
        return np.zeros(0, np.float64)
    left = [names[x] for x in a.tolist()]
    right = [names[x] for x in b.tolist()]
    sims = cpdist(left, right, scorer=Indel.normalized_similarity, dtype=np.float64, workers=-1)
    return np.asarray(sims, dtype=np.float64) * 100.0


def ratios(c: Columns, a: Ints, b: Ints) -> Floats:
    """score._ratio for every pair of name codes, computed once per distinct pair."""
    da, db, inverse = _distinct(a, b, len(c.names))
    return _cpdist(c.names, da, db)[inverse]


def first_similarities(c: Columns, a: Ints, b: Ints) -> Floats:
    """score._first_similarity's number for every pair of first-name codes."""
    da, db, inverse = _distinct(a, b, len(c.names))
    sim = _cpdist(c.names, da, db)
    initial = ((c.length[da] == 1) | (c.length[db] == 1)) & (c.initial[da] == c.initial[db])
    sim = np.where(initial, 90.0, sim)
    same = da == db
    maybe = np.flatnonzero(~same & c.has_nickname[da] & c.has_nickname[db])
    for k in maybe.tolist():
        same[k] = same_first_name(c.names[int(da[k])], c.names[int(db[k])])
    sim = np.where(same, 100.0, sim)
    sim = np.where((da == 0) | (db == 0), 0.0, sim)
    return sim[inverse]


def name_similarities(c: Columns, i: Ints, j: Ints) -> Ints:
    """score.name_similarity's number for every pair of rows (i[k], j[k])."""
    fa, la, fb, lb = c.first[i], c.last[i], c.first[j], c.last[j]
    straight = 0.4 * first_similarities(c, fa, fb) + 0.6 * ratios(c, la, lb)
    crossed = 0.4 * first_similarities(c, fa, lb) + 0.6 * ratios(c, la, fb)
    name = np.where(
        straight >= 99.5,
        100.0,
        np.where(crossed > straight + 5, np.rint(crossed), np.rint(straight)),
    )
    # One side has no first name: the surname alone, held to a lower score.
    alone = np.rint(ratios(c, np.where(la != 0, la, fa), np.where(lb != 0, lb, fb)) * 0.85)
    name = np.where((fa == 0) | (fb == 0), alone, name)
    name = np.where(((la == 0) & (fa == 0)) | ((lb == 0) & (fb == 0)), 0.0, name)
    return name.astype(np.int64)


def _same(col: NDArray[Any], i: Ints, j: Ints) -> NDArray[np.bool_]:
    return (col[i] != 0) & (col[i] == col[j])


def _differ(col: NDArray[Any], i: Ints, j: Ints) -> NDArray[np.bool_]:
    return (col[i] != 0) & (col[j] != 0) & (col[i] != col[j])


def scores(c: Columns, i: Ints, j: Ints, flags: Ints) -> Ints:
    """score.score_pair's score for every pair of rows (i[k], j[k]) with its exact-stage flags."""
    name = name_similarities(c, i, j)
    names_given = ((c.first[i] != 0) | (c.last[i] != 0)) & ((c.first[j] != 0) | (c.last[j] != 0))
    phone = (flags & SAME_PHONE) != 0
    plus = (flags & PLUS_ADDRESS) != 0
    conflicts = (
        P_COUNTRY * _differ(c.country, i, j)
        + P_LINKEDIN * _differ(c.linkedin, i, j)
        + P_EMAIL * (_differ(c.email, i, j) & (c.domain[i] == c.domain[j]))
    )
    fuzzy = (
        30
        + (name - NAME_FLOOR)
        + W_PHONE * phone
        + W_COMPANY * plus
        + W_COMPANY * _same(c.company, i, j)
        + W_DOMAIN * _same(c.domain, i, j)
        + W_CITY * _same(c.city, i, j)
        + W_TITLE * _same(c.title, i, j)
        - conflicts
    )
    same_name = (name == 100) & (c.first[i] == c.first[j]) & (c.first[i] != 0)
    agree = _same(c.company, i, j) & _same(c.city, i, j) & _same(c.title, i, j)
    fuzzy = fuzzy + W_ALL_AGREE * (same_name & agree & (conflicts == 0))
    strict_phone = phone & (name >= 90) & (conflicts == 0)
    fuzzy = np.where(strict_phone, np.maximum(fuzzy, DEFAULT_AUTO_SCORE), fuzzy)
    fuzzy = np.clip(fuzzy, 0, 100)
    fuzzy = np.where(plus & ~phone, np.minimum(fuzzy, PLUS_CAP), fuzzy)
    # Below the name floor only a shared phone or +address between nameless contacts counts.
    weak = np.where((phone | plus) & ~names_given, np.where(phone, 75, 70), 0)
    out = np.where(name < NAME_FLOOR, weak, fuzzy)
    exact = (flags & (SAME_EMAIL | SAME_LINKEDIN)) != 0
    out = np.where(exact, np.where(names_given & (name < 60), 80, 100), out)
    return out.astype(np.int64)
