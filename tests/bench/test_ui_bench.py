"""The desktop responsiveness benchmark runs end to end on a small book, offscreen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.book import LeadBook
from bench.ui_bench import build_book, import_csv, run, summarize, table

METRICS = (
    "open to first paint",
    "scroll-bar jump + repaint",
    "PageDown + repaint",
    "search keystroke → table",
    "search cleared → all rows",
    "search keystroke, status filter → table",
    "search keystroke, sorted by name → table",
    "UI lateness, idle",
    "UI lateness, import",
    "UI lateness, export",
    "UI lateness, dedupe scan",
)


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ([], {"n": 0, "median": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}),
        ([3.0, 1.0, 2.0], {"n": 3, "median": 2.0, "p95": 3.0, "p99": 3.0, "max": 3.0}),
        ([float(i) for i in range(1, 101)],
         {"n": 100, "median": 50.5, "p95": 95.0, "p99": 99.0, "max": 100.0}),
    ],
)  # fmt: skip
def test_summarize(samples: list[float], expected: dict[str, float]) -> None:
    assert summarize(samples) == expected


def test_build_book_inserts_every_contact_searchably(tmp_path: Path) -> None:
    path = build_book(500, tmp_path / "book.db")
    with LeadBook.open(path, create=False) as book:
        assert book.count() == 500
        first = book.rows([1])[1]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM contacts_fts").fetchone()[0] == 500
    assert conn.execute("SELECT count(DISTINCT contact_id) FROM contact_points").fetchone()[0] > 450
    conn.close()
    assert first.name and first.company


def test_run_measures_every_metric_on_a_small_book(qapp: object, tmp_path: Path) -> None:
    book = build_book(2000, tmp_path / "book.db")
    csv_path = import_csv(200, tmp_path / "import.csv")
    results = run(book, csv_path, tmp_path / "work", repeat=2, steps=20, queries=3,
                  job_seconds=2.0)  # fmt: skip
    assert list(results) == list(METRICS)
    for metric, stats in results.items():
        assert stats["n"] > 0, metric
        assert 0 <= stats["median"] <= stats["p95"] <= stats["p99"] <= stats["max"], metric
    assert results["open to first paint"]["n"] == 2
    assert results["scroll-bar jump + repaint"]["n"] == 20
    assert results["PageDown + repaint"]["n"] == 20
    assert results["search cleared → all rows"]["n"] == 3
    # The import either finished (and was undone) or was cancelled: the book is as built.
    with LeadBook.open(book, create=False) as b:
        assert b.count() == 2000
    assert "| open to first paint | ≤ 1000 ms (median) | 2 |" in table(results)
