"""Accuracy of app.clean.title on the hand-labeled set: `.venv/bin/python -m bench.title_accuracy`."""

from __future__ import annotations

import argparse
import csv
import time
from dataclasses import dataclass
from pathlib import Path

from app.clean.title import TitleInfo, _classify, classify_title, default_rules

LABELED = Path(__file__).resolve().parents[1] / "tests" / "data" / "titles_labeled.csv"


@dataclass(frozen=True)
class Row:
    """One labeled title and what the classifier made of it."""

    title: str
    seniority: str
    department: str
    split: str  # "dev": labeled first, then the rules were written; "holdout": labeled after, never tuned on
    got: TitleInfo

    @property
    def correct(self) -> bool:
        """Both seniority and department as labeled."""
        return (self.got.seniority, self.got.department) == (self.seniority, self.department)


def evaluate(path: Path = LABELED) -> list[Row]:
    """Classify every labeled title with the default rules."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Row(r["title"], r["seniority"], r["department"], r["split"], classify_title(r["title"]))
            for r in csv.DictReader(handle)
        ]


def microseconds_per_title(titles: list[str], repeat: int = 20) -> float:
    """Uncached time per title, best of ``repeat`` passes (the lru_cache is bypassed on purpose)."""
    rules = default_rules()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for title in titles:
            _classify(title, rules)
        best = min(best, time.perf_counter() - start)
    return best / len(titles) * 1e6


def microseconds_cached(titles: list[str], repeat: int = 20) -> float:
    """Time per title through classify_title when every title was seen before (a typical import)."""
    for title in titles:
        classify_title(title)
    start = time.perf_counter()
    for _ in range(repeat):
        for title in titles:
            classify_title(title)
    return (time.perf_counter() - start) / (repeat * len(titles)) * 1e6


def main() -> None:
    """Print the accuracy table and every misclassified row."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("csv", nargs="?", type=Path, default=LABELED)
    args = parser.parse_args()
    rows = evaluate(args.csv)
    print(f"labeled set: {args.csv}")
    print(f"{'split':<10}{'count':>6}{'seniority':>11}{'department':>12}{'both':>8}")
    for split in ("dev", "holdout", "all"):
        part = [r for r in rows if split in ("all", r.split)]
        n = len(part)
        sen = sum(r.got.seniority == r.seniority for r in part) / n
        dep = sum(r.got.department == r.department for r in part) / n
        both = sum(r.correct for r in part) / n
        print(f"{split:<10}{n:>6}{sen:>11.1%}{dep:>12.1%}{both:>8.1%}")
    titles = [r.title for r in rows]
    print(
        f"speed: {microseconds_per_title(titles):.1f} µs per title uncached (best of 20 passes), "
        f"{microseconds_cached(titles):.2f} µs cached"
    )
    wrong = [r for r in rows if not r.correct]
    print(f"\nmisclassified ({len(wrong)}):")
    print(f"{'split':<9}{'title':<42}{'expected':<30}{'got':<30}")
    for r in wrong:
        expected = f"{r.seniority or '-'} / {r.department or '-'}"
        got = f"{r.got.seniority or '-'} / {r.got.department or '-'}"
        print(f"{r.split:<9}{r.title[:41]:<42}{expected:<30}{got:<30}")


if __name__ == "__main__":
    main()
