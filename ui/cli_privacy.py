"""`leadsmith suppress|dnc|erase|backup|restore|provenance|contact-history|legal-basis|recover`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.backup import restore_backup
from app.book import LeadBook
from app.errors import LeadsmithError
from app.privacy import DNC_REASONS, KINDS

Common = Callable[[argparse.ArgumentParser], None]


def register(sub: Any, common: Common) -> None:
    """Add the privacy and data-safety commands to the `leadsmith` parser."""
    p = sub.add_parser("suppress", help="the do-not-contact suppression list (hashed)")
    common(p)
    p.add_argument("action", choices=("add", "import", "list"))
    p.add_argument("values", nargs="*", metavar="VALUE", help="emails, phones, domains (or FILE)")
    p.add_argument("--reason", default="", help="why (kept with the hash)")
    p.add_argument("--kind", choices=KINDS, default="", help="default: guessed per value")
    p.add_argument("--column", default="", help="for import: the CSV column holding the values")
    p.set_defaults(handler=cmd_suppress)

    p = sub.add_parser("dnc", help="flag or clear do-not-contact on contacts (undoable)")
    common(p)
    p.add_argument("action", choices=("set", "clear"))
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--reason", choices=DNC_REASONS, default="manual")
    p.set_defaults(handler=cmd_dnc)

    p = sub.add_parser("erase", help="erase people for good (right to be forgotten)")
    common(p)
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.add_argument("--reason", default="", help="why (kept in the erasure log)")
    p.set_defaults(handler=cmd_erase)

    p = sub.add_parser("backup", help="back the book up now, or list its backups")
    common(p)
    p.add_argument("action", nargs="?", choices=("now", "list"), default="now")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="replace the book with a backup (the current one is kept)")
    common(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("provenance", help="where a contact came from, with its legal basis")
    common(p)
    p.add_argument("id", type=int)
    p.set_defaults(handler=cmd_provenance)

    p = sub.add_parser("contact-history", help="every change touching one contact")
    common(p)
    p.add_argument("id", type=int)
    p.set_defaults(handler=cmd_contact_history)

    p = sub.add_parser("legal-basis", help="show or set the default legal basis of imports")
    common(p)
    p.add_argument("basis", nargs="?", default=None)
    p.set_defaults(handler=cmd_legal_basis)

    p = sub.add_parser("recover", help="report imports a crash interrupted (and discard them)")
    common(p)
    p.add_argument("--discard", action="store_true", help="remove what they wrote")
    p.set_defaults(handler=cmd_recover)


def cmd_suppress(book: LeadBook, args: argparse.Namespace) -> Any:
    """suppress add VALUE... | import FILE | list."""
    if args.action == "list":
        entries = book.suppression()
        if args.json:
            return {
                "suppression": [
                    {"kind": e.kind, "hash": e.hash, "reason": e.reason, "origin": e.origin,
                     "user": e.user, "added_at": e.added_at}
                    for e in entries
                ]
            }  # fmt: skip
        lines = [f"{e.kind:6} {e.hash[:16]}…  {e.added_at}  {e.reason}" for e in entries]
        return "\n".join([*lines, f"{len(entries)} suppressed value(s)"])
    if not args.values:
        raise LeadsmithError(f"suppress {args.action}: give at least one value")
    if args.action == "add":
        added, already = book.suppress(args.values, args.reason, args.kind)
        if args.json:
            return {"added": added, "already": already}
        return f"suppressed {added} value(s); {already} already on the list"
    docs = []
    for name in args.values:
        r = book.import_suppression(name, args.reason, args.column, args.kind)
        docs.append(
            {
                "file": name,
                "added": r.added,
                "already": r.already,
                "refused": [{"line": n, "value": v, "message": m} for n, v, m in r.refused],
            }
        )
    if args.json:
        return docs[0] if len(docs) == 1 else {"files": docs}
    lines = []
    for d in docs:
        lines.append(f"{d['file']}: {d['added']} added, {d['already']} already on the list")
        for refused in d["refused"]:  # type: ignore[attr-defined]
            lines.append(f"  line {refused['line']}: {refused['message']}")
    return "\n".join(lines)


def cmd_dnc(book: LeadBook, args: argparse.Namespace) -> Any:
    """dnc set|clear ID... [--reason CODE]."""
    n = book.set_do_not_contact(args.ids, args.reason, on=args.action == "set")
    if args.json:
        return {"changed": n}
    verb = "flagged do not contact" if args.action == "set" else "cleared do not contact on"
    return f"{verb} {n} contact(s)"


def cmd_erase(book: LeadBook, args: argparse.Namespace) -> Any:
    """erase ID... [--reason R]: not undoable; a backup is taken first."""
    result = book.erase(args.ids, args.reason)
    if args.json:
        return {
            "erased": result.contacts,
            "suppressed": result.suppressed,
            "log_id": result.log_id,
            "physically_purged": result.physically_purged,
        }
    text = f"erased {result.contacts} contact(s); {result.suppressed} value(s) suppressed"
    if not result.physically_purged:
        text += "\nwarning: the book is open elsewhere; close it there to finish the purge"
    return text


def cmd_backup(book: LeadBook, args: argparse.Namespace) -> Any:
    """backup [now] | backup list."""
    if args.action == "now":
        path = book.backup_now("manual")
        return {"backup": str(path)} if args.json else f"backed up to {path}"
    found = book.backups()
    if args.json:
        return {
            "backups": [
                {"file": str(b.path), "at": b.created_at.isoformat(timespec="seconds"),
                 "reason": b.reason, "size": b.size}
                for b in found
            ]
        }  # fmt: skip
    lines = [f"{b.created_at:%Y-%m-%d %H:%M:%S}  {b.reason:14} {b.path}" for b in found]
    return "\n".join([*lines, f"{len(found)} backup(s)"])


def cmd_restore(book: LeadBook, args: argparse.Namespace) -> Any:
    """restore FILE: the current book is backed up first, then replaced atomically."""
    path = book.path
    book.close()  # the swap needs every connection closed; the runner's close is then a no-op
    safety = restore_backup(args.file, path)
    if args.json:
        return {"restored": str(args.file), "previous": str(safety) if safety else None}
    return f"restored {args.file}" + (
        f"; the previous book was saved to {safety}" if safety else ""
    )


def cmd_provenance(book: LeadBook, args: argparse.Namespace) -> Any:
    """provenance ID: file, row, date, user, source label and legal basis of each source."""
    rows = book.provenance(args.id)
    if args.json:
        return {"contact_id": args.id, "sources": rows}
    lines = [
        f"{r['file']}" + (f", row {r['row']}" if r["row"] else "") + f" — {r['action']} "
        f"{r['imported_at']} by {r['user'] or '?'}; source: {r['source'] or '-'}; "
        f"legal basis: {r['legal_basis'] or 'not recorded'}"
        for r in rows
    ]
    return "\n".join(lines) or f"contact #{args.id} has no recorded source"


def cmd_contact_history(book: LeadBook, args: argparse.Namespace) -> Any:
    """contact-history ID: every change touching the contact, oldest first."""
    changes = book.contact_history(args.id)
    if args.json:
        return {"contact_id": args.id, "changes": changes}
    lines = []
    for c in changes:
        what = ", ".join(sorted((c["after"] or c["before"] or {}).keys()))  # type: ignore[attr-defined]
        undone = " (undone)" if c["undone"] else ""
        lines.append(
            f"#{c['op_id']} {c['at']} {c['user']}: {c['label']} [{c['table']}: {what}]{undone}"
        )
    return "\n".join(lines) or f"no recorded change touches contact #{args.id}"


def cmd_legal_basis(book: LeadBook, args: argparse.Namespace) -> Any:
    """legal-basis [BASIS]: show or set the default legal basis."""
    if args.basis is not None:
        book.default_legal_basis = args.basis
    basis = book.default_legal_basis
    if args.json:
        return {"default_legal_basis": basis}
    return f"default legal basis: {basis or '(none)'}"


def cmd_recover(book: LeadBook, args: argparse.Namespace) -> Any:
    """recover [--discard]: imports left 'running' by a crash."""
    found = book.interrupted_imports()
    discarded = book.discard_interrupted() if args.discard and found else 0
    if args.json:
        return {"interrupted": found, "discarded": discarded}
    if not found:
        return "no interrupted import: every import either finished or left no trace"
    lines = [
        f"import #{i['id']} of {i['file']} started {i['started_at']} was interrupted" for i in found
    ]
    if discarded:
        lines.append(f"discarded {discarded} interrupted import(s)")
    return "\n".join(lines)
