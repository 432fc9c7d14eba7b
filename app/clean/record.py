"""One raw row in, one cleaned Contact out, with an Issue for every value that needs a look."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.clean.country import normalize_country
from app.clean.email import check_email, split_emails
from app.clean.name import clean_name_part, split_name
from app.clean.phone import PhoneCheck, check_phone, split_phones
from app.clean.web import canonical_linkedin, company_domain, normalize_url
from app.contact import Cell, Contact, ContactPoint, Issue, RawRecord

STATUSES: tuple[str, ...] = (
    "New", "MQL", "SAL", "SQL", "Opportunity", "Customer", "Recycled", "Disqualified",
)  # fmt: skip
_STATUS_ALIASES: dict[str, str] = {
    **{s.casefold(): s for s in STATUSES},
    "lead": "New", "new lead": "New", "open": "New", "unqualified": "New",
    "marketing qualified lead": "MQL", "marketing qualified": "MQL",
    "sales accepted lead": "SAL", "sales accepted": "SAL",
    "sales qualified lead": "SQL", "sales qualified": "SQL",
    "opportunity": "Opportunity", "customer": "Customer", "recycled": "Recycled",
    "disqualified": "Disqualified",
}  # fmt: skip
# Fields copied as they are (stripped); the name parts get clean_name_part instead.
_VERBATIM: tuple[str, ...] = (
    "job_title", "seniority", "department", "street", "city", "region", "postal_code",
    "lead_source", "legal_basis", "notes",
)  # fmt: skip
_NAME_FIELDS: tuple[str, ...] = ("prefix", "first_name", "middle_name", "last_name", "suffix")
_PHONE_LABELS: dict[str, str] = {"phone": "work", "mobile_phone": "mobile", "home_phone": "home"}
_TAG_SPLIT_RE = re.compile(r"\s+:::\s+|[,;]")
_MAGNITUDES: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "tsd": 1e3,
    "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "mrd": 1e9, "billion": 1e9, "billions": 1e9,
}  # fmt: skip
_AMOUNT_RE = re.compile(r"^([0-9][0-9.,\s'\u00a0\u202f]*)\s*([a-z]*)$")
_CURRENCY_RE = re.compile(r"[$€£¥₹]|\b(?:usd|eur|gbp|chf|cad|aud)\b", re.IGNORECASE)


@dataclass
class CleanResult:
    """A cleaned contact and the problems found on the way; `invalid` if any value was invalid."""

    contact: Contact
    issues: list[Issue] = field(default_factory=list)
    invalid: bool = False
    # The row's raw values as the JSON the book stores for provenance, when a cleaning worker
    # already encoded them (the writing process is the import's serial part); None: not yet.
    raw_json: str | None = field(default=None, compare=False)


def parse_amount(text: str) -> float | None:
    """A number as spreadsheets write it: "$1.5M", "1,250,000", "1.250.000,50"; None otherwise."""
    cleaned = _CURRENCY_RE.sub("", text).strip().lower()
    match = _AMOUNT_RE.match(cleaned)
    if not match:
        return None
    number, unit = match.group(1), match.group(2)
    if unit and unit not in _MAGNITUDES:
        return None
    number = re.sub(r"[\s'\u00a0\u202f]", "", number)
    if "," in number and "." in number:
        # Whichever comes last is the decimal separator.
        if number.rfind(",") > number.rfind("."):
            number = number.replace(".", "").replace(",", ".")
        else:
            number = number.replace(",", "")
    else:
        for sep in (",", "."):
            count = number.count(sep)
            if count == 0:
                continue
            tail = number.rsplit(sep, 1)[1]
            # "1,250" and "1.250" are thousands (no revenue or headcount of 1.25 is meant);
            # "1.5" and "2,5" are decimals; "1,250,000" has several separators, all thousands.
            if count > 1 or (len(tail) == 3 and not unit):
                number = number.replace(sep, "")
            else:
                number = number.replace(sep, ".")
    try:
        value = float(number)
    except ValueError:
        return None
    return value * _MAGNITUDES.get(unit, 1.0)


def parse_employees(text: str) -> int | None:
    """A head count ("1,200", "1.200", "1200"); None for ranges ("51-200") and words."""
    value = parse_amount(text)
    if value is None or value != int(value) or value < 0:
        return None
    return int(value)


def normalize_status(text: str) -> str | None:
    """One of the lead statuses (New, MQL, SAL, SQL, …) for what a file says, or None."""
    return _STATUS_ALIASES.get(" ".join(text.replace("-", " ").split()).casefold())


class _Cleaner:
    """The state of cleaning one record: the contact so far, its issues, the source cells."""

    def __init__(self, rec: RawRecord, default_region: str) -> None:
        self.rec = rec
        self.default_region = default_region
        self.contact = Contact(extra=dict(rec.extra))
        self.issues: list[Issue] = []
        self.invalid = False

    def cells(self, name: str) -> list[Cell]:
        given = self.rec.cells.get(name)
        if not given:
            return []
        return [c for c in given if c.value.strip()]

    def single(self, name: str) -> Cell | None:
        """The first cell of a one-value field; any further different cells go to extra."""
        # ~30 fields are asked for per row and most rows give one cell or none: decide those
        # without building a list (this was a tenth of the cleaning time).
        given = self.rec.cells.get(name)
        if not given:
            return None
        if len(given) == 1:
            return given[0] if given[0].value.strip() else None
        cells = self.cells(name)
        for extra_cell in cells[1:]:
            if extra_cell.value.strip() != cells[0].value.strip():
                self.keep(extra_cell)
        return cells[0] if cells else None

    def keep(self, cell: Cell) -> None:
        """Keep a value the contact has no place for, under its source column."""
        key = cell.column
        while key in self.contact.extra and self.contact.extra[key] != cell.value.strip():
            key += " (2)"
        self.contact.extra[key] = cell.value.strip()

    def issue(self, cell: Cell, value: str, message: str, severity: str = "warning") -> None:
        self.issues.append(Issue(self.rec.row, cell.column, value, message, severity))
        if severity == "error":
            self.invalid = True


def _clean_names(c: _Cleaner) -> None:
    contact = c.contact
    for name in _NAME_FIELDS:
        cell = c.single(name)
        if cell is not None:
            setattr(contact, name, clean_name_part(cell.value))
    full = c.single("full_name")
    if full is None:
        return
    if not contact.first_name and not contact.last_name:
        parts = split_name(full.value)
        contact.prefix = contact.prefix or parts.prefix
        contact.first_name, contact.middle_name = parts.first, contact.middle_name or parts.middle
        contact.last_name, contact.suffix = parts.last, contact.suffix or parts.suffix
    elif clean_name_part(full.value) != contact.display_name:
        c.keep(full)  # the parts won; the full name as written is still kept


def _clean_emails(c: _Cleaner) -> str:
    """Email points; returns the first valid address (for the company domain)."""
    first_valid = ""
    for cell in c.cells("email"):
        for address in split_emails(cell.value):
            check = check_email(address)
            primary = check.status == "valid" and not first_valid
            if primary:
                first_valid = check.value or ""
            c.contact.points.append(
                ContactPoint(
                    "email", address, check.value, "work", primary, check.status, check.reason
                )
            )
            if check.status != "valid":
                severity = "error" if check.status == "invalid" else "warning"
                c.issue(cell, address, check.reason, severity)
    return first_valid


def _clean_phones(c: _Cleaner, region: str) -> None:
    has_primary = False
    for name, label in _PHONE_LABELS.items():
        for cell in c.cells(name):
            for number in split_phones(cell.value):
                check = check_phone(number, region)
                primary = check.status == "valid" and not has_primary
                has_primary = has_primary or primary
                c.contact.points.append(
                    ContactPoint(
                        "phone", number, check.e164, label, primary, check.status, check.reason
                    )
                )
                _phone_issue(c, cell, number, check)
    company_cell = c.single("company_phone")
    if company_cell is not None:
        raw = company_cell.value.strip()
        check = check_phone(raw, region)
        c.contact.company.phone = check.e164 if check.status == "valid" and check.e164 else raw
        _phone_issue(c, company_cell, raw, check)


def _phone_issue(c: _Cleaner, cell: Cell, raw: str, check: PhoneCheck) -> None:
    """An error for an invalid number, a warning for a risky or a repaired one."""
    if check.status == "invalid":
        c.issue(cell, raw, check.reason, "error")
    elif check.status == "risky" or check.reason.startswith("recovered:"):
        c.issue(cell, raw, check.reason)


def _add_linkedin(c: _Cleaner, cell: Cell, url: str) -> None:
    canonical = canonical_linkedin(url)
    if any(p.label == "linkedin" and p.value and p.value == canonical for p in c.contact.points):
        return  # the same profile given twice (e.g. in both LinkedIn and website columns)
    status = "valid" if canonical else "invalid"
    reason = "" if canonical else "not a LinkedIn profile URL (linkedin.com/in/…)"
    primary = bool(canonical) and not c.contact.linkedin_url
    c.contact.points.append(
        ContactPoint("url", url, canonical, "linkedin", primary, status, reason)
    )
    if not canonical:
        c.issue(cell, url, reason, "error")


def _clean_company(c: _Cleaner, first_email: str) -> None:
    company = c.contact.company
    cell = c.single("company")
    if cell is not None:
        company.name = cell.value.strip()
    cell = c.single("industry")
    if cell is not None:
        company.industry = cell.value.strip()
    website = ""
    for cell in c.cells("website"):
        raw = cell.value.strip()
        if canonical_linkedin(raw):
            _add_linkedin(c, cell, raw)  # a person's profile, not the company's site
        elif not website:
            website = raw
            company.website = normalize_url(raw) or raw
        elif raw != website:
            c.keep(cell)
    company.domain = company_domain(website, first_email)
    cell = c.single("employees")
    if cell is not None:
        company.employees = parse_employees(cell.value)
        if company.employees is None:
            c.keep(cell)
            c.issue(cell, cell.value.strip(), "not a single number of employees; kept as text")
    cell = c.single("annual_revenue")
    if cell is not None:
        company.annual_revenue = parse_amount(cell.value)
        if company.annual_revenue is None:
            c.keep(cell)
            c.issue(cell, cell.value.strip(), "not a single revenue amount; kept as text")


def _clean_lead(c: _Cleaner) -> None:
    contact = c.contact
    for name in _VERBATIM:
        cell = c.single(name)
        if cell is not None:
            setattr(contact, name, cell.value.strip())
    cell = c.single("status")
    if cell is not None:
        status = normalize_status(cell.value)
        if status is None:
            c.keep(cell)
            c.issue(
                cell,
                cell.value.strip(),
                f"unknown lead status; set to New (one of {', '.join(STATUSES)})",
            )
        contact.status = status or "New"
    tags: list[str] = []
    for cell in c.cells("tags"):
        for tag in _TAG_SPLIT_RE.split(cell.value):
            tag = tag.strip()
            if tag and tag not in tags:
                tags.append(tag)
    contact.tags = tags


def clean_record(rec: RawRecord, default_region: str = "US") -> CleanResult:
    """Normalize and validate every value of one raw row; nothing given is dropped."""
    c = _Cleaner(rec, default_region)
    _clean_names(c)
    cell = c.single("country")
    region = default_region
    if cell is not None:
        code = normalize_country(cell.value)
        c.contact.country = code or cell.value.strip()
        if code:
            region = code
        else:
            c.issue(cell, cell.value.strip(), "unknown country; kept as written")
    first_email = _clean_emails(c)
    _clean_phones(c, region)
    for cell in c.cells("linkedin_url"):
        _add_linkedin(c, cell, cell.value.strip())
    _clean_company(c, first_email)
    _clean_lead(c)
    return CleanResult(c.contact, c.issues, c.invalid)
