"""`leadsmith merge-book | parse-text | verify-emails`: more ways in, and the opt-in MX check."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.book import LeadBook
from app.clean.deliverability import verify_emails
from app.clean.signature import parse_text
from app.errors import InvalidFile, LeadsmithError
from app.serialize import contact_json
from importers.other_book import merge_book

Common = Callable[[argparse.ArgumentParser], None]
MAX_PASTE = 1 << 20  # a signature or profile section, not a file of contacts


def register(sub: Any, common: Common) -> None:
    """Add merge-book, parse-text and verify-emails to the `leadsmith` parser."""
    p = sub.add_parser("merge-book", help="import every contact of another Leadsmith book")
    common(p)
    p.add_argument("path", type=Path, metavar="PATH", help="the other book file")
    p.add_argument("--source", default="", help="lead source label for contacts it adds")
    p.add_argument("--on-duplicate", choices=("merge", "skip", "keep"), default="merge")
    p.set_defaults(handler=cmd_merge_book)

    p = sub.add_parser("parse-text", help="split a pasted signature into contact fields")
    common(p)
    p.add_argument("--file", type=Path, help="read the text from this file (default: stdin)")
    p.add_argument("--add", action="store_true", help="add the contact to the book")
    p.set_defaults(handler=cmd_parse_text)

    p = sub.add_parser("verify-emails", help="check that email domains accept mail (DNS MX)")
    common(p)
    p.add_argument("--ids", nargs="+", type=int, metavar="ID", help="only these contacts")
    p.add_argument(
        "--nameserver", metavar="IP[:PORT]", help="DNS server to ask (default: the system's)"
    )
    p.add_argument("--timeout", type=float, default=2.0, help="seconds per lookup")
    p.set_defaults(handler=cmd_verify_emails)


def cmd_merge_book(book: LeadBook, args: argparse.Namespace) -> Any:
    """Merge another book: one import, duplicates merged (or skipped/kept), provenance kept."""
    report = merge_book(book, args.path, args.source, on_duplicate=args.on_duplicate)
    if args.json:
        return report.as_json()
    text = (
        f"{report.file}: {report.rows} contacts read, {report.added} added, "
        f"{report.merged} merged, {report.skipped} skipped (import #{report.import_id})"
    )
    for row, reason in report.skipped_rows[:20]:
        text += f"\n  contact #{row}: {reason}"
    return text


def _read_text(path: Path | None) -> str:
    if path is None:
        return sys.stdin.read(MAX_PASTE)
    try:
        with path.open(encoding="utf-8", errors="replace") as fh:
            return fh.read(MAX_PASTE)
    except OSError as exc:
        raise InvalidFile(str(path), f"cannot be read ({exc.strerror})") from None


def cmd_parse_text(book: LeadBook, args: argparse.Namespace) -> Any:
    """Show the fields found in a pasted text; with --add, add them as a contact."""
    rec = parse_text(_read_text(args.file))
    fields = {name: [c.value for c in cells] for name, cells in rec.cells.items()}
    doc: dict[str, Any] = {"fields": fields, "extra": dict(rec.extra)}
    if args.add:
        if not rec.cells:
            raise LeadsmithError("nothing to add: no name, email or phone found in the text")
        result = book.add_contact(rec)
        doc["action"] = result.action
        doc["contact"] = (
            contact_json(book.get_contact(result.contact_id)) if result.contact_id else {}
        )
    if args.json:
        return doc
    lines = [f"{name}: {'; '.join(values)}" for name, values in fields.items()]
    lines += [f"{key} (kept): {value}" for key, value in rec.extra.items()]
    if args.add:
        contact = doc["contact"]
        lines.append(f"{doc['action']} contact #{contact['id']}" if contact else "skipped")
    return "\n".join(lines) or "no contact details found"


def cmd_verify_emails(book: LeadBook, args: argparse.Namespace) -> Any:
    """Check email domains (opt-in, needs DNS); undeliverable addresses become invalid."""
    try:
        report = verify_emails(book, args.ids, args.nameserver, timeout=args.timeout)
    except ValueError as exc:  # a malformed --nameserver
        raise LeadsmithError(f"--nameserver: {exc}") from None
    doc = {
        "checked": report.checked,
        "deliverable": report.deliverable,
        "undeliverable": report.undeliverable,
        "unknown": report.unknown,
        "op_id": report.op_id,
    }
    if args.json:
        return doc
    return (
        f"{report.checked} addresses checked: {report.deliverable} deliverable, "
        f"{report.undeliverable} undeliverable (marked invalid), {report.unknown} could not be "
        "checked" + ("; `leadsmith undo` reverts" if report.op_id else "")
    )
