"""Known layouts: recognized from real headers and mapped exactly, with no user input."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.export.leadsmith_csv import LEADSMITH_CSV_COLUMNS, POINTS_COLUMN
from importers.csv_reader import open_table
from importers.layouts import detect_layout, load_layouts, phone_field_for_label
from importers.mapping import ColumnMapping, suggest_mapping, to_record

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def open_sample(name: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    source = open_table(DATA / name)
    try:
        return source.headers, list(source.rows()), source.layout
    finally:
        source.close()


def mapped(mapping: list[ColumnMapping]) -> dict[str, str]:
    return {m.column: m.field for m in mapping if m.field}


LINKEDIN = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "URL": "linkedin_url",
    "Email Address": "email",
    "Company": "company",
    "Position": "job_title",
}
GOOGLE = {
    "First Name": "first_name",
    "Middle Name": "middle_name",
    "Last Name": "last_name",
    "Name Prefix": "prefix",
    "Name Suffix": "suffix",
    "Organization Name": "company",
    "Organization Title": "job_title",
    "Organization Department": "department",
    "Notes": "notes",
    "E-mail 1 - Value": "email",
    "E-mail 2 - Value": "email",
    "Phone 1 - Value": "phone",
    "Phone 2 - Value": "phone",
    "Address 1 - Street": "street",
    "Address 1 - City": "city",
    "Address 1 - Region": "region",
    "Address 1 - Postal Code": "postal_code",
    "Address 1 - Country": "country",
    "Website 1 - Value": "website",
}
GOOGLE_LEGACY = {
    "Name": "full_name",
    "Given Name": "first_name",
    "Additional Name": "middle_name",
    "Family Name": "last_name",
    "Name Prefix": "prefix",
    "Name Suffix": "suffix",
    "Notes": "notes",
    "E-mail 1 - Value": "email",
    "E-mail 2 - Value": "email",
    "Phone 1 - Value": "phone",
    "Phone 2 - Value": "phone",
    "Address 1 - Street": "street",
    "Address 1 - City": "city",
    "Address 1 - Region": "region",
    "Address 1 - Postal Code": "postal_code",
    "Address 1 - Country": "country",
    "Organization 1 - Name": "company",
    "Organization 1 - Title": "job_title",
    "Organization 1 - Department": "department",
    "Website 1 - Value": "website",
}
OUTLOOK_COMMON = {
    "First Name": "first_name",
    "Middle Name": "middle_name",
    "Last Name": "last_name",
    "Title": "prefix",  # Outlook's "Title" is Mr./Ms.; the job is "Job Title"
    "Suffix": "suffix",
    "Web Page": "website",
    "Notes": "notes",
    "E-mail Address": "email",
    "E-mail 2 Address": "email",
    "E-mail 3 Address": "email",
    "Primary Phone": "phone",
    "Home Phone": "home_phone",
    "Home Phone 2": "home_phone",
    "Mobile Phone": "mobile_phone",
    "Company Main Phone": "company_phone",
    "Business Phone": "phone",
    "Business Phone 2": "phone",
    "Company": "company",
    "Job Title": "job_title",
    "Department": "department",
    "Business Street": "street",
    "Business City": "city",
    "Business State": "region",
    "Business Postal Code": "postal_code",
    "Categories": "tags",
}
OUTLOOK = {**OUTLOOK_COMMON, "Business Country": "country"}
OUTLOOK_DESKTOP = {**OUTLOOK_COMMON, "Business Country/Region": "country"}
APOLLO = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Title": "job_title",
    "Company Name": "company",
    "Email": "email",
    "Seniority": "seniority",
    "Departments": "department",
    "Work Direct Phone": "phone",
    "Home Phone": "home_phone",
    "Mobile Phone": "mobile_phone",
    "Corporate Phone": "company_phone",
    "Other Phone": "phone",
    "# Employees": "employees",
    "Industry": "industry",
    "Person Linkedin Url": "linkedin_url",
    "Website": "website",
    "City": "city",
    "State": "region",
    "Country": "country",
    "Annual Revenue": "annual_revenue",
    "Secondary Email": "email",
    "Tertiary Email": "email",
}
ZOOMINFO = {
    "Last Name": "last_name",
    "First Name": "first_name",
    "Middle Name": "middle_name",
    "Salutation": "prefix",
    "Suffix": "suffix",
    "Job Title": "job_title",
    "Management Level": "seniority",
    "Department": "department",
    "Direct Phone Number": "phone",
    "Email Address": "email",
    "Mobile phone": "mobile_phone",
    "LinkedIn Contact Profile URL": "linkedin_url",
    "Person Street": "street",
    "Person City": "city",
    "Person State": "region",
    "Person Zip Code": "postal_code",
    "Country": "country",
    "Company Name": "company",
    "Website": "website",
    "Company HQ Phone": "company_phone",
    "Employees": "employees",
    "Primary Industry": "industry",
}
HUBSPOT = {
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Phone Number": "phone",
    "Mobile Phone Number": "mobile_phone",
    "Company Name": "company",
    "Job Title": "job_title",
    "Website URL": "website",
    "Street Address": "street",
    "City": "city",
    "State/Region": "region",
    "Postal Code": "postal_code",
    "Country/Region": "country",
    "Lifecycle Stage": "status",
}
SALESFORCE = {
    "Salutation": "prefix",
    "FirstName": "first_name",
    "LastName": "last_name",
    "Company": "company",
    "Title": "job_title",
    "Email": "email",
    "Phone": "phone",
    "MobilePhone": "mobile_phone",
    "LeadSource": "lead_source",
    "Status": "status",
    "Industry": "industry",
    "AnnualRevenue": "annual_revenue",
    "NumberOfEmployees": "employees",
    "Street": "street",
    "City": "city",
    "State": "region",
    "PostalCode": "postal_code",
    "Country": "country",
    "Website": "website",
    "Description": "notes",
}


@pytest.mark.parametrize(
    ("name", "layout", "expected"),
    [
        ("linkedin_connections.csv", "linkedin_connections", LINKEDIN),
        ("linkedin_connections_excel.csv", "linkedin_connections", LINKEDIN),
        ("google_contacts.csv", "google_contacts", GOOGLE),
        ("google_contacts_legacy.csv", "google_contacts_legacy", GOOGLE_LEGACY),
        ("outlook.csv", "outlook_csv", OUTLOOK),
        ("outlook_desktop.csv", "outlook_csv", OUTLOOK_DESKTOP),
        ("apollo_people.csv", "apollo_people", APOLLO),
        ("zoominfo_contacts.csv", "zoominfo_contacts", ZOOMINFO),
        ("hubspot_contacts.csv", "hubspot_contacts", HUBSPOT),
        ("salesforce_leads.csv", "salesforce_leads", SALESFORCE),
    ],
)
def test_layout_is_recognized_and_mapped_exactly(
    name: str, layout: str, expected: dict[str, str]
) -> None:
    headers, _, found = open_sample(name)
    assert found == layout
    mapping = suggest_mapping(headers, layout=found)
    assert mapped(mapping) == expected
    assert {m.confidence for m in mapping if m.field} == {100}
    assert {m.reason for m in mapping if m.field} == {f"layout {layout}"}
    assert [m.column for m in mapping] == headers
    assert all(m.confidence == 0 for m in mapping if m.field is None)


@pytest.mark.parametrize(
    ("headers", "layout"),
    [
        (
            ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"],
            "linkedin_connections",
        ),
        (["ZoomInfo Contact ID", "First Name"], "zoominfo_contacts"),
        (["Email", "LinkedIn Contact Profile URL", "Direct Phone Number"], "zoominfo_contacts"),
        (
            ["Lead ID", "First Name", "Last Name", "Company / Account", "Lead Status"],
            "salesforce_leads",
        ),
        (["First Name", "Last Name", "Email", "Company"], ""),
        (["First Name", "Last Name", "Email", "Job Title", "LinkedIn", "Lead Source"], ""),
        ([], ""),
    ],
)
def test_detect_layout(headers: list[str], layout: str) -> None:
    assert detect_layout(headers) == layout


def test_apollo_company_columns_stay_in_extra() -> None:
    headers, rows, layout = open_sample("apollo_people.csv")
    mapping = suggest_mapping(headers, layout=layout)
    rec = to_record(*rows[0], headers, mapping)
    assert rec.extra["Company Linkedin Url"] == "http://www.linkedin.com/company/tallyfin"
    assert rec.extra["Company Phone"] == "+44 20 3870 1000"
    assert rec.extra["Email Status"] == "Verified"
    assert rec.first("company_phone") == "+44 20 3870 1000"
    assert [c.value for c in rec.cells["email"]] == ["hannah@tallyfin.com", "h.okoye@gmail.com"]
    assert rec.first("linkedin_url") == "http://www.linkedin.com/in/hannahokoye"
    assert rec.first("employees") == "120"


def test_google_phone_labels_choose_the_phone_field() -> None:
    headers, rows, layout = open_sample("google_contacts.csv")
    mapping = suggest_mapping(headers, layout=layout)
    priya = to_record(*rows[0], headers, mapping)
    assert [(c.column, c.value) for c in priya.cells["mobile_phone"]] == [
        ("Phone 1 - Value", "+44 7700 900123")
    ]
    assert [(c.column, c.value) for c in priya.cells["phone"]] == [
        ("Phone 2 - Value", "+44 20 7946 0958")
    ]
    assert [c.value for c in priya.cells["email"]] == [
        "priya.raman@ledgerline.co.uk",
        "priya@gmail.com",
    ]
    assert priya.extra["Labels"] == "* myContacts ::: Fintech"
    assert priya.extra["Address 1 - Formatted"] == "1 Poultry\nLondon EC2R 8EJ"

    tom = to_record(*rows[1], headers, mapping)
    # "Work Fax" is no way to reach a person: kept in extra, not lost.
    assert tom.extra["Phone 1 - Value"] == "+49 30 1234567"
    assert "phone" not in tom.cells
    # Several numbers in one cell are joined with " ::: " by Google.
    assert [c.value for c in tom.cells["home_phone"]] == ["+49 30 555 0101", "+49 30 555 0102"]
    assert tom.raw["Phone 2 - Value"] == "+49 30 555 0101 ::: +49 30 555 0102"


def test_google_legacy_utf16_record() -> None:
    headers, rows, layout = open_sample("google_contacts_legacy.csv")
    rec = to_record(*rows[0], headers, suggest_mapping(headers, layout=layout))
    assert rec.row == 1
    assert rec.first("full_name") == "Łukasz Nowak"
    assert rec.first("company") == "Paywise S.A."
    assert rec.first("job_title") == "VP Marketing"
    assert rec.first("mobile_phone") == "+48 601 234 567"
    assert rec.first("email") == "lukasz.nowak@paywise.pl"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Mobile", "mobile_phone"),
        ("* Mobile", "mobile_phone"),
        ("Home", "home_phone"),
        ("Work", "phone"),
        ("Main", "phone"),
        ("", "phone"),
        ("Work Fax", None),
    ],
)
def test_phone_field_for_label(label: str, field: str | None) -> None:
    assert phone_field_for_label(label) == field


def test_every_layout_loads_with_known_fields() -> None:
    names = [layout.name for layout in load_layouts()]
    assert names == [
        "linkedin_connections",
        "linkedin_contacts",
        "google_contacts",
        "google_contacts_legacy",
        "outlook_csv",
        "apollo_people",
        "zoominfo_contacts",
        "hubspot_contacts",
        "salesforce_leads",
        "vcard",
        "leadsmith_csv",
    ]


def test_every_column_of_leadsmith_csv_export_is_known_to_its_layout() -> None:
    (layout,) = [x for x in load_layouts() if x.name == "leadsmith_csv"]
    unknown = [c for c in LEADSMITH_CSV_COLUMNS if not layout.field_for(c)[0]]
    assert unknown == []
    assert layout.field_for(POINTS_COLUMN) == (True, None)
