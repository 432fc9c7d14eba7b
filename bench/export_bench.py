"""Export throughput: `python -m bench.export_bench [--sizes 100000,1000000] [--preset hubspot] [--repeat 3]`.

The benchmark book is built by importing a generated CSV once per size (cached under bench/out/), so
the contacts are exactly what a real import stores. Each repeat times `LeadBook.export` to a fresh
file and reports the median seconds, contacts per second and peak RSS of the exporting process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def book_for(size: int) -> Path:
    """A book holding `size` generated rows, imported once through the real CLI and cached."""
    OUT.mkdir(parents=True, exist_ok=True)
    book = OUT / f"export_book_{size}.db"
    if book.exists():
        return book
    csv_path = OUT / f"export_source_{size}.csv"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--rows",
            str(size),
            "--seed",
            "5",
            "--dup-rate",
            "0",
            "--out",
            str(csv_path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    tmp = book.with_suffix(".tmp.db")
    subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp), "import", str(csv_path), "--json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    tmp.rename(book)
    return book


def measure(book: Path, preset: str) -> dict[str, float]:
    """Export once in a child process; returns seconds, rows and peak RSS (MB) of that child."""
    code = (
        "import json, sys, time, resource\n"
        "from app.book import LeadBook\n"
        "b = LeadBook.open(sys.argv[1], create=False)\n"
        "t = time.perf_counter()\n"
        "r = b.export(sys.argv[2], sys.argv[3])\n"
        "s = time.perf_counter() - t\n"
        "print(json.dumps({'seconds': s, 'rows': r.rows,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"export.{preset}.csv"
        done = subprocess.run(
            [sys.executable, "-c", code, str(book), preset, str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    """Print a Markdown table of export times."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--preset", default="hubspot")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores; preset {args.preset}; median of {args.repeat}\n")
    print("| contacts | median s | contacts/s | peak RSS MB |")
    print("|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        book = book_for(size)
        runs = [measure(book, args.preset) for _ in range(args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)
        rows = runs[0]["rows"]
        rss = max(r["rss_mb"] for r in runs)
        print(f"| {rows:,.0f} | {seconds:.1f} | {rows / seconds:,.0f} | {rss:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
