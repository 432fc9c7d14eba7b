"""The vectorized stage gives exactly what the pair-by-pair rules give: same blocks, same scores."""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np
import pytest

from app.clean.company import normalize_company
from app.dedupe.keys import MAX_BLOCK, Table, candidate_pairs
from app.dedupe.names import first_initial
from app.dedupe.score import PLUS_ADDRESS, SAME_EMAIL, SAME_LINKEDIN, SAME_PHONE, score_pair
from app.dedupe.vector import Columns, scores
from bench.generate import generate

# Hand-made rows for the corners generated data rarely hits: no first name, no name at all,
# initials, swapped names, nicknames, a tiny block of look-alikes without a company.
CORNERS = [
    ("", "Smith", "Acme", "Leeds", "CFO", "GB"),
    ("J", "Smith", "Acme", "Leeds", "CFO", "GB"),
    ("Smith", "John", "Acme", "Leeds", "", "GB"),
    ("Bob", "Smith", "Acme", "", "CFO", "US"),
    ("Robert", "Smith", "Acme Inc", "York", "CEO", "GB"),
    ("", "", "Acme", "Leeds", "", ""),
    ("Ann", "", "Acme", "Leeds", "", ""),
    ("Ann", "Lee", "", "Leeds", "", "GB"),
    ("Anne", "Lee", "", "Leeds", "", "GB"),
    ("Ann", "Leigh", "", "Leeds", "", "GB"),
]


def generated_table(rows: int, seed: int) -> Table:
    t = Table()
    people = [
        (r["First Name"], r["Last Name"], r["Company"], r["City"], r["Job Title"], r["Country"],
         r["Email"], r["LinkedIn"])
        for r in generate(rows, seed, 0.3, homonym_rate=0.05)
    ]  # fmt: skip
    people += [(*c, "", "") for c in CORNERS]
    for n, (first, last, company, city, title, country, email, linkedin) in enumerate(people):
        t.append((n * 3 + 1, first, last, normalize_company(company) if company else "", city,
                  title, country))  # fmt: skip
        if "@" in email:
            t.add_point(n, "email", email.strip().lower())
        if linkedin:
            t.add_point(n, "url", linkedin.strip().rstrip("/").split("linkedin.com")[-1])
    return t


def reference_pairs(t: Table) -> set[tuple[int, int]]:
    """The blocking as it was written pair by pair, before it was vectorized."""

    def keys(i: int) -> Iterator[tuple[int, str]]:
        last, first = t.last_name(i), t.first_name(i)
        if not (last or first):
            return
        orgs = [o for o in (t.company[i], t.domain[i]) if o]
        li, fi = last[:1], first_initial(first)
        if orgs:
            for org in dict.fromkeys(orgs):
                for letter in dict.fromkeys(x for x in (li, fi) if x):
                    yield (org << 8) | ord(letter[0]) % 256, last + " " + first
        elif t.city[i] and last:
            fo = ord(fi) % 256 if fi else 0
            yield -((t.city[i] << 32) | (t.last[i] << 8) | fo), first

    entries = sorted((key, name, i) for i in range(len(t)) for key, name in keys(i))
    out: set[tuple[int, int]] = set()
    start = 0
    while start < len(entries):
        end = start + 1
        while end < len(entries) and entries[end][0] == entries[start][0]:
            end += 1
        window = min(end - start, MAX_BLOCK)
        for x in range(start, end):
            for y in range(x + 1, min(x + window, end)):
                a, b = entries[x][2], entries[y][2]
                out.add((min(a, b), max(a, b)))
        start = end
    return out


@pytest.fixture(scope="module")
def table() -> Table:
    return generated_table(4000, 3)


def test_blocking_gives_the_pairs_of_the_pair_by_pair_rules(table: Table) -> None:
    n = len(table)
    codes = candidate_pairs(table)
    found = {(int(c) // n, int(c) % n) for c in codes}
    assert len(found) == len(codes)
    assert found == reference_pairs(table)
    assert len(found) > 10_000


def test_a_big_block_is_compared_in_a_window() -> None:
    t = Table()
    for n in range(MAX_BLOCK + 20):
        t.append((n + 1, f"Ann{chr(97 + n % 26)}", f"Lee{chr(97 + n // 26)}", "acme", "", "", ""))
    assert {(int(c) // len(t), int(c) % len(t)) for c in candidate_pairs(t)} == reference_pairs(t)
    assert len(candidate_pairs(t)) < len(t) * (len(t) - 1) // 2


FLAG_CHOICES = [0, 0, 0, SAME_EMAIL, SAME_LINKEDIN, SAME_EMAIL | SAME_LINKEDIN, SAME_PHONE,
                PLUS_ADDRESS, SAME_PHONE | PLUS_ADDRESS]  # fmt: skip


def test_vector_scores_equal_pair_by_pair_scores(table: Table) -> None:
    n = len(table)
    rng = random.Random(5)
    codes = candidate_pairs(table)
    # Blocked pairs, plus random pairs from anywhere (exact-stage pairs need not share a block).
    extra = {(rng.randrange(n), rng.randrange(n)) for _ in range(5000)}
    pairs = [(int(c) // n, int(c) % n) for c in codes] + [(a, b) for a, b in extra if a < b]
    pairs += [(a, b) for a in range(n - len(CORNERS), n) for b in range(a + 1, n)]
    flags = [rng.choice(FLAG_CHOICES) for _ in pairs]
    i = np.array([p[0] for p in pairs], dtype=np.int64)
    j = np.array([p[1] for p in pairs], dtype=np.int64)
    fast = scores(Columns(table), i, j, np.array(flags, dtype=np.int64)).tolist()
    slow = [score_pair(table, a, b, f)[0] for (a, b), f in zip(pairs, flags, strict=True)]
    assert fast == slow
    assert len({s for s in slow}) > 30  # the comparison covered many different scores
