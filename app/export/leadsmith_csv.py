"""Leadsmith's own lossless layouts: the generic CSV/XLSX row and the JSON contact document."""

from __future__ import annotations

import json
from collections.abc import Sequence

from app.contact import Contact, ContactPoint
from app.export.safety import is_clean_e164, neutralize_cell
from app.export.values import format_number, linkedin_text, point_text
from app.serialize import contact_json

LEADSMITH_CSV_COLUMNS: tuple[str, ...] = (
    "Leadsmith ID",
    "Prefix",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Job Title",
    "Seniority",
    "Department",
    "Company",
    "Website",
    "Company Domain",
    "Industry",
    "Employees",
    "Annual Revenue",
    "Company Phone",
    "Company Country",
    "Email",
    "Other Emails",
    "Work Phone",
    "Mobile Phone",
    "Home Phone",
    "Other Phones",
    "LinkedIn URL",
    "Other URLs",
    "Street",
    "City",
    "State/Region",
    "Postal Code",
    "Country",
    "Lead Source",
    "Status",
    "Score",
    "Grade",
    "Legal Basis",
    "Tags",
    "Lists",
    "Notes",
    "Created At",
    "Updated At",
    "Points As Typed",
)
"""The fixed columns; one column per `extra` key follows them."""

LEADSMITH_NUMERIC_COLUMNS: frozenset[str] = frozenset(
    {"Leadsmith ID", "Employees", "Annual Revenue", "Score"}
)
LEADSMITH_PHONE_COLUMNS: frozenset[str] = frozenset(
    {"Company Phone", "Work Phone", "Mobile Phone", "Home Phone", "Other Phones"}
)
MULTI_SEPARATOR = "; "
POINTS_COLUMN = "Points As Typed"
_FIXED_FOLDED = {c.casefold() for c in LEADSMITH_CSV_COLUMNS}


def extra_header(key: str) -> str:
    """The header of an extra column: the key itself, unless it would clash with a fixed column."""
    return f"Extra: {key}" if key.casefold() in _FIXED_FOLDED else key


def unique_keys(extra_keys: Sequence[str]) -> list[str]:
    """Extra keys once each, in the order first seen."""
    return list(dict.fromkeys(k for k in extra_keys if k))


def leadsmith_csv_header(extra_keys: Sequence[str]) -> list[str]:
    """The header line: the fixed columns, then one column per extra key."""
    return [*LEADSMITH_CSV_COLUMNS, *(extra_header(k) for k in unique_keys(extra_keys))]


def _split_phones(contact: Contact) -> tuple[str, str, str, list[str]]:
    first: dict[str, str] = {}
    others: list[str] = []
    for p in contact.phones:
        if p.label in ("work", "mobile", "home") and p.label not in first:
            first[p.label] = point_text(p)
        else:
            others.append(point_text(p))
    return first.get("work", ""), first.get("mobile", ""), first.get("home", ""), others


def _other_urls(contact: Contact, linkedin: str) -> list[str]:
    texts = [point_text(p) for p in contact.urls]
    if linkedin in texts:
        texts.remove(linkedin)
    return texts


def points_as_typed(contact: Contact) -> str:
    """Every email, phone and URL as the user typed it, with its label and primary flag (JSON).

    The other columns hold normalized values (what a CRM wants); this cell lets Leadsmith's own
    import give back the typed text, "Home"/"Other" labels and the order (importers/roundtrip.py).
    An entry is [kind, raw, label, primary], plus the text written in the other columns when that
    differs from the raw text."""
    entries: list[list[object]] = []
    for p in contact.points:
        entry: list[object] = [p.kind, p.raw, p.label, int(p.is_primary)]
        if point_text(p) != p.raw:
            entry.append(point_text(p))
        entries.append(entry)
    return json.dumps(entries, ensure_ascii=False) if entries else ""


def _number(value: float | int | None) -> str:
    return "" if value is None else format_number(value)


def leadsmith_csv_raw_row(contact: Contact, extra_keys: Sequence[str]) -> list[str]:
    """The row before spreadsheet neutralizing (what the XLSX writer stores as typed cells)."""
    c, co = contact, contact.company
    emails = [point_text(p) for p in c.emails]
    work, mobile, home, other_phones = _split_phones(c)
    linkedin = linkedin_text(c)
    fixed = [
        "" if c.id is None else str(c.id),
        c.prefix,
        c.first_name,
        c.middle_name,
        c.last_name,
        c.suffix,
        c.job_title,
        c.seniority,
        c.department,
        co.name,
        co.website,
        co.domain,
        co.industry,
        _number(co.employees),
        _number(co.annual_revenue),
        co.phone,
        co.country,
        emails[0] if emails else "",
        MULTI_SEPARATOR.join(emails[1:]),
        work,
        mobile,
        home,
        MULTI_SEPARATOR.join(other_phones),
        linkedin,
        MULTI_SEPARATOR.join(_other_urls(c, linkedin)),
        c.street,
        c.city,
        c.region,
        c.postal_code,
        c.country,
        c.lead_source,
        c.status,
        "" if c.score is None else str(c.score),
        c.grade,
        c.legal_basis,
        MULTI_SEPARATOR.join(c.tags),
        MULTI_SEPARATOR.join(c.lists),
        c.notes,
        c.created_at,
        c.updated_at,
        points_as_typed(c),
    ]
    return fixed + [c.extra.get(k, "") for k in unique_keys(extra_keys)]


def _safe(header: str, value: str) -> str:
    if header in LEADSMITH_NUMERIC_COLUMNS and value:
        return value  # written by us from a number: never a formula
    if header in LEADSMITH_PHONE_COLUMNS and all(
        is_clean_e164(part) for part in value.split(MULTI_SEPARATOR)
    ):
        return value  # clean E.164 phones pass untouched (FORMATS §8)
    return neutralize_cell(value)


def leadsmith_csv_row(
    contact: Contact, extra_keys: Sequence[str], *, neutralize: bool = True
) -> list[str]:
    """One row of the generic CSV: the whole contact, free text neutralized, phones untouched."""
    row = leadsmith_csv_raw_row(contact, extra_keys)
    if not neutralize:
        return row
    headers = leadsmith_csv_header(extra_keys)
    return [_safe(h, v) for h, v in zip(headers, row, strict=True)]


def contact_document(contact: Contact) -> dict[str, object]:
    """A contact in the stable JSON shape of DESIGN §8 (app.serialize), plus the rest of it."""
    c, co = contact, contact.company
    doc = contact_json(c)
    # Beyond §8 (extending, never changing its keys): everything else, so a JSON export is lossless.
    extended: dict[str, object] = {
        "company_details": {
            "name": co.name,
            "domain": co.domain,
            "website": co.website,
            "industry": co.industry,
            "employees": co.employees,
            "annual_revenue": co.annual_revenue,
            "phone": co.phone,
            "country": co.country,
        },
        "urls": [_point_doc(p) for p in c.urls],
        "street": c.street,
        "city": c.city,
        "region": c.region,
        "postal_code": c.postal_code,
        "grade": c.grade,
        "notes": c.notes,
    }
    for key, value in extended.items():
        doc.setdefault(key, value)
    return doc


def _point_doc(p: ContactPoint) -> dict[str, object]:
    return {"value": p.value, "raw": p.raw, "label": p.label, "status": p.status}
