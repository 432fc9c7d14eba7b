"""Dedupe benchmark: a generated book, `find_duplicates` timed in a child, scored against the truth.

`python -m bench.dedupe_bench --sizes 10000,100000,1000000` builds each size once with
bench.dedupe_book (seed 1, 10% duplicates, 1% homonyms; the importer's own reading, mapping and
cleaning, one contact per row, inserted directly, cached in bench/out/), then runs
`LeadBook.find_duplicates` at the review score in a fresh child process per repeat (on a copy of the
book) and reports the median wall time, the child's CPU time and peak RSS, and pairwise
precision / recall / F1 of the certain groups and of every group against the truth's entity ids.

`--cross-check 10000` first checks that a built book equals a real `--on-duplicate keep` import of
the same file (contacts, points and duplicate groups). `--via-import` keeps the older mode: the
real import with `--on-duplicate merge`, then the dedupe, in this process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path

from app.book import LeadBook
from bench.dedupe_book import build_book, data_files
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


# A tiny parent for the measured child (see bench/import_bench.py): ru_maxrss survives fork and
# exec, so the child must not be forked from this (big) process; wait4 gives that one child's own
# peak RSS and CPU time.
_WRAPPER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as f:
    json.dump([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
               os.waitstatus_to_exitcode(status)], f)
"""


def run_child(book: Path, out: Path) -> None:
    """In the measured child: find duplicates at the review score, write the groups and seconds."""
    with LeadBook.open(book) as lead_book:
        start, cpu = time.perf_counter(), time.process_time()
        groups = lead_book.find_duplicates()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    doc = {"seconds": seconds, "cpu": cpu, "groups": [[list(g.ids), g.certain] for g in groups]}
    out.write_text(json.dumps(doc))


def book_rows(book: Path) -> dict[int, list[int]]:
    """Contact id -> its file rows, for a built book (one row per contact)."""
    conn = sqlite3.connect(book)
    try:
        return {int(c): [int(r)] for c, r in conn.execute(
            "SELECT contact_id, row_number FROM contact_sources")}  # fmt: skip
    finally:
        conn.close()


def measure_size(rows: int, repeat: int, workdir: Path) -> dict[str, object]:
    """Build (or reuse) the book of `rows`, time the dedupe `repeat` times, evaluate the groups."""
    start = time.perf_counter()
    book, truth_path = build_book(rows)
    build_s = time.perf_counter() - start
    walls, cpus, inner, rss = [], [], [], []
    doc: dict[str, object] = {}
    for _ in range(repeat):
        copy = workdir / "book.db"
        shutil.copyfile(book, copy)
        report, out = workdir / "report.json", workdir / "groups.json"
        cmd = [sys.executable, "-m", "bench.dedupe_bench", "--child", str(copy), str(out)]
        subprocess.run([sys.executable, "-S", "-c", _WRAPPER, str(report), *cmd], check=True,
                       cwd=ROOT)  # fmt: skip
        wall, cpu, maxrss_kb, code = json.loads(report.read_text())
        if code != 0:
            raise SystemExit(f"the dedupe child failed with exit code {code}")
        doc = json.loads(out.read_text())
        walls.append(wall)
        cpus.append(cpu)
        inner.append(float(doc["seconds"]))  # type: ignore[arg-type]
        rss.append(maxrss_kb / 1024)
        for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            stale.unlink(missing_ok=True)
    groups = doc["groups"]
    assert isinstance(groups, list)
    truth = pairs_of(truth_clusters(truth_path))
    mapping = book_rows(book)
    return {
        "rows": rows,
        "contacts": len(mapping),
        "build_s": build_s,
        "dedupe_s": statistics.median(inner),
        "process_s": statistics.median(walls),
        "cpu_s": statistics.median(cpus),
        "peak_rss_mb": max(rss),
        "groups": len(groups),
        "certain": sum(1 for _, certain in groups if certain),
        "certain_f": evaluate(truth, mapping, [ids for ids, certain in groups if certain]),
        "review_f": evaluate(truth, mapping, [ids for ids, _ in groups]),
    }


def _prf(t: object) -> str:
    p, rc, f1 = t if isinstance(t, tuple) else (0.0, 0.0, 0.0)
    return f"{p:.4f} / {rc:.4f} / {f1:.4f}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sizes given and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cross-check", type=int, default=0, metavar="ROWS")
    parser.add_argument("--via-import", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("BOOK", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(Path(args.child[0]), Path(args.child[1]))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    if args.cross_check:
        with tempfile.TemporaryDirectory() as tmp:
            problems = same_as_import(args.cross_check, Path(tmp))
        print(f"cross-check at {args.cross_check} rows: "
              + ("built book == imported book" if not problems else "; ".join(problems)),
              flush=True)  # fmt: skip
        if problems:
            return 1
    if args.via_import:
        return _main_via_import(sizes)
    print(
        "| rows | contacts | find_duplicates s (median) | child process s | CPU s | peak RSS MB "
        "| groups (certain) | P / R / F1 certain | P / R / F1 + review |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            r = measure_size(n, args.repeat, Path(tmp))
            print(
                f"| {r['rows']:,} | {r['contacts']:,} | {r['dedupe_s']:.1f} | {r['process_s']:.1f} "
                f"| {r['cpu_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['groups']:,} ({r['certain']:,}) "
                f"| {_prf(r['certain_f'])} | {_prf(r['review_f'])} |",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    return 0


def _main_via_import(sizes: list[int]) -> int:
    print(
        "| rows | contacts after import | import s | dedupe s | peak RSS MB | groups (certain) "
        "| P/R/F1 import only | P/R/F1 + certain | P/R/F1 + review |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            r = run_size(n, Path(tmp))
            print(
                f"| {r['rows']} | {r['contacts']} | {r['import_s']:.1f} | {r['dedupe_s']:.1f} "
                f"| {r['peak_rss_mb']:.0f} | {r['groups']} ({r['certain']}) "
                f"| {_prf(r['import_only'])} | {_prf(r['certain_f'])} | {_prf(r['review_f'])} |",
                flush=True,
            )
    return 0


def same_as_import(rows: int, workdir: Path, seed: int = 1) -> list[str]:
    """Differences between the built book and a real `--on-duplicate keep` import of the file.

    Compares what dedupe reads (every contact's names, company key, city, title, country and
    points) and the duplicate groups both books give; an empty list means they agree."""
    from importers.pipeline import ImportOptions, run_import

    data, _ = data_files(rows, seed)
    built = build_book(rows, seed, workdir / "built.db")[0]
    imported = workdir / "imported.db"
    with LeadBook.open(imported) as book:
        run_import(book, data, ImportOptions(on_duplicate="keep"))
    problems: list[str] = []
    summaries = [_summary(path) for path in (built, imported)]
    if summaries[0][0] != summaries[1][0]:
        problems.append(f"contacts differ: {summaries[0][0][:2]} vs {summaries[1][0][:2]}")
    if summaries[0][1] != summaries[1][1]:
        problems.append("contact points differ")
    groups = []
    for path in (built, imported):
        with LeadBook.open(path) as book:
            groups.append([g.as_json() for g in book.find_duplicates(min_score=1)])
    if groups[0] != groups[1]:
        problems.append(f"duplicate groups differ: {len(groups[0])} vs {len(groups[1])}")
    return problems


def _summary(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        contacts = conn.execute(
            """SELECT c.id, c.first_name, c.last_name, co.name_norm, co.domain, co.phone, c.city,
                   c.job_title, c.country, s.row_number
               FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
               JOIN contact_sources s ON s.contact_id = c.id ORDER BY c.id"""
        ).fetchall()
        points = conn.execute(
            """SELECT contact_id, kind, raw, value, label, is_primary, status FROM contact_points
               ORDER BY contact_id, id"""
        ).fetchall()
    finally:
        conn.close()
    return contacts, points


if __name__ == "__main__":
    sys.exit(main())
