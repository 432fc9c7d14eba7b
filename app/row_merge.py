"""How an imported row folds into a contact: what counts as content, which point is primary, and
how two rows of the same person combine before either is written (the import's own rules; merging
stored contacts is app/dedupe/merge.py)."""

from __future__ import annotations

from app.contact import Contact, ContactPoint
from app.fields import CONTACT_COLUMNS

# Job title and company follow the most recent source; other fields only fill what is empty.
NEWEST_WINS = ("job_title",)


def has_content(c: Contact) -> bool:
    """A row worth storing: a name, a point or a company."""
    return bool(c.first_name or c.last_name or c.points or c.company.name)


def mark_primary(points: list[ContactPoint]) -> None:
    """Make one point per kind primary where none is: the first usable, else the first."""
    # One pass (three list scans per contact were ~10 % of the writer): per kind, the first
    # usable point (a value, not invalid), else the first point, unless one is primary already.
    first: dict[str, ContactPoint] = {}
    usable: dict[str, ContactPoint] = {}
    has_primary: set[str] = set()
    for p in points:
        kind = p.kind
        if kind not in _PRIMARY_KINDS:
            continue
        if p.is_primary:
            has_primary.add(kind)
        if kind not in first:
            first[kind] = p
        if kind not in usable and p.value and p.status != "invalid":
            usable[kind] = p
    for kind, p in first.items():
        if kind not in has_primary:
            usable.get(kind, p).is_primary = True


_PRIMARY_KINDS = frozenset(("email", "phone", "url"))


def merge_into(target: Contact, incoming: Contact) -> None:
    """Merge a row into a contact not yet written (same import): fill empties, keep every point."""
    for col in CONTACT_COLUMNS:
        old, new = getattr(target, col), getattr(incoming, col)
        if col != "status" and new and (not old or col in NEWEST_WINS):
            setattr(target, col, new)
    if incoming.company.name:
        target.company = incoming.company
    have = {(p.kind, p.value or p.raw) for p in target.points}
    for p in incoming.points:
        if (p.kind, p.value or p.raw) not in have:
            have.add((p.kind, p.value or p.raw))
            p.is_primary = False
            target.points.append(p)
    for tag in incoming.tags:
        if tag not in target.tags:
            target.tags.append(tag)
    for k, v in incoming.extra.items():
        target.extra.setdefault(k, v)
