"""Dedupe benchmark: generate, import, find duplicates, score against the truth file.

`python -m bench.dedupe_bench --sizes 10000,100000` generates each size with bench.generate (seed 1,
10% duplicates, 1% homonyms), imports it into a fresh book through importers.pipeline.run_import
(the import already merges exact email/LinkedIn matches and same name + company rows without keys),
then times `find_duplicates` and reports pairwise precision / recall / F1 of the predicted clusters
(import merges + the certain groups, and import merges + every group from the review score) against
the truth's entity ids. Contacts are mapped back to rows through contact_sources.row_number.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path

from app.book import LeadBook
from bench.generate import write_files

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def pairs_of(clusters: Iterable[Sequence[int]]) -> set[tuple[int, int]]:
    """Every unordered pair of rows inside the same cluster."""
    out: set[tuple[int, int]] = set()
    for rows in clusters:
        out.update(combinations(sorted(rows), 2))
    return out


def truth_clusters(path: Path) -> list[list[int]]:
    """Rows grouped by entity id."""
    by_entity: dict[str, list[int]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            by_entity[rec["entity_id"]].append(int(rec["row"]))
    return [rows for rows in by_entity.values() if len(rows) > 1]


def contact_rows(book: LeadBook) -> dict[int, list[int]]:
    """Live contact id -> the file rows it holds (its own sources and those of merged contacts)."""
    final: dict[int, int] = {}
    parent = dict(book.conn.execute("SELECT id, merged_into FROM contacts").fetchall())
    for cid in parent:
        root = cid
        while parent.get(root) is not None:
            root = parent[root]
        final[cid] = root
    rows: dict[int, list[int]] = defaultdict(list)
    for cid, row in book.conn.execute("SELECT contact_id, row_number FROM contact_sources"):
        if row is not None:
            rows[final[cid]].append(int(row))
    return rows


def evaluate(
    truth: set[tuple[int, int]], rows: dict[int, list[int]], groups: Iterable[Sequence[int]]
) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of import merges plus these groups."""
    clusters = {cid: list(r) for cid, r in rows.items()}
    for ids in groups:
        head = ids[0]
        for other in ids[1:]:
            clusters[head] = clusters.get(head, []) + clusters.pop(other, [])
    predicted = pairs_of(clusters.values())
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_size(rows: int, workdir: Path) -> dict[str, object]:
    """Generate, import, dedupe and evaluate one size."""
    from importers.pipeline import ImportOptions, run_import

    OUT.mkdir(exist_ok=True)
    data, truth_path = OUT / f"dedupe_{rows}.csv", OUT / f"dedupe_{rows}.truth.csv"
    if not data.exists() or not truth_path.exists():
        write_files(data, rows, 1, 0.1, truth_path, 0.01)
    book_path = workdir / f"book_{rows}.db"
    with LeadBook.open(book_path) as book:
        start = time.perf_counter()
        run_import(book, data, ImportOptions())
        import_s = time.perf_counter() - start
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        groups = book.find_duplicates(min_score=book.review_min_score)
        dedupe_s = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        truth = pairs_of(truth_clusters(truth_path))
        mapping = contact_rows(book)
        import_only = evaluate(truth, mapping, [])
        certain = evaluate(truth, mapping, [g.ids for g in groups if g.certain])
        everything = evaluate(truth, mapping, [g.ids for g in groups])
        live = book.count()
    return {
        "rows": rows,
        "contacts": live,
        "import_s": import_s,
        "dedupe_s": dedupe_s,
        "peak_rss_mb": max(rss, rss_before) / 1024,
        "groups": len(groups),
        "certain": sum(1 for g in groups if g.certain),
        "import_only": import_only,
        "certain_f": certain,
        "review_f": everything,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sizes given and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        "| rows | contacts after import | import s | dedupe s | peak RSS MB | groups (certain) "
        "| P/R/F1 import only | P/R/F1 + certain | P/R/F1 + review |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            r = run_size(n, Path(tmp))

            def f(t: object) -> str:
                p, rc, f1 = t if isinstance(t, tuple) else (0.0, 0.0, 0.0)
                return f"{p:.3f} / {rc:.3f} / {f1:.3f}"

            print(
                f"| {r['rows']} | {r['contacts']} | {r['import_s']:.1f} | {r['dedupe_s']:.1f} "
                f"| {r['peak_rss_mb']:.0f} | {r['groups']} ({r['certain']}) | {f(r['import_only'])} "
                f"| {f(r['certain_f'])} | {f(r['review_f'])} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
