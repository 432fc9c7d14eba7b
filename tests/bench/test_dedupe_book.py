"""The dedupe benchmark's direct-built book holds what a real import writes, so its scores are real."""

from __future__ import annotations

from pathlib import Path

from app.book import LeadBook
from bench.dedupe_bench import _summary, evaluate, pairs_of
from bench.dedupe_book import insert_file
from bench.generate import write_files
from importers.pipeline import ImportOptions, run_import


def test_a_built_book_equals_a_keep_import_of_the_same_file(tmp_path: Path) -> None:
    data, truth = tmp_path / "people.csv", tmp_path / "truth.csv"
    write_files(data, 600, 4, 0.3, truth, 0.05)
    built, imported = tmp_path / "built.db", tmp_path / "imported.db"
    insert_file(built, data, workers=0)
    with LeadBook.open(imported) as book:
        run_import(book, data, ImportOptions(on_duplicate="keep", workers=0))
    contacts, points = _summary(built)
    assert (contacts, points) == _summary(imported)
    assert len(contacts) == 600  # one contact per row, ids in file order
    assert [c[0] for c in contacts] == [c[-1] for c in contacts]
    found = []
    for path in (built, imported):
        with LeadBook.open(path) as book:
            found.append([g.as_json() for g in book.find_duplicates(min_score=1)])
    assert found[0] == found[1]
    assert len(found[0]) > 50


def test_pairwise_scores_count_pairs_inside_clusters() -> None:
    truth = pairs_of([[1, 2, 3], [4, 5]])
    assert truth == {(1, 2), (1, 3), (2, 3), (4, 5)}
    rows = {10: [1], 11: [2], 12: [3], 13: [4], 14: [5], 15: [6]}
    # One right group of three, one wrong pair (5 with 6), the pair 4–5 missed.
    precision, recall, f1 = evaluate(truth, rows, [(10, 11, 12), (14, 15)])
    assert (precision, recall) == (0.75, 0.75)
    assert round(f1, 4) == 0.75
