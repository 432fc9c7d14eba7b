"""Plain dataclasses of the lead book: what every front end passes to and gets from LeadBook."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ContactPoint:
    """One email, phone number or URL of a contact, with its validation outcome."""

    kind: str  # email | phone | url
    raw: str  # exactly what the user gave
    value: (
        str | None
    )  # normalized: lower-cased email, E.164 phone, canonical URL; None if it failed
    label: str = ""  # work | mobile | home | company | linkedin | website | other
    is_primary: bool = False
    status: str = "unchecked"  # valid | invalid | risky | unchecked
    reason: str = ""  # why it is invalid or risky, in words a user understands
    id: int | None = None
    import_id: int | None = None


@dataclass
class SourceRef:
    """Where a contact came from: one row of one import (or a hand entry)."""

    import_id: int | None
    file: str
    row: int | None
    at: str = ""
    source_label: str = ""
    user: str = ""


@dataclass
class Company:
    """A company a contact works at; `domain` is never a free-mail domain."""

    name: str = ""
    domain: str = ""
    website: str = ""
    industry: str = ""
    employees: int | None = None
    annual_revenue: float | None = None
    phone: str = ""  # switchboard, E.164 where it could be normalized; never a person's key
    country: str = ""
    id: int | None = None


@dataclass
class Contact:
    """A person in the book, with every email/phone/URL they were ever given."""

    id: int | None = None
    prefix: str = ""
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""
    suffix: str = ""
    job_title: str = ""
    seniority: str = ""
    department: str = ""
    company: Company = field(default_factory=Company)
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""  # ISO 3166 alpha-2, or the raw text when it could not be recognized
    lead_source: str = ""
    status: str = "New"
    score: int | None = None
    grade: str = ""
    legal_basis: str = ""
    notes: str = ""
    do_not_contact: bool = False
    points: list[ContactPoint] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)
    sources: list[SourceRef] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""

    @property
    def display_name(self) -> str:
        """The name as a person would write it ("Dr. Ana María López")."""
        parts = [self.prefix, self.first_name, self.middle_name, self.last_name, self.suffix]
        return " ".join(p for p in parts if p)

    @property
    def emails(self) -> list[ContactPoint]:
        """Email points, primary first."""
        return _ordered(p for p in self.points if p.kind == "email")

    @property
    def phones(self) -> list[ContactPoint]:
        """Personal phone points (not the company switchboard), primary first."""
        return _ordered(p for p in self.points if p.kind == "phone")

    @property
    def urls(self) -> list[ContactPoint]:
        """URL points (LinkedIn profile, personal site…)."""
        return _ordered(p for p in self.points if p.kind == "url")

    @property
    def linkedin_url(self) -> str:
        """The canonical LinkedIn profile URL, or "" when there is none."""
        for p in self.urls:
            if p.label == "linkedin" and p.value:
                return p.value
        return ""

    @property
    def primary_email(self) -> str:
        """The first usable email (normalized), else the first raw one, else ""."""
        emails = self.emails
        for p in emails:
            if p.value:
                return p.value
        return emails[0].raw if emails else ""

    @property
    def primary_phone(self) -> str:
        """The first E.164 phone, else the first raw one, else ""."""
        phones = self.phones
        for p in phones:
            if p.value:
                return p.value
        return phones[0].raw if phones else ""


def _ordered(points: object) -> list[ContactPoint]:
    items = list(points)  # type: ignore[call-overload]
    return sorted(items, key=lambda p: not p.is_primary)


@dataclass
class Cell:
    """One source value headed for a canonical field, with the column it came from."""

    column: str
    value: str


@dataclass
class RawRecord:
    """One input row after column mapping: what an importer hands the book, nothing cleaned yet."""

    row: int  # 1-based data row as the user counts it in the file (0 for hand entry)
    cells: dict[str, list[Cell]] = field(default_factory=dict)  # canonical field -> cells
    extra: dict[str, str] = field(default_factory=dict)  # unmapped columns, never dropped
    raw: dict[str, str] = field(default_factory=dict)  # the row as read, for provenance

    def add(self, field_name: str, column: str, value: str) -> None:
        """Append a value for a canonical field (empty values are ignored)."""
        if value is None or not str(value).strip():
            return
        self.cells.setdefault(field_name, []).append(Cell(column, str(value)))

    def first(self, field_name: str) -> str:
        """The first non-empty value given for a field, stripped, or ""."""
        for cell in self.cells.get(field_name, ()):
            if cell.value.strip():
                return cell.value.strip()
        return ""


@dataclass
class Issue:
    """A problem with one value of one row: shown to the user, never a reason to drop the row."""

    row: int
    column: str
    value: str
    message: str
    severity: str = "warning"  # warning | error

    def as_dict(self) -> dict[str, object]:
        """The `issues` entry of `import --json` (DESIGN §8)."""
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportReport:
    """What an import did: the `import --json` document of DESIGN §8, plus details."""

    import_id: int | None
    file: str
    rows: int = 0
    added: int = 0
    merged: int = 0
    skipped: int = 0
    invalid: int = 0
    issues: list[Issue] = field(default_factory=list)
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    dry_run: bool = False
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    mapping: dict[str, str] = field(default_factory=dict)  # column -> canonical field

    def as_json(self) -> dict[str, object]:
        """The stable JSON shape of `leadsmith import --json`."""
        return {
            "import_id": self.import_id,
            "rows": self.rows,
            "added": self.added,
            "merged": self.merged,
            "skipped": self.skipped,
            "invalid": self.invalid,
            "issues": [i.as_dict() for i in self.issues],
        }
