"""CLI commands for audiences, tags, statuses, lists, review and list economics (issue 5).

`leadsmith audience save|apply|list|count|explain`, `tag add|remove`, `status set`,
`lists create|cost|import-cost|show`, `review next|accept|reject|note|progress`, `economics`,
`classify-titles`. Every handler returns text, or one JSON document with --json.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.audience import Criteria, audience_json, fit_json
from app.book import LeadBook
from app.economics import Economics
from app.errors import LeadsmithError
from app.review import ReviewFilter
from app.serialize import contact_json

Common = Callable[[argparse.ArgumentParser], None]


def register(sub: Any, common: Common) -> None:
    """Add this area's subcommands to the `leadsmith` parser."""
    _register_audience(sub, common)
    p = sub.add_parser("tag", help="add or remove a tag on contacts")
    common(p)
    p.add_argument("action", choices=("add", "remove"))
    p.add_argument("tag")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    p.set_defaults(handler=cmd_tag)

    p = sub.add_parser("status", help="move contacts along the lead cycle")
    common(p)
    p.add_argument("action", choices=("set",))
    p.add_argument("status")
    p.add_argument("ids", nargs="+", type=int, metavar="ID")
    for part in ("budget", "authority", "need", "timeline"):
        p.add_argument(f"--{part}", default="", help=f"BANT {part}: a value or an evidence note")
    p.add_argument("--reason", default="")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("lists", help="lists (sourcing projects) and their cost")
    lsub = p.add_subparsers(dest="lists_command", metavar="ACTION", required=True)
    q = lsub.add_parser("create", help="create a list")
    common(q)
    q.add_argument("name")
    q.add_argument("--cost", type=float)
    q.add_argument("--notes", default="")
    q.set_defaults(handler=cmd_list_create)
    q = lsub.add_parser("cost", help="record what a list cost")
    common(q)
    q.add_argument("name")
    q.add_argument("amount", type=float)
    q.set_defaults(handler=cmd_list_cost)
    q = lsub.add_parser("import-cost", help="record what an imported file cost")
    common(q)
    q.add_argument("import_id", type=int)
    q.add_argument("amount", type=float)
    q.set_defaults(handler=cmd_import_cost)
    q = lsub.add_parser("show", help="every list with its members and cost")
    common(q)
    q.set_defaults(handler=cmd_list_show)

    p = sub.add_parser("economics", help="cost per lead, valid lead, SAL and SQL")
    common(p)
    p.add_argument("--list", dest="list_name", default="")
    p.add_argument("--import", dest="import_id", type=int)
    p.set_defaults(handler=cmd_economics)

    p = sub.add_parser("classify-titles", help="fill empty seniority/department from job titles")
    common(p)
    p.add_argument("ids", nargs="*", type=int, metavar="ID")
    p.set_defaults(handler=cmd_classify)
    _register_review(sub, common)


def _criteria_flags(p: argparse.ArgumentParser) -> None:
    add = p.add_argument
    add("--title-keyword", action="append", default=[], dest="title_keywords")
    add("--seniority", action="append", default=[], dest="seniorities")
    add("--department", action="append", default=[], dest="departments")
    add("--industry", action="append", default=[], dest="industries")
    add("--size", action="append", default=[], dest="sizes", help="e.g. 51-200, 5000+")
    add("--country", action="append", default=[], dest="countries")
    add("--require-email", action="store_true")
    add("--require-phone", action="store_true")
    add("--exclude-domain", action="append", default=[], dest="exclude_domains")


def _register_audience(sub: Any, common: Common) -> None:
    p = sub.add_parser("audience", help="target audiences (ICP): save, apply, list")
    asub = p.add_subparsers(dest="audience_command", metavar="ACTION", required=True)
    q = asub.add_parser("save", help="save an audience's criteria")
    common(q)
    q.add_argument("name")
    _criteria_flags(q)
    q.add_argument("--threshold", type=int, default=70, help="fit score that makes a lead MQL")
    q.add_argument(
        "--weight", action="append", default=[], metavar="CRITERION=N", help="e.g. title=40"
    )
    q.add_argument("--no-auto-apply", action="store_true", help="do not re-apply on imports")
    q.set_defaults(handler=cmd_audience_save)
    q = asub.add_parser("apply", help="tag, score and promote the matching contacts")
    common(q)
    q.add_argument("name")
    q.set_defaults(handler=cmd_audience_apply)
    q = asub.add_parser("list", help="every saved audience")
    common(q)
    q.set_defaults(handler=cmd_audience_list)
    q = asub.add_parser("count", help="how many contacts criteria match")
    common(q)
    _criteria_flags(q)
    q.set_defaults(handler=cmd_audience_count)
    q = asub.add_parser("explain", help="a contact's fit with its breakdown")
    common(q)
    q.add_argument("name")
    q.add_argument("id", type=int)
    q.set_defaults(handler=cmd_audience_explain)


def _register_review(sub: Any, common: Common) -> None:
    p = sub.add_parser("review", help="review sourced contacts")
    rsub = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    for name, handler in (("next", cmd_review_next), ("progress", cmd_review_progress)):
        q = rsub.add_parser(name)
        common(q)
        q.add_argument("--audience", default="")
        q.add_argument("--list", dest="list_name", default="")
        q.add_argument("--source", default="")
        q.add_argument("--sourcer", default="")
        q.set_defaults(handler=handler)
    q = rsub.add_parser("accept", help="accept contacts (-> SAL)")
    common(q)
    q.add_argument("ids", nargs="+", type=int, metavar="ID")
    q.set_defaults(handler=cmd_review_accept)
    q = rsub.add_parser("reject", help="reject contacts (-> Disqualified, or Recycled)")
    common(q)
    q.add_argument("ids", nargs="+", type=int, metavar="ID")
    q.add_argument("--reason", required=True)
    q.add_argument("--recycle", action="store_true", help="not now: Recycled, not Disqualified")
    q.set_defaults(handler=cmd_review_reject)
    q = rsub.add_parser("note", help="add a note to a contact")
    common(q)
    q.add_argument("id", type=int)
    q.add_argument("text")
    q.set_defaults(handler=cmd_review_note)


# -- audience ------------------------------------------------------------------------------------
def _criteria(args: argparse.Namespace) -> Criteria:
    return Criteria.from_dict(
        {
            "title_keywords": args.title_keywords,
            "seniorities": args.seniorities,
            "departments": args.departments,
            "industries": args.industries,
            "sizes": args.sizes,
            "countries": args.countries,
            "require_email": args.require_email,
            "require_phone": args.require_phone,
            "exclude_domains": args.exclude_domains,
        }
    )


def _weights(pairs: list[str]) -> dict[str, int]:
    weights: dict[str, int] = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        if not value.strip().isdigit():
            raise LeadsmithError(f"--weight {pair!r}: use CRITERION=N, e.g. title=40")
        weights[key.strip()] = int(value)
    return weights


def cmd_audience_save(book: LeadBook, args: argparse.Namespace) -> Any:
    """Save an audience; reports how many contacts match it now."""
    a = book.save_audience(
        args.name, _criteria(args), _weights(args.weight), args.threshold, not args.no_auto_apply
    )
    matching = book.count_matching(a.criteria)
    if args.json:
        return audience_json(a) | {"matching": matching}
    return f"saved audience {a.name!r}: {matching} contact(s) match"


def cmd_audience_apply(book: LeadBook, args: argparse.Namespace) -> Any:
    """Apply an audience to every contact."""
    r = book.apply_audience(args.name)
    if args.json:
        return r.as_json()
    return (
        f"{r.audience}: scored {r.scored}, {r.matched} match; tagged {r.tagged}, "
        f"untagged {r.untagged}; {r.promoted} promoted to MQL"
    )


def cmd_audience_list(book: LeadBook, args: argparse.Namespace) -> Any:
    """Every saved audience with how many contacts match it."""
    rows = [(a, book.count_matching(a.criteria)) for a in book.audiences()]
    if args.json:
        return {"audiences": [audience_json(a) | {"matching": n} for a, n in rows]}
    return "\n".join(f"{a.name}: {n} match (threshold {a.threshold})" for a, n in rows) or (
        "no audiences yet"
    )


def cmd_audience_count(book: LeadBook, args: argparse.Namespace) -> Any:
    """Count the contacts criteria match, without saving them."""
    n = book.count_matching(_criteria(args))
    return {"matching": n} if args.json else f"{n} contact(s) match"


def cmd_audience_explain(book: LeadBook, args: argparse.Namespace) -> Any:
    """A contact's fit to an audience, criterion by criterion."""
    fit = book.explain_fit(args.name, args.id)
    if args.json:
        return fit_json(fit)
    lines = [f"#{fit.contact_id}: {fit.score} ({fit.grade})" + (" — match" if fit.matched else "")]
    lines += [f"  excluded: {g}" for g in fit.failed_gates]
    for r in fit.breakdown:
        mark = "✓" if r.matched else "✗"
        lines.append(f"  {mark} {r.criterion}: {r.value or '—'} ({r.earned}/{r.weight})")
    return "\n".join(lines)


# -- tags, statuses, lists -----------------------------------------------------------------------
def cmd_tag(book: LeadBook, args: argparse.Namespace) -> Any:
    """Add or remove a tag."""
    if args.action == "add":
        n = book.add_tag(args.ids, args.tag)
    else:
        n = book.remove_tag(args.ids, args.tag)
    if args.json:
        return {"tag": args.tag, "action": args.action, "changed": n, "ids": args.ids}
    verb = "tagged" if args.action == "add" else "untagged"
    return f"{verb} {n} contact(s) {args.tag!r}"


def cmd_status(book: LeadBook, args: argparse.Namespace) -> Any:
    """Set the lead status of contacts (SQL needs BANT)."""
    bant = {k: getattr(args, k) for k in ("budget", "authority", "need", "timeline")}
    n = book.set_status(args.ids, args.status, reason=args.reason, bant=bant)
    status = book.get_contact(args.ids[0]).status
    if args.json:
        return {"status": status, "moved": n, "ids": args.ids}
    return f"{n} contact(s) moved to {status}"


def cmd_list_create(book: LeadBook, args: argparse.Namespace) -> Any:
    """Create a list."""
    lid = book.create_list(args.name, args.cost, args.notes)
    if args.json:
        return {"id": lid, "list": args.name, "cost": args.cost}
    return f"created list {args.name!r}"


def cmd_list_cost(book: LeadBook, args: argparse.Namespace) -> Any:
    """Record what a list cost."""
    book.set_list_cost(args.name, args.amount)
    return (
        {"list": args.name, "cost": args.amount}
        if args.json
        else f"{args.name}: cost {args.amount:.2f}"
    )


def cmd_import_cost(book: LeadBook, args: argparse.Namespace) -> Any:
    """Record what an imported file cost."""
    book.set_import_cost(args.import_id, args.amount)
    if args.json:
        return {"import_id": args.import_id, "cost": args.amount}
    return f"import #{args.import_id}: cost {args.amount:.2f}"


def cmd_list_show(book: LeadBook, args: argparse.Namespace) -> Any:
    """Every list with its live members and cost."""
    costs = dict(book.conn.execute("SELECT name, cost FROM lists").fetchall())
    rows = [{"name": n, "members": m, "cost": costs.get(n)} for n, m in book.lists()]
    if args.json:
        return {"lists": rows}
    return "\n".join(f"{r['name']}: {r['members']} contact(s)" for r in rows) or "no lists yet"


def _money(value: object) -> str:
    return "—" if value is None else f"{float(value):.2f}"  # type: ignore[arg-type]


def cmd_economics(book: LeadBook, args: argparse.Namespace) -> Any:
    """Cost per lead, per valid-email lead, per SAL and per SQL."""
    result = book.economics(args.list_name, args.import_id)
    doc = result.as_json() if isinstance(result, Economics) else result
    if args.json:
        return doc
    if isinstance(result, Economics):
        docs: list[Any] = [doc]
    else:
        docs = [*result["lists"], *result["imports"], result["total"]]  # type: ignore[misc]
    lines = []
    for d in docs:
        lines.append(
            f"{d['scope']} {d['name']}: {d['leads']} leads, cost {_money(d['cost'])}; per lead "
            f"{_money(d['cost_per_lead'])}, per valid email {_money(d['cost_per_valid_email_lead'])}, "
            f"per SAL {_money(d['cost_per_sal'])}, per SQL {_money(d['cost_per_sql'])}"
        )
    return "\n".join(lines)


def cmd_classify(book: LeadBook, args: argparse.Namespace) -> Any:
    """Fill empty seniority and department from job titles."""
    n = book.classify_titles(args.ids or None)
    return {"classified": n} if args.json else f"classified {n} contact(s)"


# -- review --------------------------------------------------------------------------------------
def _review_filter(args: argparse.Namespace) -> ReviewFilter:
    return ReviewFilter(args.audience, args.list_name, args.source, args.sourcer)


def cmd_review_next(book: LeadBook, args: argparse.Namespace) -> Any:
    """The next contact to review, with the progress so far."""
    f = _review_filter(args)
    cid = book.review_session(f).current()
    p = book.review_progress(f)
    contact = book.get_contact(cid) if cid is not None else None
    if args.json:
        return {
            "contact": contact_json(contact) if contact else None,
            "reviewed": p.reviewed,
            "total": p.total,
        }
    head = f"reviewed {p.reviewed} of {p.total}"
    return head if contact is None else f"{head}\nnext: #{contact.id} {contact.display_name}"


def cmd_review_progress(book: LeadBook, args: argparse.Namespace) -> Any:
    """Reviewed / total."""
    p = book.review_progress(_review_filter(args))
    if args.json:
        return {"reviewed": p.reviewed, "total": p.total}
    return f"reviewed {p.reviewed} of {p.total}"


def cmd_review_accept(book: LeadBook, args: argparse.Namespace) -> Any:
    """Accept contacts (-> SAL)."""
    for cid in args.ids:
        book.accept_contact(cid)
    return {"accepted": args.ids} if args.json else f"accepted {len(args.ids)} contact(s)"


def cmd_review_reject(book: LeadBook, args: argparse.Namespace) -> Any:
    """Reject contacts with a reason."""
    for cid in args.ids:
        book.reject_contact(cid, args.reason, args.recycle)
    status = "Recycled" if args.recycle else "Disqualified"
    if args.json:
        return {"rejected": args.ids, "status": status, "reason": args.reason}
    return f"rejected {len(args.ids)} contact(s) ({status})"


def cmd_review_note(book: LeadBook, args: argparse.Namespace) -> Any:
    """Add a note to a contact."""
    notes = book.add_note(args.id, args.text)
    return {"id": args.id, "notes": notes} if args.json else "note added"
