"""Company size ranges, standard industries, and job titles -> seniority/department on import."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.book import LeadBook
from app.contact import ImportReport
from app.errors import InvalidValue
from app.firmographics import (
    crm_industry,
    industries,
    normalize_industry,
    parse_size_range,
    size_range_for,
)

ImportRows = Callable[..., ImportReport]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51-200", "51-200"),
        ("51 - 200 employees", "51-200"),
        ("5000+", "5000+"),
        ("5,000+", "5000+"),
        ("10,001+", "5000+"),
        ("1.001-5.000", "1001-5000"),
        ("1,001-5,000", "1001-5000"),
        ("501-1,000", "501-1000"),
        ("2-10", "1-10"),
        ("5001-10000", "5000+"),
        ("10k+", "5000+"),
        ("350", "201-500"),
        ("11 to 50", "11-50"),
        ("50-250", None),
        ("500+", None),
        ("lots", None),
        ("", None),
    ],
)
def test_size_text_to_standard_range(text: str, expected: str | None) -> None:
    assert parse_size_range(text) == expected


@pytest.mark.parametrize(
    ("employees", "label"),
    [
        (None, ""),
        (0, ""),
        (1, "1-10"),
        (10, "1-10"),
        (11, "11-50"),
        (1000, "501-1000"),
        (5000, "1001-5000"),
        (5001, "5000+"),
    ],
)
def test_head_count_to_range(employees: int | None, label: str) -> None:
    assert size_range_for(employees) == label


@pytest.mark.parametrize(
    ("text", "standard"),
    [
        ("Computer Software", "Technology"),
        ("Information Technology & Services", "Technology"),
        ("food and beverages", "Food & Beverage"),
        ("Hospital & Health Care", "Healthcare"),
        ("Fintech", "Finance"),
        ("banking", "Banking"),
        ("Underwater basket weaving", None),
    ],
)
def test_industry_normalized_to_standard_list(text: str, standard: str | None) -> None:
    assert normalize_industry(text) == standard


def test_industry_maps_to_crm_picklists() -> None:
    assert len(industries().standard) == 32
    assert crm_industry("Finance", "salesforce") == "Finance"
    assert crm_industry("Finance", "hubspot") == "FINANCIAL_SERVICES"
    assert crm_industry("Technology", "dynamics365") == "Business Services"
    assert crm_industry("Technology", "zoho") == "Technology"
    with pytest.raises(InvalidValue, match="no industry mapping for CRM 'acme'"):
        crm_industry("Finance", "acme")


def test_import_fills_title_and_firmographics(
    book: LeadBook,
    import_rows: ImportRows,
    people: list[list[str]],
    ids: Callable[[], dict[str, int]],
) -> None:
    import_rows(people)
    got = {c.first_name: (c.seniority, c.department) for c in book.contacts()}
    assert got == {
        "Ann": ("C-level", "Marketing"),
        "Bob": ("Manager", "Marketing"),
        "Cara": ("C-level", "Marketing"),
        "Dan": ("VP", "Marketing"),
    }
    companies = {
        r[0]: (r[1], r[2], r[3], r[4])
        for r in book.conn.execute(
            "SELECT name, industry, industry_norm, employees, size_range FROM companies"
        )
    }
    assert companies == {
        "Acme Pay": ("Financial Services", "Finance", None, "51-200"),
        "Beta Soft": ("Computer Software", "Technology", 1200, "1001-5000"),
        "Rival Ltd": ("Fintech", "Finance", 120, "51-200"),
    }
    # The range text stays where the cleaner kept it: nothing the user imported is lost.
    assert book.get_contact(ids()["Ann"]).extra == {"Employees": "51-200"}


def test_import_keeps_seniority_and_department_a_file_gave(
    book: LeadBook, import_rows: ImportRows
) -> None:
    header = ["First Name", "Email", "Title", "Seniority", "Department"]
    import_rows(
        [
            ["Ann", "ann@a.com", "CMO", "Owner/Founder", ""],
            ["Bob", "bob@b.com", "Head of Sales", "", "Operations"],
        ],
        header=header,
    )
    got = {c.first_name: (c.seniority, c.department) for c in book.contacts()}
    assert got == {"Ann": ("Owner/Founder", "Marketing"), "Bob": ("Head", "Operations")}


def test_classify_titles_fills_the_existing_book_and_undoes(
    book: LeadBook,
    import_rows: ImportRows,
    people: list[list[str]],
    ids: Callable[[], dict[str, int]],
) -> None:
    import_rows(people[:2])
    ann = ids()["Ann"]
    book.update_contact(ann, {"seniority": "", "department": ""})
    assert book.classify_titles() == 1
    assert (book.get_contact(ann).seniority, book.get_contact(ann).department) == (
        "C-level",
        "Marketing",
    )
    undone = book.undo()
    assert undone is not None and undone.kind == "classify"
    assert book.get_contact(ann).seniority == ""
    assert book.classify_titles([ids()["Bob"]]) == 0  # already filled: nothing to do


def test_user_title_rules_stored_in_the_book_drive_classification(
    book: LeadBook, import_rows: ImportRows
) -> None:
    book.set_title_rules('[abbreviations]\ngrowth = "marketing"\n')
    import_rows([["Zed", "Ko", "zed@z.com", "", "Growth Lead", "Z", "", "", "GB"]])
    assert book.contacts()[0].department == "Marketing"
    with pytest.raises(InvalidValue, match="Title rules: not valid TOML or JSON"):
        book.set_title_rules("[abbreviations\n")
