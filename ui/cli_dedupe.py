"""`leadsmith dedupe | merge | unmerge`: find, merge and unmerge duplicates from the terminal."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.book import LeadBook
from app.errors import InvalidValue


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the dedupe, merge and unmerge commands (DESIGN §8)."""
    p = sub.add_parser("dedupe", help="find duplicate contacts (and merge the certain ones)")
    common(p)
    p.add_argument(
        "--min-score",
        type=int,
        default=None,
        metavar="0-100",
        help="show groups from this score (default: the book's review score)",
    )
    p.add_argument("--apply", action="store_true", help="merge the certain groups")
    p.add_argument(
        "--not-duplicate",
        nargs="+",
        type=int,
        metavar="ID",
        help="remember that these contacts are different people",
    )
    p.set_defaults(handler=cmd_dedupe)

    p = sub.add_parser("merge", help="merge contacts into the first one given")
    common(p)
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument(
        "--pick",
        action="append",
        default=[],
        metavar="FIELD=ID",
        help="take this field's value from that contact (repeatable)",
    )
    p.add_argument(
        "--confirm",
        action="store_true",
        help="merge even a do-not-contact person or different legal bases",
    )
    p.set_defaults(handler=cmd_merge)

    p = sub.add_parser("unmerge", help="revert the merge a contact took part in")
    common(p)
    p.add_argument("id", type=int, metavar="ID")
    p.set_defaults(handler=cmd_unmerge)


def cmd_dedupe(book: LeadBook, args: argparse.Namespace) -> Any:
    """List duplicate groups; with --apply merge the certain ones; or remember a rejection."""
    if args.not_duplicate:
        if len(set(args.not_duplicate)) < 2:
            raise InvalidValue("--not-duplicate needs two different contact ids")
        n = book.mark_not_duplicate(*args.not_duplicate)
        ids = sorted(set(args.not_duplicate))
        if args.json:
            return {"not_duplicate": ids, "pairs": n}
        return f"Remembered: {', '.join(f'#{i}' for i in ids)} are different people."
    groups = book.find_duplicates(args.min_score)
    if args.apply:
        outcome = book.apply_duplicates(groups)
        if args.json:
            return {
                "groups": [g.as_json() for g in groups],
                "merged": [g.as_json() for g in outcome.merged],
                "refused": [{**g.as_json(), "message": m} for g, m in outcome.refused],
            }
        lines = [
            f"merged {', '.join(f'#{i}' for i in g.ids[1:])} into #{g.ids[0]} "
            f"(score {g.score}: {'; '.join(g.reasons)})"
            for g in outcome.merged
        ]
        lines += [f"not merged {list(g.ids)}: {m}" for g, m in outcome.refused]
        left = sum(1 for g in groups if not g.certain)
        lines.append(f"{len(outcome.merged)} group(s) merged; {left} left for review.")
        return "\n".join(lines)
    if args.json:
        return {"groups": [g.as_json() for g in groups]}
    if not groups:
        return "No duplicates found."
    lines = [
        f"{'certain' if g.certain else 'review '}  {g.score:3d}  "
        f"{', '.join(f'#{i}' for i in g.ids)}  {'; '.join(g.reasons)}"
        for g in groups
    ]
    return "\n".join(lines)


def _choices(picks: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pick in picks:
        field, sep, cid = pick.partition("=")
        if not sep or not cid.strip().isdigit():
            raise InvalidValue(f"--pick takes FIELD=ID, such as job_title=12; got {pick!r}")
        out[field.strip()] = int(cid)
    return out


def cmd_merge(book: LeadBook, args: argparse.Namespace) -> Any:
    """Merge the contacts into the first id."""
    if len(set(args.ids)) < 2:
        raise InvalidValue("give at least two different contact ids; the first one survives")
    survivor, *others = args.ids
    op = book.merge_contacts(survivor, others, _choices(args.pick), confirm=args.confirm)
    if args.json:
        return {"survivor": survivor, "merged": others, "operation": op}
    return f"Merged {', '.join(f'#{o}' for o in others)} into #{survivor} (undo with `unmerge {survivor}`)."


def cmd_unmerge(book: LeadBook, args: argparse.Namespace) -> Any:
    """Revert the merge a contact took part in."""
    restored = book.unmerge(args.id)
    if args.json:
        return {"survivor": restored[0], "restored": restored[1:]}
    return f"Unmerged {', '.join(f'#{i}' for i in restored[1:])} from #{restored[0]}."
