"""Presets: exact header lines, sample rows, picklist maps, per-book overrides, preset validation."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.contact import Contact
from app.errors import InvalidValue
from app.export import Preset, load_presets, preflight, row_values, write_export
from app.export.presets import preset_from_dict

GOOGLE = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,"
    "Phone 2 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,"
    "Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,"
    "Address 1 - Extended Address,Website 1 - Label,Website 1 - Value"
)
OUTLOOK = (
    "First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,Birthday,Anniversary,"
    "Location,Language,Internet Free Busy,Notes,E-mail Address,E-mail 2 Address,E-mail 3 Address,"
    "Primary Phone,Home Phone,Home Phone 2,Mobile Phone,Pager,Home Fax,Home Address,Home Street,"
    "Home Street 2,Home Street 3,Home Address PO Box,Home City,Home State,Home Postal Code,"
    "Home Country,Spouse,Children,Manager's Name,Assistant's Name,Referred By,Company Main Phone,"
    "Business Phone,Business Phone 2,Business Fax,Assistant's Phone,Company,Job Title,Department,"
    "Office Location,Organizational ID Number,Profession,Account,Business Address,Business Street,"
    "Business Street 2,Business Street 3,Business Address PO Box,Business City,Business State,"
    "Business Postal Code,Business Country,Other Phone,Other Fax,Other Address,Other Street,"
    "Other Street 2,Other Street 3,Other Address PO Box,Other City,Other State,Other Postal Code,"
    "Other Country,Callback,Car Phone,ISDN,Radio Phone,TTY/TDD Phone,Telex,User 1,User 2,User 3,"
    "User 4,Keywords,Mileage,Hobby,Billing Information,Directory Server,Sensitivity,Priority,"
    "Private,Categories"
)
HEADERS = {
    "salesforce-wizard": "Salutation,First Name,Last Name,Title,Company,Email,Phone,Mobile Phone,"
    "Website,Street,City,State/Province,Postal Code,Country,Lead Source,Lead Status,Industry,"
    "No. of Employees,Annual Revenue,Description",
    "salesforce-dataloader": "Salutation,FirstName,LastName,Title,Company,Email,Phone,MobilePhone,"
    "Website,Street,City,State,PostalCode,Country,LeadSource,Status,Industry,NumberOfEmployees,"
    "AnnualRevenue,Description",
    "hubspot": "First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,Job Title,"
    "Website URL,Street Address,City,State/Region,Postal Code,Country/Region,Lifecycle Stage,"
    "Lead Status",
    "pipedrive": "Person - Name,Person - First name,Person - Last name,Person - Email,"
    "Person - Phone - Work,Person - Phone - Mobile,Person - Job title,Organization - Name",
    "zoho": "Salutation,First Name,Last Name,Title,Company,Email,Phone,Mobile,Website,Lead Source,"
    "Lead Status,Industry,No. of Employees,Annual Revenue,Street,City,State,Zip Code,Country,"
    "Description",
    "dynamics365": "Topic,First Name,Last Name,Job Title,Business Phone,Mobile Phone,Company Name,"
    "Email,Website,Street 1,City,State/Province,ZIP/Postal Code,Country/Region,No. of Employees,"
    "Annual Revenue,Lead Source,Status,Status Reason,Description",
    "google-csv": GOOGLE,
    "outlook-csv": OUTLOOK,
}


def test_every_preset_file_loads() -> None:
    assert sorted(load_presets()) == [
        "csv", "dynamics365", "google-csv", "hubspot", "json", "outlook-csv", "pipedrive",
        "salesforce-dataloader", "salesforce-wizard", "vcard3", "vcard4", "xlsx", "zoho",
    ]  # fmt: skip


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_exact_header_line(
    name: str, presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    write_export(presets[name], [contact], out)
    data = out.read_bytes()
    expected_bom = b"\xef\xbb\xbf" if name == "outlook-csv" else b""
    assert data.startswith(expected_bom + HEADERS[name].encode().split(b",")[0])
    header_line = data.decode(presets[name].encoding).split("\r\n")[0]
    assert next(csv.reader(io.StringIO(header_line))) == HEADERS[name].split(",")


def _row(presets: dict[str, Preset], name: str, contact: Contact) -> dict[str, str]:
    preset = presets[name]
    return dict(zip(preset.headers, row_values(preset, contact), strict=True))


def test_salesforce_wizard_row(presets: dict[str, Preset], contact: Contact) -> None:
    assert _row(presets, "salesforce-wizard", contact) == {
        "Salutation": "Dr.",
        "First Name": "Ana María",
        "Last Name": "López",
        "Title": "Chief Marketing Officer",
        "Company": "Northwind Analytics, Inc.",
        "Email": "ana.lopez@northwind.example",
        "Phone": "+442079460123",
        "Mobile Phone": "+447700900123",
        "Website": "https://northwind.example",
        "Street": "1 King's Road",
        "City": "London",
        "State/Province": "Greater London",
        "Postal Code": "SW3 4XX",
        "Country": "United Kingdom",
        "Lead Source": "Purchased List",
        "Lead Status": "Working - Contacted",
        "Industry": "Finance",
        "No. of Employees": "250",
        "Annual Revenue": "12500000",
        "Description": "Met at Money20/20",
    }


def test_salesforce_dataloader_row_uses_api_names(
    presets: dict[str, Preset], contact: Contact
) -> None:
    row = _row(presets, "salesforce-dataloader", contact)
    assert (row["LastName"], row["Company"], row["Status"], row["NumberOfEmployees"]) == (
        "López", "Northwind Analytics, Inc.", "Working - Contacted", "250",
    )  # fmt: skip


def test_hubspot_row(presets: dict[str, Preset], contact: Contact) -> None:
    row = _row(presets, "hubspot", contact)
    assert row["Email"] == "ana.lopez@northwind.example"
    assert row["Phone Number"] == "+442079460123"
    assert row["Mobile Phone Number"] == "+447700900123"
    assert row["Country/Region"] == "United Kingdom"
    assert (row["Lifecycle Stage"], row["Lead Status"]) == ("salesqualifiedlead", "IN_PROGRESS")


def test_pipedrive_row(presets: dict[str, Preset], contact: Contact) -> None:
    assert row_values(presets["pipedrive"], contact) == [
        "Dr Ana María López", "Ana María", "López", "ana.lopez@northwind.example",
        "+442079460123", "+447700900123", "Chief Marketing Officer", "Northwind Analytics, Inc.",
    ]  # fmt: skip


def test_zoho_row(presets: dict[str, Preset], contact: Contact) -> None:
    row = _row(presets, "zoho", contact)
    assert (row["Salutation"], row["Lead Status"], row["Zip Code"], row["Mobile"]) == (
        "Dr.", "Pre-Qualified", "SW3 4XX", "+447700900123",
    )  # fmt: skip
    assert row["Industry"] == "Financial Services"  # Zoho's industry list is org-specific: as is


def test_dynamics_row_fills_topic(presets: dict[str, Preset], contact: Contact) -> None:
    row = _row(presets, "dynamics365", contact)
    assert row["Topic"] == "Northwind Analytics, Inc. – Chief Marketing Officer"
    assert (row["Status"], row["Status Reason"], row["Lead Source"]) == (
        "Open",
        "Contacted",
        "Purchased List",
    )


def test_google_row(presets: dict[str, Preset], contact: Contact) -> None:
    row = _row(presets, "google-csv", contact)
    assert row["Labels"] == "fintech ::: cmo"
    assert (row["E-mail 1 - Label"], row["E-mail 1 - Value"]) == (
        "* Work", "ana.lopez@northwind.example",
    )  # fmt: skip
    assert (row["E-mail 2 - Label"], row["E-mail 2 - Value"]) == ("Home", "ana@@home")
    assert (row["Phone 2 - Label"], row["Phone 2 - Value"]) == ("Mobile", "+447700900123")
    assert (
        row["Address 1 - Formatted"]
        == "1 King's Road\nLondon Greater London SW3 4XX\nUnited Kingdom"
    )
    assert (row["Website 1 - Label"], row["Website 1 - Value"]) == (
        "LinkedIn", "https://www.linkedin.com/in/ana-lopez",
    )  # fmt: skip
    assert row["Birthday"] == ""


def test_outlook_row(presets: dict[str, Preset], contact: Contact) -> None:
    row = _row(presets, "outlook-csv", contact)
    assert (row["Title"], row["Business Phone"], row["Company Main Phone"]) == (
        "Dr", "+442079460123", "+442079460000",
    )  # fmt: skip
    assert (row["Web Page"], row["Categories"]) == (
        "https://www.linkedin.com/in/ana-lopez",
        "fintech;cmo",
    )
    assert row["Business Country"] == "United Kingdom"


STATUS_MAPS = [
    ("salesforce-wizard", "Lead Status", {
        "New": "Open - Not Contacted", "MQL": "Open - Not Contacted", "SAL": "Working - Contacted",
        "SQL": "Working - Contacted", "Opportunity": "Working - Contacted",
        "Customer": "Closed - Converted", "Recycled": "Closed - Not Converted",
        "Disqualified": "Closed - Not Converted"}),
    ("hubspot", "Lifecycle Stage", {
        "New": "lead", "MQL": "marketingqualifiedlead", "SAL": "salesqualifiedlead",
        "SQL": "salesqualifiedlead", "Opportunity": "opportunity", "Customer": "customer",
        "Recycled": "lead", "Disqualified": "other"}),
    ("hubspot", "Lead Status", {
        "New": "NEW", "MQL": "NEW", "SAL": "OPEN", "SQL": "IN_PROGRESS", "Opportunity": "OPEN_DEAL",
        "Customer": "", "Recycled": "BAD_TIMING", "Disqualified": "UNQUALIFIED"}),
    ("zoho", "Lead Status", {
        "New": "Not Contacted", "MQL": "Not Contacted", "SAL": "Contacted", "SQL": "Pre-Qualified",
        "Opportunity": "Pre-Qualified", "Customer": "Pre-Qualified", "Recycled": "Contact in Future",
        "Disqualified": "Not Qualified"}),
    ("dynamics365", "Status Reason", {
        "New": "New", "MQL": "New", "SAL": "Contacted", "SQL": "Contacted",
        "Opportunity": "Qualified", "Customer": "Qualified", "Recycled": "Contacted",
        "Disqualified": "No Longer Interested"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "header", "expected"), STATUS_MAPS)
def test_status_picklists(
    name: str, header: str, expected: dict[str, str], presets: dict[str, Preset]
) -> None:
    got = {s: _row(presets, name, Contact(last_name="X", status=s))[header] for s in expected}
    assert got == expected


@pytest.mark.parametrize(
    ("field", "value", "header", "expected"),
    [
        ("lead_source", "web", "Lead Source", "Web"),
        ("lead_source", "Referral", "Lead Source", "Partner Referral"),
        ("lead_source", "LinkedIn", "Lead Source", "LinkedIn"),  # unknown: as is (and warned)
        ("industry", "Hospital & Health Care", "Industry", "Healthcare"),
        ("industry", "technology", "Industry", "Technology"),
        ("prefix", "Prof", "Salutation", "Prof."),
    ],
)
def test_salesforce_picklist_values(
    field: str, value: str, header: str, expected: str, presets: dict[str, Preset]
) -> None:
    contact = Contact(last_name="X")
    if field == "industry":
        contact.company.industry = value
    else:
        setattr(contact, field, value)
    assert _row(presets, "salesforce-wizard", contact)[header] == expected


def test_book_override_changes_one_picklist_value(contact: Contact) -> None:
    presets = load_presets({"hubspot": {"value_maps": {"status": {"SQL": "opportunity"}}}})
    assert _row(presets, "hubspot", contact)["Lifecycle Stage"] == "opportunity"
    contact.status = "MQL"  # the rest of the map is kept
    assert _row(presets, "hubspot", contact)["Lifecycle Stage"] == "marketingqualifiedlead"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"nosuch": {}}, "No export preset named 'nosuch' to override."),
        ({"hubspot": {"columns": []}}, "Cannot override columns of preset 'hubspot'."),
    ],
)
def test_bad_override_is_refused(override: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidValue) as err:
        load_presets(override)
    assert str(err.value) == message


BAD_PRESETS = [
    ('name = "x"\nlabel = "X"\nwriter = "pdf"\n', "bad.toml: writer must be one of csv, xlsx, vcard, json"),
    ('name = "x"\nlabel = "X"\nwriter = "csv"\ncolumns = [{ header = "A", source = "shoe_size" }]\n',
     "bad.toml: column 'A': unknown source 'shoe_size'"),
    ('name = "x"\nlabel = "X"\nwriter = "csv"\ncolumns = [{ header = "A", source = "status", picklist = "st" }]\n',
     "bad.toml: column 'A': no value map named 'st'"),
    ('name = "x"\nlabel = "X"\nwriter = "csv"\ncolour = "red"\n', "bad.toml: unknown key(s) colour"),
    ('name = "x"\nlabel = "X"\nwriter = "csv"\nline_ending = "cr"\n', "bad.toml: line_ending must be 'crlf' or 'lf'"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD_PRESETS)
def test_a_broken_preset_file_names_file_and_key(text: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidValue) as err:
        load_presets(folder=tmp_path)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("stamp", "written", "notes"),
    [
        ("2026-02-08T10:15:00+00:00", "02/08/2026", []),
        ("2026-02-08", "02/08/2026", []),
        ("last Tuesday", "last Tuesday", ["Created 'last Tuesday' is not a date; written as is"]),
    ],
)
def test_date_columns_use_the_preset_format(stamp: str, written: str, notes: list[str]) -> None:
    preset = preset_from_dict(
        {
            "name": "t",
            "label": "T",
            "writer": "csv",
            "date_format": "%m/%d/%Y",
            "columns": [{"header": "Created", "source": "created_at", "kind": "date"}],
        }
    )
    contact = Contact(created_at=stamp)
    assert row_values(preset, contact) == [written]
    assert [p.message for p in preflight(preset, [contact])] == notes
