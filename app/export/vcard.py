"""A vCard 3.0 (RFC 2426) / 4.0 (RFC 6350) serializer: CRLF, escaping, folding at 75 octets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from app.contact import Contact, ContactPoint
from app.export.safety import is_clean_e164
from app.export.values import country_name, point_text

FOLD_OCTETS = 75
_UID_NAMESPACE = uuid.UUID("6f1c2a8e-3c1d-4c55-9a57-6c2f4b1d9e10")  # Leadsmith's, fixed forever

# TEL / EMAIL types per point label; 3.0 writes them upper-case (RFC 2426), 4.0 lower-case.
_TEL_TYPES = {"work": "work,voice", "mobile": "cell", "home": "home,voice", "company": "work"}
_EMAIL_TYPES = {"work": "work", "home": "home"}


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, comma, semicolon and newlines (RFC 6350 §3.4)."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def structured(*components: str) -> str:
    """A structured value (N, ADR, ORG): each component escaped, joined by ";"."""
    return ";".join(escape_text(c) for c in components)


def fold_line(line: str) -> str:
    """Fold a content line at 75 octets with CRLF + space, never inside a UTF-8 sequence."""
    if len(line.encode("utf-8")) <= FOLD_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    limit = FOLD_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if used + size > limit:
            pieces.append("".join(current))
            current, used = [], 0
            limit = FOLD_OCTETS - 1  # the leading space of a continuation line counts
        current.append(char)
        used += size
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def formatted_name(contact: Contact) -> str:
    """FN: the person's name, else the company, else the email (FN must not be empty)."""
    return contact.display_name or contact.company.name or contact.primary_email


def _types(version: str, types: str, pref: bool) -> str:
    if version == "3.0":
        items = [t.upper() for t in types.split(",") if t]
        if pref:
            items.append("PREF")
        return ";TYPE=" + ",".join(items) if items else ""
    params = f";TYPE={types}" if types else ""
    return params + (";PREF=1" if pref else "")


def _email(version: str, p: ContactPoint) -> str:
    types = _EMAIL_TYPES.get(p.label, "")
    if version == "3.0":
        types = "internet," + types if types else "internet"
    return f"EMAIL{_types(version, types, p.is_primary)}:{escape_text(point_text(p))}"


def _tel(version: str, p: ContactPoint) -> str:
    types = _TEL_TYPES.get(p.label, "voice")
    text = point_text(p)
    if version == "4.0":
        # 4.0's TEL is a URI by default; a number we could not normalize stays as text.
        kind, text = ("uri", f"tel:{text}") if is_clean_e164(text) else ("text", escape_text(text))
        return f"TEL;VALUE={kind}{_types(version, types, p.is_primary)}:{text}"
    return f"TEL{_types(version, types, p.is_primary)}:{escape_text(text)}"


def _rev(version: str, stamp: str) -> str:
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError:
        return ""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ" if version == "3.0" else "%Y%m%dT%H%M%SZ")


def vcard_lines(contact: Contact, version: str) -> list[str]:
    """The unfolded content lines of one contact's vCard."""
    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version!r}")
    c = contact
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"FN:{escape_text(formatted_name(c))}"]
    names = (c.last_name, c.first_name, c.middle_name, c.prefix, c.suffix)
    if version == "3.0" or any(names):
        lines.append("N:" + structured(*names))  # required in 3.0, optional in 4.0
    if c.company.name or c.department:
        lines.append("ORG:" + structured(*(p for p in (c.company.name, c.department) if p)))
    if c.job_title:
        lines.append(f"TITLE:{escape_text(c.job_title)}")
    lines += [_email(version, p) for p in c.emails]
    lines += [_tel(version, p) for p in c.phones]
    for p in c.urls:
        lines.append(f"URL:{escape_text(point_text(p))}")
    if c.company.website and c.company.website not in (point_text(p) for p in c.urls):
        lines.append(f"URL{_types(version, 'work', False)}:{escape_text(c.company.website)}")
    if any((c.street, c.city, c.region, c.postal_code, c.country)):
        adr = structured("", "", c.street, c.city, c.region, c.postal_code, country_name(c))
        lines.append(f"ADR{_types(version, 'work', False)}:{adr}")
    if c.notes:
        lines.append(f"NOTE:{escape_text(c.notes)}")
    if c.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(t) for t in c.tags))
    if c.id is not None:
        uid = uuid.uuid5(_UID_NAMESPACE, f"contact:{c.id}")
        lines.append(f"UID:urn:uuid:{uid}")
    rev = _rev(version, c.updated_at) if c.updated_at else ""
    if rev:
        lines.append(f"REV:{rev}")
    lines.append("END:VCARD")
    return lines


def vcard_text(contact: Contact, version: str) -> str:
    """One contact as a vCard: folded lines, each ending in CRLF."""
    return "".join(fold_line(line) + "\r\n" for line in vcard_lines(contact, version))
