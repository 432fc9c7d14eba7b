"""The catalog of canonical contact fields: the names every importer maps columns onto."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One canonical field: its name, label, value kind and header synonyms (English)."""

    name: str
    label: str
    kind: str  # text | email | phone | url | country | int | number | date | tags | name
    group: str  # person | job | company | point | location | lead
    synonyms: tuple[str, ...] = ()
    multi: bool = False  # several columns (or values in one cell) may feed this field
    point_label: str = ""  # the label given to contact points made from this field


FIELDS: tuple[Field, ...] = (
    Field(
        "full_name",
        "Full name",
        "name",
        "person",
        ("name", "full name", "contact name", "contact", "person", "person name", "display name"),
    ),
    Field(
        "prefix",
        "Prefix",
        "text",
        "person",
        ("salutation", "title prefix", "name prefix", "honorific"),
    ),
    Field(
        "first_name",
        "First name",
        "text",
        "person",
        ("first name", "firstname", "first", "given name", "forename"),
    ),
    Field(
        "middle_name", "Middle name", "text", "person", ("middle name", "middle", "additional name")
    ),
    Field(
        "last_name",
        "Last name",
        "text",
        "person",
        ("last name", "lastname", "last", "surname", "family name"),
    ),
    Field("suffix", "Suffix", "text", "person", ("suffix", "name suffix")),
    Field(
        "job_title",
        "Job title",
        "text",
        "job",
        ("job title", "title", "position", "role", "designation", "occupation", "jobtitle"),
    ),
    Field("seniority", "Seniority", "text", "job", ("seniority", "management level", "level")),
    Field(
        "department",
        "Department",
        "text",
        "job",
        ("department", "departments", "function", "job function"),
    ),
    Field(
        "company",
        "Company",
        "text",
        "company",
        (
            "company",
            "company name",
            "organization",
            "organisation",
            "organization name",
            "account",
            "account name",
            "employer",
            "firm",
        ),
    ),
    Field(
        "website",
        "Website",
        "url",
        "company",
        (
            "website",
            "web site",
            "company website",
            "url",
            "web page",
            "homepage",
            "domain",
            "company domain",
        ),
    ),
    Field(
        "industry",
        "Industry",
        "text",
        "company",
        ("industry", "sector", "vertical", "primary industry"),
    ),
    Field(
        "employees",
        "Employees",
        "int",
        "company",
        (
            "employees",
            "# employees",
            "no. of employees",
            "number of employees",
            "company size",
            "employee count",
            "headcount",
            "size",
        ),
    ),
    Field("annual_revenue", "Annual revenue", "number", "company", ("annual revenue", "revenue")),
    Field(
        "company_phone",
        "Company phone",
        "phone",
        "company",
        (
            "company phone",
            "corporate phone",
            "company hq phone",
            "company main phone",
            "switchboard",
            "main phone",
        ),
        point_label="company",
    ),
    Field(
        "email",
        "Email",
        "email",
        "point",
        (
            "email",
            "e-mail",
            "email address",
            "e-mail address",
            "work email",
            "business email",
            "mail",
            "secondary email",
            "personal email",
            "email 2",
            "email 1",
            "emails",
        ),
        multi=True,
        point_label="work",
    ),
    Field(
        "phone",
        "Phone",
        "phone",
        "point",
        (
            "phone",
            "telephone",
            "phone number",
            "tel",
            "work phone",
            "business phone",
            "direct phone",
            "work direct phone",
            "direct phone number",
            "office phone",
            "phone 1",
            "primary phone",
        ),
        multi=True,
        point_label="work",
    ),
    Field(
        "mobile_phone",
        "Mobile phone",
        "phone",
        "point",
        ("mobile", "mobile phone", "cell", "cell phone", "mobile number", "mobile phone number"),
        multi=True,
        point_label="mobile",
    ),
    Field(
        "home_phone",
        "Home phone",
        "phone",
        "point",
        ("home phone",),
        multi=True,
        point_label="home",
    ),
    Field(
        "linkedin_url",
        "LinkedIn URL",
        "url",
        "point",
        (
            "linkedin",
            "linkedin url",
            "linkedin profile",
            "person linkedin url",
            "linkedin contact profile url",
            "profile url",
            "li url",
        ),
        point_label="linkedin",
    ),
    Field(
        "street",
        "Street",
        "text",
        "location",
        ("street", "address", "street address", "address line 1"),
    ),
    Field("city", "City", "text", "location", ("city", "town", "locality")),
    Field(
        "region",
        "State/Region",
        "text",
        "location",
        ("state", "region", "province", "state/province", "county", "state/region"),
    ),
    Field(
        "postal_code",
        "Postal code",
        "text",
        "location",
        ("postal code", "postcode", "zip", "zip code", "zip/postal code"),
    ),
    Field(
        "country",
        "Country",
        "country",
        "location",
        ("country", "country/region", "country code", "nation"),
    ),
    Field("lead_source", "Lead source", "text", "lead", ("lead source", "source")),
    Field(
        "status", "Status", "text", "lead", ("status", "lead status", "stage", "lifecycle stage")
    ),
    Field("tags", "Tags", "tags", "lead", ("tags", "labels", "categories", "keywords", "groups")),
    Field(
        "notes", "Notes", "text", "lead", ("notes", "note", "comments", "comment", "description")
    ),
    Field("legal_basis", "Legal basis", "text", "lead", ("legal basis", "lawful basis")),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}

PHONE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in FIELDS if f.kind == "phone" and f.group == "point"
)

# Fields that are columns of the contacts table (everything but points, company facts and inputs).
CONTACT_COLUMNS: tuple[str, ...] = (
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
    "country",
    "lead_source",
    "status",
    "legal_basis",
    "notes",
)

COMPANY_FIELDS: tuple[str, ...] = (
    "company",
    "website",
    "industry",
    "employees",
    "annual_revenue",
    "company_phone",
)


def field(name: str) -> Field:
    """The catalog entry for a canonical field name (KeyError if unknown)."""
    return FIELDS_BY_NAME[name]


def normalize_header(header: str) -> str:
    """A header as matching sees it: BOM and outer space stripped, case folded, inner space single."""
    cleaned = header.replace("\ufeff", "").strip().casefold()
    cleaned = cleaned.replace("_", " ")
    return " ".join(cleaned.split())
