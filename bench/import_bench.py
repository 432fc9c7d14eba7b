"""Import benchmark: time the real `leadsmith import` on generated files and print a table.

`python -m bench.import_bench [--sizes 10000,100000] [--repeat 3]` generates each size once
(cached under bench/out/, keyed by the generator's source so a changed generator regenerates),
then for each repeat imports it into a fresh book with the real CLI in a child process, and
reports the median wall time, the child's own peak RSS (os.wait4 in a small wrapper process,
not the cumulative RUSAGE_CHILDREN) and the counts from the `--json` report.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.generate import source_key, write_files

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
COUNTS = ("rows", "added", "merged", "skipped", "invalid")


@dataclass(frozen=True)
class Measurement:
    """One child process: how long it took, its peak memory, and what it printed."""

    seconds: float
    peak_rss_mb: float
    returncode: int
    tree_rss_mb: float  # the largest sum of RSS over the CLI and its workers, sampled
    stdout: str
    stderr: str


@dataclass
class SizeResult:
    """All repeats of one file: timings, peak memory and the import's counts."""

    rows: int
    seconds: list[float] = field(default_factory=list)
    peak_rss_mb: list[float] = field(default_factory=list)
    tree_rss_mb: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    true_duplicates: int | None = None
    accuracy: Accuracy | None = None
    error: str = ""

    @property
    def median_seconds(self) -> float:
        """The median wall time over the repeats."""
        return statistics.median(self.seconds)


# A tiny parent for the measured command. ru_maxrss survives exec, so a child forked from a
# big process (pytest, or this one after generating a million rows) would report its parent's
# peak as its own; a fresh small wrapper keeps that floor at a few MB. wait4 then gives the one
# child's own rusage, unlike RUSAGE_CHILDREN, which is the maximum over every child so far.
#
# ru_maxrss is the largest single process (the CLI or one cleaning worker), not their sum; the
# wrapper also samples the sum of VmRSS over the CLI's process tree from /proc every 0.1 s
# (Linux only; 0 elsewhere), which is what the machine has to hold at once.
_WRAPPER = """
import json, os, sys, time
def tree_kb(root):
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError, StopIteration):
            pass
    return total
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
tree = 0
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        break
    tree = max(tree, tree_kb(pid))
    time.sleep(0.1)
seconds = time.perf_counter() - start
kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)
with open(sys.argv[1], "w") as f:
    json.dump([seconds, kb, os.waitstatus_to_exitcode(status), tree], f)
"""


def measure(cmd: Sequence[str], cwd: Path) -> Measurement:
    """Run `cmd` (cmd[0] an absolute path) and return its wall time and its own peak RSS."""
    with (
        tempfile.TemporaryDirectory(prefix="leadsmith-measure-") as tmp,
        open(Path(tmp) / "out", "w+b") as out,
        open(Path(tmp) / "err", "w+b") as err,
    ):
        report = Path(tmp) / "report.json"
        wrapper = [sys.executable, "-S", "-c", _WRAPPER, str(report), *cmd]
        subprocess.run(wrapper, cwd=cwd, stdout=out, stderr=err, check=True)
        seconds, rss_kb, returncode, tree_kb = json.loads(report.read_text())
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Measurement(seconds, rss_kb / 1024, returncode, tree_kb / 1024, stdout, stderr)


def import_counts(stdout: str) -> dict[str, int]:
    """The counts of an `import --json` report (summed if the CLI printed one per file)."""
    doc = json.loads(stdout)
    docs = doc if isinstance(doc, list) else [doc]
    return {key: sum(int(d.get(key) or 0) for d in docs) for key in COUNTS}


def count_true_duplicates(truth: Path) -> int:
    """Rows of the truth file whose entity already appeared in an earlier row."""
    seen: set[str] = set()
    duplicates = 0
    with open(truth, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["entity_id"] in seen:
                duplicates += 1
            seen.add(row["entity_id"])
    return duplicates


@dataclass(frozen=True)
class Accuracy:
    """How the book's contacts compare with the truth, counted over pairs of file rows."""

    precision: float  # of the row pairs the import put in one contact, the share truly the same
    recall: float  # of the row pairs that are truly the same person, the share put together
    mixed_contacts: int  # contacts holding rows of more than one person (e.g. merged homonyms)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def dedupe_accuracy(contacts: Sequence[dict[str, Any]], truth: Path) -> Accuracy:
    """Compare contacts (`list --json` shape, with `sources`) with the truth file."""
    entity_of: dict[int, str] = {}
    people: Counter[str] = Counter()
    with open(truth, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            entity_of[int(row["row"])] = row["entity_id"]
            people[row["entity_id"]] += 1
    together = correct = mixed = 0
    for contact in contacts:
        entities = Counter(entity_of[int(s["row"])] for s in contact["sources"])
        together += _pairs(sum(entities.values()))
        correct += sum(_pairs(n) for n in entities.values())
        mixed += len(entities) > 1
    true_pairs = sum(_pairs(n) for n in people.values())
    return Accuracy(
        correct / together if together else 1.0, correct / true_pairs if true_pairs else 1.0, mixed
    )


def dataset(rows: int, seed: int, dup_rate: float, generate: bool = True) -> tuple[Path, Path]:
    """The cached CSV and truth file for these parameters, generated on first use."""
    stem = f"contacts_{rows}_s{seed}_d{dup_rate:g}_{source_key()}"
    data, truth = OUT / f"{stem}.csv", OUT / f"{stem}.truth.csv"
    if data.exists() and truth.exists():
        return data, truth
    if not generate:
        raise FileNotFoundError(f"{data} is not generated yet (run without --import-only)")
    OUT.mkdir(parents=True, exist_ok=True)
    # Write under temporary names, then rename: an interrupted run never leaves a bad cache.
    tmp_data, tmp_truth = data.with_suffix(".partial"), truth.with_suffix(".partial")
    start = time.perf_counter()
    write_files(tmp_data, rows, seed, dup_rate, tmp_truth)
    tmp_truth.replace(truth)
    tmp_data.replace(data)
    print(f"generated {data.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return data, truth


def _listed_contacts(cli: Path, db: str, limit: int) -> list[dict[str, Any]]:
    cmd = [sys.executable, str(cli), "--db", db, "list", "--limit", str(limit), "--json"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"list failed: {done.stderr.strip()[-200:]}")
    contacts: list[dict[str, Any]] = json.loads(done.stdout)["contacts"]
    return contacts


def bench_file(
    data: Path, rows: int, repeat: int, cli: Path, truth: Path | None = None
) -> SizeResult:
    """Import `data` into `repeat` fresh books with the real CLI and collect the measurements.

    With a truth file, the first book is also listed (untimed) to score the deduplication.
    """
    result = SizeResult(rows)
    for attempt in range(repeat):
        with tempfile.TemporaryDirectory(prefix="leadsmith-bench-") as tmp:
            db = f"{tmp}/b.db"
            m = measure([sys.executable, str(cli), "--db", db, "import", str(data), "--json"], ROOT)
            if m.returncode != 0:
                last = (m.stderr.strip().splitlines() or ["(no message)"])[-1]
                result.error = f"exit {m.returncode}: {last}"
                return result
            try:
                counts = import_counts(m.stdout)
                if truth is not None and attempt == 0:
                    result.accuracy = dedupe_accuracy(_listed_contacts(cli, db, rows), truth)
            except (ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
                result.error = f"unreadable CLI output ({exc})"
                return result
        if result.counts and counts != result.counts:
            print(f"warning: run {attempt + 1} of {data.name} gave {counts}", file=sys.stderr)
        result.counts = result.counts or counts
        result.seconds.append(m.seconds)
        result.peak_rss_mb.append(m.peak_rss_mb)
        result.tree_rss_mb.append(m.tree_rss_mb)
    return result


def format_table(results: Sequence[SizeResult]) -> str:
    """The results as a Markdown table, one line per size (accuracy columns when measured)."""
    scored = any(r.accuracy for r in results)
    head = (
        "| rows | median time s | rows/s | peak RSS MB | CLI + workers MB | added | merged "
        "| invalid | dups in truth |"
    )
    extra = " pair precision | pair recall | mixed contacts |" if scored else ""
    lines = [head + extra, "|---:" * (head.count("|") - 1 + extra.count("|")) + "|"]
    for r in results:
        truth = "" if r.true_duplicates is None else f"{r.true_duplicates:,}"
        a = r.accuracy
        tail = f" {a.precision:.4f} | {a.recall:.4f} | {a.mixed_contacts:,} |" if a else " | | |"
        tail = tail if scored else ""
        if r.error:
            lines.append(f"| {r.rows:,} | failed: {r.error} | | | | | | | {truth} |" + tail)
            continue
        median = r.median_seconds
        c = r.counts
        lines.append(
            f"| {r.rows:,} | {median:.2f} | {r.rows / median:,.0f} | {max(r.peak_rss_mb):.0f} "
            f"| {max(r.tree_rss_mb):.0f} | {c['added']:,} | {c['merged']:,} | {c['invalid']:,} | {truth} |"
            + tail
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: benchmark imports and print the Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3, help="imports per size (median)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed")
    parser.add_argument("--dup-rate", type=float, default=0.1, help="generator duplicate rate")
    parser.add_argument(
        "--import-only", action="store_true", help="never generate: use cached files or fail"
    )
    parser.add_argument(
        "--file", type=Path, action="append", default=[], help="benchmark this CSV instead"
    )
    parser.add_argument(
        "--accuracy",
        action="store_true",
        help="also list the first book (untimed) and score the dedupe against the truth",
    )
    parser.add_argument("--cli", type=Path, default=ROOT / "main.py", help="the CLI entry point")
    args = parser.parse_args(argv)
    if not args.cli.exists():
        print(
            f"error: {args.cli} not found: the CLI is needed to benchmark imports", file=sys.stderr
        )
        return 2
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    jobs: list[tuple[Path, Path | None]] = []
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        if not args.file:
            for size in sizes:
                jobs.append(dataset(size, args.seed, args.dup_rate, not args.import_only))
    except ValueError:
        parser.error(f"--sizes must be integers, got {args.sizes!r}")
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    missing = [str(path) for path in args.file if not path.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    jobs += [(path, None) for path in args.file]
    results = []
    for data, truth in jobs:
        with open(data, encoding="utf-8", errors="replace", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
        print(f"importing {data.name} ({rows:,} rows) x{args.repeat}…", file=sys.stderr)
        result = bench_file(data, rows, args.repeat, args.cli, truth if args.accuracy else None)
        result.true_duplicates = count_true_duplicates(truth) if truth else None
        results.append(result)
    print(format_table(results))
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
