"""What fills an export cell: the `source` keys a preset column names, resolved on a Contact."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

import pycountry

from app.contact import Contact, ContactPoint

Value = str | int | float | bool | list[str] | None

# Labels as people read them (Google's "E-mail 1 - Label", vCard TYPE); "" and unknown read "Other".
POINT_LABELS: dict[str, str] = {
    "work": "Work",
    "mobile": "Mobile",
    "home": "Home",
    "company": "Work",
    "linkedin": "LinkedIn",
    "website": "Homepage",
    "other": "Other",
}

_CONTACT_TEXT = (
    "prefix",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "job_title",
    "seniority",
    "department",
    "street",
    "city",
    "region",
    "postal_code",
    "lead_source",
    "status",
    "grade",
    "legal_basis",
    "notes",
    "created_at",
    "updated_at",
)
_COMPANY = (
    "name",
    "domain",
    "website",
    "industry",
    "employees",
    "annual_revenue",
    "phone",
    "country",
)
_PHONE_LABELS = ("work", "mobile", "home")
_NTH = re.compile(r"(email|phone|url)\.([1-9][0-9]?)(\.label)?")


def point_text(point: ContactPoint) -> str:
    """The normalized value of a point, or its raw text when it could not be normalized."""
    return point.value or point.raw


def point_label(point: ContactPoint) -> str:
    """The label of a point as a person reads it ("Mobile", "LinkedIn", "Other")."""
    return POINT_LABELS.get(point.label, "Other")


def country_code(contact: Contact) -> str:
    """The ISO 3166 alpha-2 code, or the raw country text when it is not a known code."""
    code = contact.country.strip()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code.upper()) is not None:
        return code.upper()
    return code


def country_name(contact: Contact) -> str:
    """The ISO short name of the country ("United Kingdom"), or the raw text when unknown."""
    code = contact.country.strip()
    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code.upper())
        if found is not None:
            return str(found.name)
    return code


def linkedin_text(contact: Contact) -> str:
    """The canonical LinkedIn URL, else the raw text of a LinkedIn point, else ""."""
    if contact.linkedin_url:
        return contact.linkedin_url
    for p in contact.urls:
        if p.label == "linkedin":
            return p.raw
    return ""


def phone_with_label(contact: Contact, label: str) -> str:
    """The first phone with this label (E.164 or raw); "other" means any label but work/mobile/home."""
    for p in contact.phones:
        if (p.label == label) or (label == "other" and p.label not in _PHONE_LABELS):
            return point_text(p)
    return ""


def topic(contact: Contact) -> str:
    """A Dynamics-style Topic: "<Company> – <Job title>", else the person's name."""
    parts = [p for p in (contact.company.name, contact.job_title) if p.strip()]
    return " – ".join(parts) if parts else contact.display_name


def formatted_address(contact: Contact) -> str:
    """The address on lines as a person writes it, with the country's name."""
    locality = " ".join(p for p in (contact.city, contact.region, contact.postal_code) if p)
    lines = [contact.street, locality, country_name(contact)]
    return "\n".join(line for line in lines if line)


def _has_address(contact: Contact) -> bool:
    return any((contact.street, contact.city, contact.region, contact.postal_code, contact.country))


def _nth(points: list[ContactPoint], n: int, label: bool) -> str:
    if n > len(points):
        return ""
    point = points[n - 1]
    if not label:
        return point_text(point)
    name = point_label(point)
    return f"* {name}" if point.is_primary else name


_DERIVED: dict[str, Callable[[Contact], Value]] = {
    "id": lambda c: c.id,
    "score": lambda c: c.score,
    "do_not_contact": lambda c: c.do_not_contact,
    "full_name": lambda c: c.display_name,
    "topic": topic,
    "country": lambda c: c.country,
    "country_code": country_code,
    "country_name": country_name,
    "website": lambda c: c.company.website or c.company.domain,
    "email": lambda c: c.primary_email,
    "emails.other": lambda c: [point_text(p) for p in c.emails[1:]],
    "phone": lambda c: c.primary_phone,
    "phone.other": lambda c: phone_with_label(c, "other"),
    "linkedin_url": linkedin_text,
    "tags": lambda c: list(c.tags),
    "lists": lambda c: list(c.lists),
    "address.formatted": formatted_address,
    "address.label": lambda c: "Work" if _has_address(c) else "",
}


def _attr(name: str) -> Callable[[Contact], Value]:
    return lambda c: getattr(c, name)  # type: ignore[no-any-return]


def _company_attr(name: str) -> Callable[[Contact], Value]:
    return lambda c: getattr(c.company, name)  # type: ignore[no-any-return]


def _labelled_phone(label: str) -> Callable[[Contact], Value]:
    return lambda c: phone_with_label(c, label)


_DERIVED.update({name: _attr(name) for name in _CONTACT_TEXT})
_DERIVED.update({f"company.{name}": _company_attr(name) for name in _COMPANY})
_DERIVED.update({f"phone.{name}": _labelled_phone(name) for name in _PHONE_LABELS})


def is_known_source(source: str) -> bool:
    """True when every alternative of a source key (a|b|c) is something `resolve` understands."""
    for alt in source.split("|"):
        if not (
            alt in _DERIVED
            or _NTH.fullmatch(alt)
            or (alt.startswith("extra:") and len(alt) > 6)
            or alt.startswith("const:")
        ):
            return False
    return bool(source)


def resolve(contact: Contact, source: str) -> Value:
    """The value a source key names on a contact; "a|b" takes the first non-empty alternative."""
    return compile_source(source)(contact)


def compile_source(source: str) -> Callable[[Contact], Value]:
    """A function that resolves a source key on a contact (compiled once per preset, not per row)."""
    getters = [_getter(alt) for alt in source.split("|")]
    if len(getters) == 1:
        return getters[0]

    def first_non_empty(contact: Contact) -> Value:
        value: Value = None
        for getter in getters:
            value = getter(contact)
            if value not in (None, "", []):
                return value
        return value

    return first_non_empty


def _getter(source: str) -> Callable[[Contact], Value]:
    getter = _DERIVED.get(source)
    if getter is not None:
        return getter
    if source.startswith("extra:"):
        key = source[6:]
        return lambda c: c.extra.get(key, "")
    if source.startswith("const:"):
        text = source[6:]
        return lambda c: text
    match = _NTH.fullmatch(source)
    if match is None:
        raise KeyError(source)
    kind, n, label = match.group(1), int(match.group(2)), bool(match.group(3))
    if kind == "email":
        return lambda c: _nth(c.emails, n, label)
    if kind == "phone":
        return lambda c: _nth(c.phones, n, label)
    return lambda c: _nth(c.urls, n, label)


def format_number(value: float | int | str) -> str:
    """A number as a CRM importer wants it: no currency, no thousands separator, no exponent."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")
