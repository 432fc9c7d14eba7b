"""Export throughput: `python -m bench.export_bench [--sizes 100000,1000000] [--presets hubspot,vcard4]`.

The benchmark book is built by importing a generated CSV once per size (cached under bench/out/), so
the contacts are exactly what a real import stores; `--book ui` uses the directly inserted book of
bench/ui_bench.py instead (built in minutes at 1M, where an import takes far longer). Each repeat
copies the book to a temporary folder (an export records its history in the book), times
`LeadBook.export` to a fresh file in a child process and reports the median seconds, contacts per
second, the child's peak RSS and the CPU seconds of the child and of the render workers it
started (a big CSV export renders in two processes, app/export/parallel.py): on a busy shared
machine the CPU seconds say more than the wall time. `--contact-path` forces the Contact-object
path every preset took before the flat SQL path (app/export/flat.py), for before/after figures on
the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def ui_book_for(size: int) -> Path:
    """The directly inserted book of the UI benchmark (cached under bench/out/)."""
    from bench.ui_bench import build_book

    return build_book(size)


def measure(book: Path, preset: str, contact_path: bool = False) -> dict[str, float]:
    """Export once in a child process; returns seconds, rows and peak RSS (MB) of that child."""
    code = (
        "import json, sys, time, resource\n"
        "import app.export.writers as w\n"
        "from app.book import LeadBook\n"
        "if sys.argv[4] == '1':\n"
        "    w.can_stream = lambda preset: False\n"
        "b = LeadBook.open(sys.argv[1], create=False)\n"
        "t, c = time.perf_counter(), time.process_time()\n"
        "r = b.export(sys.argv[2], sys.argv[3])\n"
        "s, c = time.perf_counter() - t, time.process_time() - c\n"
        "k = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': s, 'rows': r.rows, 'files': len(r.files), 'cpu': c,"
        " 'workers_cpu': k.ru_utime + k.ru_stime,"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,"
        " 'workers_mb': k.ru_maxrss / 1024}))\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "book.db"
        shutil.copyfile(book, copy)
        out = Path(tmp) / f"export.{preset}.out"
        done = subprocess.run(
            [sys.executable, "-c", code, str(copy), preset, str(out), "1" if contact_path else "0"],
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
    parser.add_argument("--presets", "--preset", default="hubspot")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--book", choices=("import", "ui"), default="import")
    parser.add_argument("--contact-path", action="store_true")
    args = parser.parse_args(argv)
    path = "Contact objects (before)" if args.contact_path else "flat SQL rows"
    print(
        f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; book {args.book}; "
        f"{path}; median of {args.repeat}\n"
    )
    print(
        "| preset | contacts | rows written | files | median s | rows/s | CPU s export process "
        "| CPU s workers | peak RSS MB | worker RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        book = ui_book_for(size) if args.book == "ui" else book_for(size)
        for preset in args.presets.split(","):
            runs = [measure(book, preset, args.contact_path) for _ in range(args.repeat)]
            seconds = statistics.median(r["seconds"] for r in runs)
            rows, files = runs[0]["rows"], runs[0]["files"]
            rss = max(r["rss_mb"] for r in runs)
            cpu = statistics.median(r["cpu"] for r in runs)
            workers = statistics.median(r["workers_cpu"] for r in runs)
            workers_mb = max(r["workers_mb"] for r in runs)
            print(
                f"| {preset} | {size:,} | {rows:,.0f} | {files:.0f} | {seconds:.1f} "
                f"| {rows / seconds:,.0f} | {cpu:.1f} | {workers:.1f} | {rss:.0f} "
                f"| {workers_mb:.0f} |",
                flush=True,
            )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
