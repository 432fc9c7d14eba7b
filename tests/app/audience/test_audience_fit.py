"""Audiences: set-based matching, fit scores with exact breakdowns, tags with origin, re-apply."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.audience import Criteria, fit_json
from app.book import LeadBook
from app.contact import ImportReport
from app.errors import InvalidValue
from app.query import ContactFilter

ImportRows = Callable[..., ImportReport]
Ids = Callable[[], dict[str, int]]

ICP = Criteria(
    title_keywords=("marketing",),
    seniorities=("c-level",),
    industries=("Fintech",),
    sizes=("51-200",),
    countries=("United Kingdom",),
    exclude_domains=("https://www.rival.com/",),
)


@pytest.fixture
def scored(book: LeadBook, import_rows: ImportRows, people: list[list[str]]) -> LeadBook:
    """The UK fintech CMO audience (threshold 60), then the four prospects imported: the import
    applies it."""
    book.save_audience("UK fintech CMOs", ICP, threshold=60)
    import_rows(people)
    return book


def test_criteria_are_stored_in_canonical_spellings(book: LeadBook) -> None:
    a = book.save_audience("UK fintech CMOs", ICP)
    assert a.criteria.seniorities == ("C-level",)
    assert a.criteria.industries == ("Finance",)
    assert a.criteria.countries == ("GB",)
    assert a.criteria.exclude_domains == ("rival.com",)
    assert dict(a.weights) == {
        "title": 25,
        "seniority": 20,
        "department": 15,
        "industry": 15,
        "size": 15,
        "country": 10,
    }


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        (Criteria(seniorities=("Boss",)), "unknown seniority 'Boss'"),
        (Criteria(industries=("Basket weaving",)), "unknown industry 'Basket weaving'"),
        (Criteria(sizes=("50-250",)), "unknown company size '50-250'"),
        (Criteria(countries=("Atlantis",)), "unknown country 'Atlantis'"),
    ],
)
def test_bad_criteria_are_refused_with_the_choices(
    book: LeadBook, criteria: Criteria, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        book.save_audience("Bad", criteria)


def test_fit_scores_grades_and_breakdown(scored: LeadBook, ids: Ids) -> None:
    people = ids()
    got = {
        name: (c.score, c.grade, c.status)
        for name, cid in people.items()
        for c in [scored.get_contact(cid)]
    }
    # Weights 25+20+15+15+10 = 85 are in play. Ann meets all; Bob only the title (25/85 -> 29);
    # Cara works at an excluded domain (0); Dan misses seniority (65/85 -> 76, over 60: MQL).
    assert got == {
        "Ann": (100, "A", "MQL"),
        "Bob": (29, "D", "New"),
        "Cara": (0, "F", "New"),
        "Dan": (76, "B", "MQL"),
    }
    dan = fit_json(scored.explain_fit("UK fintech CMOs", people["Dan"]))
    assert dan == {
        "contact_id": people["Dan"],
        "score": 76,
        "grade": "B",
        "matched": False,
        "failed_gates": [],
        "breakdown": [
            {
                "criterion": "title",
                "wanted": ["marketing"],
                "value": "VP Marketing",
                "matched": True,
                "weight": 25,
                "earned": 25,
            },
            {
                "criterion": "seniority",
                "wanted": ["C-level"],
                "value": "VP",
                "matched": False,
                "weight": 20,
                "earned": 0,
            },
            {
                "criterion": "industry",
                "wanted": ["Finance"],
                "value": "Finance",
                "matched": True,
                "weight": 15,
                "earned": 15,
            },
            {
                "criterion": "size",
                "wanted": ["51-200"],
                "value": "51-200",
                "matched": True,
                "weight": 15,
                "earned": 15,
            },
            {
                "criterion": "country",
                "wanted": ["GB"],
                "value": "GB",
                "matched": True,
                "weight": 10,
                "earned": 10,
            },
        ],
    }
    cara = scored.explain_fit("UK fintech CMOs", people["Cara"])
    assert (cara.score, cara.grade, cara.failed_gates) == (0, "F", ("excluded_domain",))


def test_matching_contacts_are_tagged_with_the_audience_as_origin(
    scored: LeadBook, ids: Ids
) -> None:
    a = scored.audience("UK fintech CMOs")
    rows = scored.conn.execute(
        "SELECT ct.contact_id, t.name, ct.origin FROM contact_tags ct "
        "JOIN tags t ON t.id = ct.tag_id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [(ids()["Ann"], "UK fintech CMOs", f"audience:{a.id}")]
    assert scored.count_matching(a.criteria) == 1
    assert scored.count(ContactFilter(tag="UK fintech CMOs")) == 1


def test_custom_weights_change_the_score(scored: LeadBook, ids: Ids) -> None:
    scored.save_audience(
        "UK fintech CMOs", ICP, weights={"seniority": 0, "country": 40}, threshold=60
    )
    result = scored.apply_audience("UK fintech CMOs")
    # Dan now misses nothing that weighs anything: 25 + 15 + 15 + 40 of 95 -> 100.
    assert scored.get_contact(ids()["Dan"]).score == 100
    assert (result.scored, result.matched, result.tagged, result.untagged) == (4, 1, 0, 0)


def test_gates_require_valid_email_and_phone(
    book: LeadBook, import_rows: ImportRows, people: list[list[str]]
) -> None:
    import_rows(people)
    assert book.count_matching(Criteria(require_email=True)) == 4
    assert book.count_matching(Criteria(require_phone=True)) == 1
    assert book.count_matching(Criteria(require_phone=True, countries=("FR",))) == 0
    assert book.count_matching(Criteria(exclude_domains=("acmepay.com", "rival.com"))) == 1


def test_title_keyword_finds_abbreviations(
    book: LeadBook, import_rows: ImportRows, people: list[list[str]]
) -> None:
    import_rows(people)
    # "CMO" (Ann) is found by "marketing" through the title abbreviations; "chief" only by words.
    assert book.count_matching(Criteria(title_keywords=("marketing",))) == 4
    assert book.count_matching(Criteria(title_keywords=("chief marketing",))) == 2


def test_reapplied_to_a_new_import_only(
    scored: LeadBook, import_rows: ImportRows, people: list[list[str]], ids: Ids
) -> None:
    a = scored.audience("UK fintech CMOs")
    # Someone edits Bob into a perfect fit by hand: a new import must not re-score him.
    scored.update_contact(ids()["Bob"], {"country": "GB"})
    report = import_rows(
        [
            [
                "Eve",
                "Ng",
                "eve@acmepay.com",
                "",
                "Chief Marketing Officer",
                "Acme Pay",
                "Financial Services",
                "51-200",
                "GB",
            ]
        ]
    )
    eve = ids()["Eve"]
    tagged = scored.conn.execute(
        "SELECT contact_id, origin, import_id FROM contact_tags ORDER BY contact_id"
    ).fetchall()
    assert [tuple(r) for r in tagged] == [
        (ids()["Ann"], f"audience:{a.id}", 1),  # set when the first import re-applied it
        (eve, f"audience:{a.id}", report.import_id),
    ]
    assert scored.get_contact(eve).status == "MQL"
    assert scored.get_contact(ids()["Bob"]).score == 29
    scored.undo()  # the import, with the tag and score it brought
    assert scored.count(ContactFilter(tag="UK fintech CMOs")) == 1


def test_apply_is_undoable(scored: LeadBook, ids: Ids) -> None:
    scored.save_audience("Everyone in GB", Criteria(countries=("GB",)), threshold=50)
    result = scored.apply_audience("Everyone in GB")
    assert result.as_json() == {
        "audience": "Everyone in GB",
        "scored": 4,
        "matched": 3,
        "tagged": 3,
        "untagged": 0,
        "promoted": 1,
    }
    assert scored.get_contact(ids()["Cara"]).status == "MQL"
    undone = scored.undo()
    assert undone is not None and undone.kind == "audience"
    assert scored.get_contact(ids()["Cara"]).status == "New"
    assert scored.get_contact(ids()["Cara"]).score == 0
    assert scored.count(ContactFilter(tag="Everyone in GB")) == 0
    assert [e.to_status for e in scored.lifecycle_history(ids()["Cara"])] == []
