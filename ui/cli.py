"""`leadsmith COMMAND`: every capability headless. Imports no Qt, so it starts fast."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app.backup import maybe_daily_backup
from app.book import LIFECYCLE, LeadBook
from app.contact import Contact, RawRecord
from app.errors import JobCancelled, LeadsmithError
from app.paths import default_book_path
from app.query import ContactFilter
from app.serialize import contact_json

Handler = Callable[[LeadBook, argparse.Namespace], Any]

# Command groups that live in their own module: each has `register(subparsers, common)` adding its
# subcommands with `set_defaults(handler=fn)` where `fn(book, args)` returns text or a JSON document.
EXTENSIONS: tuple[str, ...] = (
    "ui.cli_dedupe",
    "ui.cli_audience",
    "ui.cli_privacy",
    "ui.cli_import_extra",
)


def _common(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    p.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the book file (default: $LEADSMITH_DB or the user data folder)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="print one JSON document instead of text",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (DESIGN §8)."""
    parser = argparse.ArgumentParser(
        prog="leadsmith", description="Build clean, targeted prospect lists."
    )
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import contact files")
    _common(p)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--list", dest="list_name", default="", help="add the contacts to this list")
    p.add_argument("--source", default="", help="lead source label (e.g. 'Trade show Berlin 2026')")
    p.add_argument(
        "--legal-basis", default="", help="legal basis for processing (e.g. legitimate interest)"
    )
    p.add_argument(
        "--region", default="", help="region for phones without a country code (e.g. GB)"
    )
    p.add_argument("--on-duplicate", choices=("merge", "skip", "keep"), default="merge")
    p.add_argument("--mapping", type=Path, help='JSON file: {"Column header": "field" | null}')
    p.add_argument("--sheet", help="worksheet to read from a workbook")
    p.add_argument("--encoding", help="override the detected encoding (e.g. cp1252)")
    p.add_argument("--delimiter", help="override the detected delimiter (',', ';', 'tab', '|')")
    p.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("add", help="add one contact by hand")
    _common(p)
    for flag in (
        "first-name",
        "last-name",
        "email",
        "phone",
        "mobile",
        "company",
        "title",
        "country",
        "linkedin",
        "website",
        "city",
    ):
        p.add_argument(f"--{flag}", default="")
    p.add_argument("--list", dest="list_name", default="")
    p.add_argument("--on-duplicate", choices=("merge", "skip", "keep"), default="merge")
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("list", help="list contacts")
    _common(p)
    p.add_argument("search", nargs="?", default="")
    p.add_argument("--list", dest="list_name", default="")
    p.add_argument("--tag", default="")
    p.add_argument("--status", default="")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one contact")
    _common(p)
    p.add_argument("id", type=int)
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("export", help="export contacts to a file")
    _common(p)
    p.add_argument(
        "--format", required=True, help="csv, hubspot, salesforce-wizard… (see `formats`)"
    )
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--list", dest="list_name", default="")
    p.add_argument("--tag", default="")
    p.add_argument("--status", default="")
    p.add_argument(
        "--only-new", action="store_true", help="only contacts not yet exported with this format"
    )
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("formats", help="list export formats")
    _common(p)
    p.set_defaults(handler=cmd_formats)

    p = sub.add_parser("stats", help="counts of contacts, statuses and data quality")
    _common(p)
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("undo", help="undo the last operation (an import, an edit, a delete…)")
    _common(p)
    p.set_defaults(handler=cmd_undo)

    p = sub.add_parser("redo", help="redo the operation undone last (not an import)")
    _common(p)
    p.set_defaults(handler=cmd_redo)

    p = sub.add_parser("history", help="the operations log")
    _common(p)
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=cmd_history)
    for name in EXTENSIONS:
        importlib.import_module(name).register(sub, _common)
    return parser


# -- commands ------------------------------------------------------------------------------------
def cmd_import(book: LeadBook, args: argparse.Namespace) -> Any:
    """Import each file; one report per file."""
    from importers.parallel import few_collections
    from importers.pipeline import ImportOptions, run_import

    mapping = None
    if args.mapping:
        try:
            mapping = json.loads(args.mapping.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LeadsmithError(f"{args.mapping}: cannot read the mapping file ({exc})") from exc
        if not isinstance(mapping, dict):
            raise LeadsmithError(
                f"{args.mapping}: the mapping must be a JSON object of column -> field"
            )
    delimiter = {"tab": "\t", "\\t": "\t"}.get(args.delimiter or "", args.delimiter)
    reports = []
    for name in args.files:
        options = ImportOptions(
            list_name=args.list_name,
            source_label=args.source,
            legal_basis=args.legal_basis,
            on_duplicate=args.on_duplicate,
            region=args.region,
            mapping=mapping,
            dry_run=args.dry_run,
            encoding=args.encoding,
            delimiter=delimiter,
            sheet=args.sheet,
        )
        with few_collections():  # no UI in this process: see importers/parallel.py
            reports.append(run_import(book, Path(name), options))
    if args.json:
        docs = [r.as_json() | ({"dry_run": True} if r.dry_run else {}) for r in reports]
        return docs[0] if len(docs) == 1 else {"imports": docs}
    lines = []
    for r in reports:
        verb = "would import" if r.dry_run else "imported"
        lines.append(
            f"{r.file}: {verb} {r.rows} rows — {r.added} added, {r.merged} merged, "
            f"{r.skipped} skipped, {r.invalid} with invalid values"
        )
        for issue in r.issues[:20]:
            lines.append(f"  row {issue.row}, {issue.column}: {issue.value!r}: {issue.message}")
        if len(r.issues) > 20:
            lines.append(f"  … and {len(r.issues) - 20} more problems")
    return "\n".join(lines)


def cmd_add(book: LeadBook, args: argparse.Namespace) -> Any:
    """Add one contact; merges into an existing one with the same email or LinkedIn URL."""
    rec = RawRecord(row=0)
    pairs = [
        ("first_name", "first-name", args.first_name),
        ("last_name", "last-name", args.last_name),
        ("email", "email", args.email),
        ("phone", "phone", args.phone),
        ("mobile_phone", "mobile", args.mobile),
        ("company", "company", args.company),
        ("job_title", "title", args.title),
        ("country", "country", args.country),
        ("linkedin_url", "linkedin", args.linkedin),
        ("website", "website", args.website),
        ("city", "city", args.city),
    ]
    for field_name, column, value in pairs:
        rec.add(field_name, column, value)
        if value:
            rec.raw[column] = value
    if not rec.cells:
        raise LeadsmithError("nothing to add: give at least a name, an email or a phone")
    result = book.add_contact(rec, on_duplicate=args.on_duplicate, list_name=args.list_name)
    if args.json:
        doc = contact_json(book.get_contact(result.contact_id)) if result.contact_id else {}
        return {
            "action": result.action,
            "contact": doc,
            "issues": [i.as_dict() for i in result.report.issues],
        }
    if result.contact_id is None:
        return "skipped: this contact is already in the book"
    text = f"{result.action} contact #{result.contact_id}"
    for issue in result.report.issues:
        text += f"\n  {issue.column}: {issue.value!r}: {issue.message}"
    return text


def _filter(args: argparse.Namespace) -> ContactFilter:
    status = getattr(args, "status", "")
    if status and status.casefold() not in {s.casefold() for s in LIFECYCLE}:
        raise LeadsmithError(f"unknown status {status!r}; use one of {', '.join(LIFECYCLE)}")
    return ContactFilter(
        search=getattr(args, "search", ""), list_name=args.list_name, tag=args.tag, status=status
    )


def cmd_list(book: LeadBook, args: argparse.Namespace) -> Any:
    """List contacts matching a search and filters."""
    f = _filter(args)
    contacts = book.contacts(f, limit=args.limit)
    total = book.count(f)
    if args.json:
        return {"contacts": [contact_json(c) for c in contacts], "total": total}
    lines = [_one_line(c) for c in contacts]
    lines.append(f"{len(contacts)} of {total} contact(s)")
    return "\n".join(lines)


def _one_line(c: Contact) -> str:
    bits = [f"#{c.id}", c.display_name or "(no name)"]
    if c.job_title:
        bits.append(c.job_title)
    if c.company.name:
        bits.append(c.company.name)
    if c.primary_email:
        bits.append(c.primary_email)
    if c.primary_phone:
        bits.append(c.primary_phone)
    return "  ".join(bits)


def cmd_show(book: LeadBook, args: argparse.Namespace) -> Any:
    """Show one contact with its points, sources and extra columns."""
    c = book.get_contact(args.id)
    if args.json:
        return contact_json(c)
    lines = [f"#{c.id}  {c.display_name}", f"  status: {c.status}"]
    for label, value in (
        ("title", c.job_title),
        ("company", c.company.name),
        ("country", c.country),
        ("linkedin", c.linkedin_url),
    ):
        if value:
            lines.append(f"  {label}: {value}")
    for p in c.points:
        note = f" ({p.reason})" if p.reason else ""
        lines.append(f"  {p.kind} [{p.label}]: {p.value or p.raw} — {p.status}{note}")
    for k, v in c.extra.items():
        lines.append(f"  {k}: {v}")
    for s in c.sources:
        lines.append(
            f"  source: {s.file}"
            + (f", row {s.row}" if s.row else "")
            + f" (import #{s.import_id})"
        )
    return "\n".join(lines)


def cmd_export(book: LeadBook, args: argparse.Namespace) -> Any:
    """Export the selected contacts with a format preset."""
    f = _filter(args)
    result = book.export(args.format, args.out, f, only_new=args.only_new)
    if args.json:
        return {
            "files": [str(p) for p in result.files],
            "rows": result.rows,
            "skipped": [
                {
                    "contact_id": s.contact_id,
                    "column": s.column,
                    "value": s.value,
                    "message": s.message,
                }
                for s in result.skipped
            ],
        }
    text = f"exported {result.rows} contact(s) to " + ", ".join(str(p) for p in result.files)
    if result.skipped:
        text += f"\n{len(result.skipped)} contact(s) skipped:"
        for s in result.skipped[:20]:
            text += f"\n  #{s.contact_id} {s.column}: {s.message}"
    return text


def cmd_formats(book: LeadBook, args: argparse.Namespace) -> Any:
    """List the export formats (presets)."""
    from app.export.presets import load_presets

    presets = load_presets()
    if args.json:
        return {
            "formats": [
                {"name": p.name, "label": p.label, "writer": p.writer} for p in presets.values()
            ]
        }
    return "\n".join(f"{p.name:24} {p.label}" for p in presets.values())


def cmd_stats(book: LeadBook, args: argparse.Namespace) -> Any:
    """Counts of contacts, statuses and validation outcomes."""
    stats = book.stats()
    if args.json:
        return stats
    lines = [
        f"{stats['contacts']} contacts, {stats['companies']} companies, {stats['imports']} imports"
    ]
    for status, n in dict(stats["by_status"]).items():  # type: ignore[call-overload]
        lines.append(f"  {status}: {n}")
    lines.append(f"  emails: {stats['emails']}")
    lines.append(f"  phones: {stats['phones']}")
    return "\n".join(lines)


def cmd_undo(book: LeadBook, args: argparse.Namespace) -> Any:
    """Undo the most recent operation."""
    result = book.undo()
    if result is None:
        raise LeadsmithError("nothing to undo")
    if args.json:
        return {
            "undone": {"id": result.op_id, "kind": result.kind, "label": result.label},
            "contacts": list(result.contact_ids),
        }
    return f"undone: {result.label}"


def cmd_redo(book: LeadBook, args: argparse.Namespace) -> Any:
    """Redo the operation undone last (RedoRefused, a LeadsmithError, says why it cannot)."""
    result = book.redo()
    if result is None:
        raise LeadsmithError("nothing to redo")
    if args.json:
        return {
            "redone": {"id": result.op_id, "kind": result.kind, "label": result.label},
            "contacts": list(result.contact_ids),
        }
    return f"redone: {result.label}"


def cmd_history(book: LeadBook, args: argparse.Namespace) -> Any:
    """The operations log, newest first."""
    ops = book.history(args.limit)
    if args.json:
        return {
            "operations": [
                {
                    "id": o.id,
                    "kind": o.kind,
                    "label": o.label,
                    "user": o.user,
                    "at": o.at,
                    "import_id": o.import_id,
                    "undone_at": o.undone_at,
                }
                for o in ops
            ]
        }
    return "\n".join(
        f"#{o.id} {o.at} {o.user}: {o.label}" + (" (undone)" if o.undone_at else "") for o in ops
    )


# -- entry point ---------------------------------------------------------------------------------
def run(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code (0 ok, 1 failure, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    path = Path(args.db).expanduser() if args.db else default_book_path()
    try:
        maybe_daily_backup(path)
        with LeadBook.open(path) as book:
            out = args.handler(book, args)
    except JobCancelled as exc:
        print(f"leadsmith: {exc.user_message()}", file=sys.stderr)
        return 1
    except LeadsmithError as exc:
        print(f"leadsmith: {exc.user_message()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("leadsmith: interrupted; nothing was changed", file=sys.stderr)
        return 130
    try:
        if args.json:
            print(json.dumps(out, ensure_ascii=False, indent=2))
        elif out:
            print(out)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours; silence the flush at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point."""
    return run(argv)
