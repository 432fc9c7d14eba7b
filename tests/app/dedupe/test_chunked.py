"""The scan in small pieces (fetches, scoring chunks, pairs kept as columns) finds the same groups.

The pieces keep the GIL holds and the garbage collector's work short while a desktop waits; any
difference in the groups would be a bug, so each test compares with the scan in one piece.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.book import LeadBook
from app.dedupe import groups, keys
from app.dedupe.groups import ScoredPairs, build_groups, score_all
from app.dedupe.keys import Table, load_table, transposed
from app.errors import JobCancelled
from bench.dedupe_book import insert_file
from bench.generate import write_files


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A book of 1,500 generated contacts, a quarter of them duplicates, one contact per row."""
    folder = tmp_path_factory.mktemp("chunked")
    data = folder / "people.csv"
    write_files(data, 1500, 11, 0.25, folder / "truth.csv", 0.02)
    path = folder / "book.db"
    insert_file(path, data, workers=0)
    return path


@pytest.fixture
def book(book_path: Path) -> Iterator[LeadBook]:
    with LeadBook.open(book_path) as opened:
        yield opened


def found(book: LeadBook) -> list[dict[str, object]]:
    return [g.as_json() for g in book.find_duplicates(min_score=1)]


@pytest.mark.parametrize(
    ("rows", "width"),
    [
        ([], 3),
        ([(1, "a", None)], 3),
        ([(1, "Ana", "López"), (2, "", "Müller"), (3, None, "")], 3),
        ([(n, f"x{n}") for n in range(2500)], 2),
    ],
)
def test_transposed_gives_the_columns_zip_gives(rows: list[tuple[object, ...]], width: int) -> None:
    expected = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    assert transposed(rows, width) == expected


def test_transposed_leaves_no_tracked_object_per_row() -> None:
    rows = [(n, f"name {n}", "acme") for n in range(20_000)]
    gc.collect()
    before = len(gc.get_objects())
    columns = transposed(rows, 3)
    # zip(*rows) would hold 20,000 tuple iterators at once; the columns are 3 tuples.
    assert len(gc.get_objects()) - before < 50
    assert [len(c) for c in columns] == [20_000, 20_000, 20_000]


def decoded(t: Table) -> list[tuple[object, ...]]:
    """Each row's values as text (codes are labels given in whatever order values are met)."""
    text = {code: value for value, code in t.vocab.codes.items()}
    return [
        (t.ids[i], t.first_name(i), t.last_name(i), text[t.company[i]], text[t.domain[i]],
         text[t.city[i]], text[t.title[i]], text[t.country[i]], t.email[i], t.linkedin[i])
        for i in range(len(t))
    ]  # fmt: skip


def test_small_fetches_load_the_same_table(book: LeadBook, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = decoded(load_table(book.conn))
    monkeypatch.setattr(keys, "FETCH_ROWS", 7)
    assert decoded(load_table(book.conn)) == whole
    assert len(whole) == 1500
    assert sum(1 for row in whole if row[8]) > 500  # work emails were read too


@pytest.mark.parametrize("chunk", [1, 97, 1000])
def test_scoring_in_small_chunks_finds_the_same_groups(
    book: LeadBook, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    whole = found(book)
    monkeypatch.setattr(groups, "_CHUNK", chunk)
    monkeypatch.setattr(keys, "FETCH_ROWS", 13)
    assert found(book) == whole
    assert len(whole) > 100
    assert sum(1 for g in whole if g["certain"]) > 50


def test_pairs_as_columns_group_like_pair_objects(book: LeadBook) -> None:
    scored = score_all(book.conn, 1)
    assert isinstance(scored, ScoredPairs)
    as_objects = list(scored)
    order = [(-p.score, p.a, p.b) for p in as_objects]  # strongest first, then by ids
    assert order == sorted(order)
    assert len(as_objects) > 200
    assert as_objects[0].why() == scored.pair(0).why()
    from_columns = build_groups(scored, 95)
    from_objects = build_groups(list(reversed(as_objects)), 95)  # any order: it sorts them
    assert [g.as_json() for g in from_columns] == [g.as_json() for g in from_objects]


def test_a_cancelled_scan_stops_at_the_next_chunk(
    book: LeadBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(groups, "_CHUNK", 50)
    seen: list[tuple[int, int]] = []
    with pytest.raises(JobCancelled):
        book.find_duplicates(
            min_score=1, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: bool(seen)
        )
    assert len(seen) == 1  # the first chunk's progress, then nothing more
    assert seen[0][0] == 50 and seen[0][1] > 1000


def test_a_released_table_holds_no_values_and_the_next_scan_is_the_same(book: LeadBook) -> None:
    first = found(book)
    table = load_table(book.conn)
    assert len(table.names) > 100 and len(table.vocab.codes) > 100
    table.release()
    assert table.names == [] and table.name_codes == {} and table.vocab.codes == {}
    assert all(not seen for seen in table._seen.values())
    assert found(book) == first
