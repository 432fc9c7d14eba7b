"""clean_record end to end: one raw row in, exact Contact fields and Issues out, nothing lost."""

from __future__ import annotations

import pytest

from app.clean.record import clean_record, normalize_status, parse_amount, parse_employees
from app.contact import ContactPoint, Issue, RawRecord


def _record(
    row: int, *cells: tuple[str, str, str], extra: dict[str, str] | None = None
) -> RawRecord:
    rec = RawRecord(row=row, extra=dict(extra or {}))
    for field_name, column, value in cells:
        rec.add(field_name, column, value)
    return rec


def test_a_full_row_is_cleaned_field_by_field() -> None:
    rec = _record(
        7,
        ("full_name", "Name", "Dr. Ana María López"),
        ("email", "Email", "Ana.Lopez@Acme.es; ana@gmial.com"),
        ("email", "Email 2", "broken"),
        ("phone", "Phone", "612 34 56 78"),
        ("mobile_phone", "Mobile", "34612345678"),
        ("company_phone", "Switchboard", "1.4E+10"),
        ("country", "Country", "España"),
        ("company", "Company", " Acme, S.L. "),
        ("industry", "Industry", "Software"),
        ("website", "Website", "https://www.linkedin.com/in/Ana-Lopez/"),
        ("employees", "Employees", "51-200"),
        ("annual_revenue", "Revenue", "$1.5M"),
        ("job_title", "Title", "  Chief Marketing Officer "),
        ("city", "City", "Madrid"),
        ("status", "Status", "marketing qualified lead"),
        ("tags", "Tags", "fintech; cmo ::: fintech, event-2026"),
        extra={"Twitter": "@ana"},
    )
    result = clean_record(rec, default_region="US")
    c = result.contact
    assert (c.id, c.prefix, c.first_name, c.middle_name, c.last_name, c.suffix) == (
        None, "Dr.", "Ana", "María", "López", "",
    )  # fmt: skip
    assert (c.job_title, c.city, c.country, c.status) == (
        "Chief Marketing Officer",
        "Madrid",
        "ES",
        "MQL",
    )
    assert c.tags == ["fintech", "cmo", "event-2026"]
    assert c.company.name == "Acme, S.L."
    assert c.company.industry == "Software"
    assert c.company.website == ""  # the "website" was a person's LinkedIn profile
    assert c.company.domain == "acme.es"
    assert (c.company.employees, c.company.annual_revenue, c.company.phone) == (
        None,
        1_500_000.0,
        "1.4E+10",
    )
    assert c.points == [
        ContactPoint("email", "Ana.Lopez@Acme.es", "ana.lopez@acme.es", "work", True, "valid", ""),
        ContactPoint(
            "email", "ana@gmial.com", "ana@gmial.com", "work", False, "risky",
            "the domain 'gmial.com' looks like a typo of 'gmail.com'",
        ),
        ContactPoint("email", "broken", None, "work", False, "invalid", "missing @"),
        ContactPoint("phone", "612 34 56 78", "+34612345678", "work", True, "valid", ""),
        ContactPoint(
            "phone", "34612345678", "+34612345678", "mobile", False, "valid",
            "recovered: the leading + was missing (a spreadsheet drops it); read as an international number",
        ),
        ContactPoint(
            "url", "https://www.linkedin.com/in/Ana-Lopez/", "https://www.linkedin.com/in/ana-lopez",
            "linkedin", True, "valid", "",
        ),
    ]  # fmt: skip
    assert c.linkedin_url == "https://www.linkedin.com/in/ana-lopez"
    assert c.extra == {"Twitter": "@ana", "Employees": "51-200"}
    assert result.issues == [
        Issue(7, "Email", "ana@gmial.com", "the domain 'gmial.com' looks like a typo of 'gmail.com'", "warning"),
        Issue(7, "Email 2", "broken", "missing @", "error"),
        Issue(
            7, "Mobile", "34612345678",
            "recovered: the leading + was missing (a spreadsheet drops it); read as an international number",
            "warning",
        ),
        Issue(
            7, "Switchboard", "1.4E+10",
            "Excel turned this number into scientific notation (1.4E+10); digits were lost", "error",
        ),
        Issue(7, "Employees", "51-200", "not a single number of employees; kept as text", "warning"),
    ]  # fmt: skip
    assert result.invalid is True


def test_a_clean_row_has_no_issues() -> None:
    rec = _record(
        1,
        ("first_name", "First Name", " Hans "),
        ("last_name", "Last Name", "Müller"),
        ("email", "E-mail", "hans@gmail.com"),
        ("phone", "Phone", "030 123456"),
        ("country", "Country", "Deutschland"),
        ("website", "Website", "www.Mueller-Bau.de"),
        ("company_phone", "Company Phone", "030 1234567"),
        ("employees", "Employees", "1.200"),
        ("annual_revenue", "Revenue", "1.250.000,50"),
        ("linkedin_url", "LinkedIn", "de.linkedin.com/in/hansmueller"),
    )
    result = clean_record(rec, default_region="US")
    c = result.contact
    assert (result.issues, result.invalid) == ([], False)
    assert (c.first_name, c.last_name, c.country) == ("Hans", "Müller", "DE")
    assert c.primary_email == "hans@gmail.com"
    assert c.primary_phone == "+4930123456"  # read in the row's country, not the book's US
    assert c.company.website == "https://www.mueller-bau.de"
    assert c.company.domain == "mueller-bau.de"
    assert (c.company.phone, c.company.employees, c.company.annual_revenue) == (
        "+49301234567",
        1200,
        1250000.5,
    )
    assert c.linkedin_url == "https://www.linkedin.com/in/hansmueller"
    assert c.status == "New"


def test_free_mail_is_never_the_company_domain() -> None:
    result = clean_record(
        _record(2, ("email", "Email", "bo@yahoo.co.uk"), ("company", "Company", "Bo Ltd"))
    )
    assert result.contact.company.domain == ""


@pytest.mark.parametrize(
    ("cells", "names"),
    [
        ([("full_name", "Name", "López, Ana")], ("", "Ana", "", "López", "")),
        ([("full_name", "Name", "Madonna")], ("", "Madonna", "", "", "")),
        ([("full_name", "Name", "Jean-Luc Picard Jr.")], ("", "Jean-Luc", "", "Picard", "Jr.")),
        (
            [("prefix", "Salutation", "Frau"), ("full_name", "Name", "Dr. Eva Kühn")],
            ("Frau", "Eva", "", "Kühn", ""),
        ),
        (
            [
                ("first_name", "First", "Ana"),
                ("last_name", "Last", "López"),
                ("full_name", "Name", "Ana López"),
            ],
            ("", "Ana", "", "López", ""),
        ),
    ],
)
def test_names(cells: list[tuple[str, str, str]], names: tuple[str, ...]) -> None:
    c = clean_record(_record(1, *cells)).contact
    assert (c.prefix, c.first_name, c.middle_name, c.last_name, c.suffix) == names


def test_a_full_name_that_disagrees_with_the_parts_is_kept_in_extra() -> None:
    rec = _record(
        1,
        ("first_name", "First", "Ana"),
        ("last_name", "Last", "López"),
        ("full_name", "Name", "Ana M. López"),
    )
    assert clean_record(rec).contact.extra == {"Name": "Ana M. López"}


def test_unknown_country_and_status_are_kept_with_a_warning() -> None:
    rec = _record(
        4,
        ("country", "Country", "Narnia"),
        ("status", "Lead Status", "Hot!"),
        ("phone", "Phone", "(201) 555-0123"),
    )
    result = clean_record(rec, default_region="US")
    c = result.contact
    assert (c.country, c.status, c.extra) == ("Narnia", "New", {"Lead Status": "Hot!"})
    assert c.primary_phone == "+12015550123"  # the book's default region is used
    assert result.issues == [
        Issue(4, "Country", "Narnia", "unknown country; kept as written", "warning"),
        Issue(
            4, "Lead Status", "Hot!",
            "unknown lead status; set to New (one of New, MQL, SAL, SQL, Opportunity, Customer, Recycled, Disqualified)",
            "warning",
        ),
    ]  # fmt: skip
    assert result.invalid is False


def test_phones_get_labels_and_lost_zero_warnings() -> None:
    rec = _record(
        9,
        ("country", "Country", "UK"),
        ("phone", "Work Phone", "0121 234 5678"),
        ("mobile_phone", "Mobile", "7400123456 ::: 07400 123457"),
        ("home_phone", "Home", "call me"),
    )
    result = clean_record(rec)
    phones = [(p.raw, p.value, p.label, p.is_primary, p.status) for p in result.contact.phones]
    assert sorted(phones, key=lambda p: p[0]) == [
        ("0121 234 5678", "+441212345678", "work", True, "valid"),
        ("07400 123457", "+447400123457", "mobile", False, "valid"),
        ("7400123456", "+447400123456", "mobile", False, "valid"),
        ("call me", None, "home", False, "invalid"),
    ]
    assert result.issues == [
        Issue(
            9,
            "Mobile",
            "7400123456",
            "recovered: the leading 0 was missing (a spreadsheet drops it); read as 07400 123456",
        ),
        Issue(9, "Home", "call me", "not a phone number", "error"),
    ]
    assert result.invalid is True


def test_a_company_linkedin_page_is_an_invalid_profile_but_kept() -> None:
    rec = _record(3, ("linkedin_url", "LinkedIn", "https://www.linkedin.com/company/acme"))
    result = clean_record(rec)
    assert result.contact.points == [
        ContactPoint(
            "url", "https://www.linkedin.com/company/acme", None, "linkedin", False, "invalid",
            "not a LinkedIn profile URL (linkedin.com/in/…)",
        )
    ]  # fmt: skip
    assert result.invalid is True


def test_revenue_range_is_kept_as_text() -> None:
    rec = _record(5, ("annual_revenue", "Revenue Range", "$1M-$10M"))
    result = clean_record(rec)
    assert result.contact.company.annual_revenue is None
    assert result.contact.extra == {"Revenue Range": "$1M-$10M"}
    assert result.issues == [
        Issue(5, "Revenue Range", "$1M-$10M", "not a single revenue amount; kept as text")
    ]


def test_no_primary_email_when_none_is_valid() -> None:
    rec = _record(1, ("email", "Email", "x@mailinator.com"))
    point = clean_record(rec).contact.emails[0]
    assert (point.status, point.is_primary, point.value) == ("risky", False, "x@mailinator.com")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$1.5M", 1_500_000.0), ("1,250,000", 1_250_000.0), ("1.250.000,50", 1_250_000.5),
        ("1,250,000.75", 1_250_000.75), ("€ 2,5 Mio", 2_500_000.0), ("3.4bn", 3_400_000_000.0),
        ("750k", 750_000.0), ("1 200", 1200.0), ("12.5", 12.5), ("USD 900", 900.0),
        ("51-200", None), ("10,001+", None), ("n/a", None), ("", None),
    ],
)  # fmt: skip
def test_parse_amount(text: str, amount: float | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("1,200", 1200),
        ("1200", 1200),
        ("1.200", 1200),
        ("1 200", 1200),
        ("51-200", None),
        ("12.5", None),
        ("many", None),
    ],
)
def test_parse_employees(text: str, count: int | None) -> None:
    assert parse_employees(text) == count


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("new", "New"), ("MQL", "MQL"), ("mql", "MQL"), ("Marketing Qualified Lead", "MQL"),
        ("sales qualified lead", "SQL"), ("Sales-Accepted Lead", "SAL"), ("lead", "New"),
        ("OPPORTUNITY", "Opportunity"), ("customer", "Customer"), ("Recycled", "Recycled"),
        ("disqualified", "Disqualified"), ("hot", None),
    ],
)  # fmt: skip
def test_normalize_status(text: str, status: str | None) -> None:
    assert normalize_status(text) == status
