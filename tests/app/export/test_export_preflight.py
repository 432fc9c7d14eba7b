"""Preflight: the messages a user sees before a CRM would reject (or alter) a row."""

from __future__ import annotations

import pytest

from app.contact import Company, Contact, ContactPoint
from app.export import Preset, RowProblem, preflight, row_values
from app.export.presets import preset_from_dict


def _messages(preset: Preset, contact: Contact) -> list[str]:
    return [p.message for p in preflight(preset, [contact])]


def test_salesforce_requires_last_name_and_company(presets: dict[str, Preset]) -> None:
    problems = preflight(presets["salesforce-wizard"], [Contact(id=7, first_name="Ana")])
    assert problems == [
        RowProblem(7, "Last Name", "", "Last Name is required by Salesforce"),
        RowProblem(7, "Company", "", "Company is required by Salesforce"),
    ]


def test_dataloader_names_api_columns(presets: dict[str, Preset]) -> None:
    contact = Contact(last_name="Ng")
    assert _messages(presets["salesforce-dataloader"], contact) == [
        "Company is required by Salesforce"
    ]


def test_dynamics_requires_topic_and_last_name(presets: dict[str, Preset]) -> None:
    assert _messages(presets["dynamics365"], Contact()) == [
        "Topic is required by Dynamics 365",
        "Last Name is required by Dynamics 365",
    ]


def test_dynamics_topic_falls_back_to_the_name(presets: dict[str, Preset]) -> None:
    assert _messages(presets["dynamics365"], Contact(first_name="Ana", last_name="Ng")) == []


@pytest.mark.parametrize(
    ("preset", "contact", "message"),
    [
        ("salesforce-wizard", Contact(last_name="Ng", job_title="x" * 140, company=Company("Acme")),
         "Title is 140 characters; Salesforce accepts at most 128"),
        ("salesforce-wizard", Contact(first_name="A" * 41, last_name="Ng", company=Company("Acme")),
         "First Name is 41 characters; Salesforce accepts at most 40"),
        ("dynamics365", Contact(last_name="N" * 51, job_title="CMO"),
         "Last Name is 51 characters; Dynamics 365 accepts at most 50"),
        ("zoho", Contact(last_name="Ng", job_title="t" * 101),
         "Title is 101 characters; Zoho CRM accepts at most 100"),
        ("dynamics365", Contact(last_name="Ng", company=Company("Acme", employees=2_000_000)),
         "No. of Employees is 2000000; Dynamics 365 accepts at most 1,000,000"),
    ],
)  # fmt: skip
def test_too_long_and_out_of_range(
    preset: str, contact: Contact, message: str, presets: dict[str, Preset]
) -> None:
    assert _messages(presets[preset], contact) == [message]


def test_invalid_email_is_an_error(presets: dict[str, Preset]) -> None:
    contact = Contact(id=3, last_name="Ng", company=Company("Acme"))
    contact.points.append(ContactPoint("email", "ng@@acme", None, status="invalid", reason="two @"))
    assert preflight(presets["salesforce-wizard"], [contact]) == [
        RowProblem(3, "Email", "ng@@acme", "Email 'ng@@acme' is not a valid email address: two @"),
    ]


def test_hubspot_needs_email_or_a_name(presets: dict[str, Preset]) -> None:
    assert _messages(presets["hubspot"], Contact(company=Company("Acme"))) == [
        "HubSpot needs at least one of Email, First Name, Last Name"
    ]


def test_pipedrive_needs_a_person_name(presets: dict[str, Preset]) -> None:
    assert _messages(presets["pipedrive"], Contact(company=Company("Acme"))) == [
        "Person - Name is required by Pipedrive"
    ]


@pytest.mark.parametrize(
    ("contact", "problem"),
    [
        (Contact(last_name="Ng", lead_source="LinkedIn", company=Company("Acme")),
         RowProblem(None, "Lead Source", "LinkedIn",
                    "Lead Source 'LinkedIn' is not one of Salesforce's default Lead Source values; "
                    "written as is", "warning")),
        (Contact(last_name="Ng", company=Company("Acme"),
                 points=[ContactPoint("phone", "+44 (0)20 7946", None, "work")]),
         RowProblem(None, "Phone", "+44 (0)20 7946",
                    "Phone '+44 (0)20 7946' is not a validated E.164 number; written with a leading ' "
                    "so spreadsheets cannot run it", "warning")),
    ],
)  # fmt: skip
def test_warnings_do_not_block(
    contact: Contact, problem: RowProblem, presets: dict[str, Preset]
) -> None:
    assert preflight(presets["salesforce-wizard"], [contact]) == [problem]


def test_a_number_column_refuses_text() -> None:
    preset = preset_from_dict(
        {
            "name": "t",
            "label": "T",
            "target": "Acme CRM",
            "writer": "csv",
            "columns": [{"header": "Employees", "source": "extra:Size", "kind": "int"}],
        }
    )
    contact = Contact(id=9, extra={"Size": "50-200"})
    assert preflight(preset, [contact]) == [
        RowProblem(9, "Employees", "50-200", "Employees '50-200' is not a whole number")
    ]
    assert row_values(preset, contact) == ["50-200"]  # written as is when not skipped


def test_vcard_needs_something_to_call_the_card(presets: dict[str, Preset]) -> None:
    assert _messages(presets["vcard4"], Contact()) == [
        "A vCard needs a name, a company or an email for its FN"
    ]
    assert _messages(presets["vcard4"], Contact(company=Company("Acme"))) == []


def test_generic_formats_take_everything(presets: dict[str, Preset]) -> None:
    for name in ("csv", "xlsx", "json"):
        assert preflight(presets[name], [Contact()]) == []
