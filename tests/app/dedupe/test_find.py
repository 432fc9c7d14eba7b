"""Finding duplicates: staged keys, the never-key rules, scores with reasons, remembered rejections."""

from __future__ import annotations

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.dedupe.names import same_first_name, skeleton
from app.dedupe.score import name_similarity
from app.ingest import ImportMeta
from tests.app.book_rows import rec


def keep_all(book: LeadBook, *records: RawRecord) -> list[int]:
    """Import rows with on_duplicate=keep so the book's exact matching does not merge them."""
    meta = ImportMeta(file_name="people.csv", headers=["x"], on_duplicate="keep")
    book.import_records([rec(n + 1, **r) for n, r in enumerate(records)], meta)  # type: ignore[arg-type]
    return [int(r[0]) for r in book.conn.execute("SELECT id FROM contacts ORDER BY id")]


def pairs(book: LeadBook, min_score: int = 1) -> dict[tuple[int, ...], tuple[int, tuple[str, ...]]]:
    return {g.ids: (g.score, g.reasons) for g in book.find_duplicates(min_score=min_score)}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Bob", "Robert", True),
        ("Bill", "William", True),
        ("Liz", "Elizabeth", True),
        ("Kathi", "Katharina", True),
        ("Paco", "Francisco", True),
        ("Pepe", "José", True),
        ("Pepe", "Jose", True),
        ("Bob", "William", False),
    ],
)
def test_nicknames_are_the_same_first_name(a: str, b: str, same: bool) -> None:
    assert same_first_name(skeleton(a, first=True), skeleton(b, first=True)) is same


@pytest.mark.parametrize(
    ("a", "b"),
    [("Müller", "Mueller"), ("Müller", "MULLER"), ("de Vries", "Vries"), ("Łukasz", "Lukasz")],
)
def test_accents_transliteration_and_particles_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(
    ("a", "b", "at_least", "note"),
    [
        (("jon", "smith"), ("jon", "smiht"), 85, ""),
        (("smith", "jon"), ("jon", "smith"), 100, "first and last names swapped"),
        (("j", "smith"), ("jon", "smith"), 90, "initial"),
        (("bob", "smith"), ("robert", "smith"), 100, "nickname"),
    ],
)
def test_name_similarity(a: tuple[str, str], b: tuple[str, str], at_least: int, note: str) -> None:
    score, why = name_similarity(a[0], a[1], b[0], b[1])
    assert score >= at_least
    assert why == note


def test_same_email_is_certain_with_its_reason(book: LeadBook) -> None:
    a, b = keep_all(
        book,
        {"first_name": "Ana", "last_name": "López", "email": "ana@acme.com"},
        {"first_name": "Ana", "last_name": "Lopez", "email": "ANA@acme.com"},
    )
    groups = book.find_duplicates()
    assert [(g.ids, g.score, g.reasons, g.certain) for g in groups] == [
        ((a, b), 100, ("same email",), True)
    ]


def test_same_linkedin_is_certain(book: LeadBook) -> None:
    a, b = keep_all(
        book,
        {
            "first_name": "Ana",
            "last_name": "Ruiz",
            "linkedin_url": "https://linkedin.com/in/ana-ruiz",
        },
        {"first_name": "Ana", "last_name": "Ruiz", "linkedin_url": "www.linkedin.com/in/ana-ruiz/"},
    )
    assert pairs(book) == {(a, b): (100, ("same LinkedIn profile",))}


def test_fuzzy_name_with_company_and_city_is_reported_with_reasons(book: LeadBook) -> None:
    a, b = keep_all(
        book,
        {"first_name": "Robert", "last_name": "Smith", "company": "Acme Ltd", "city": "Leeds",
         "job_title": "CFO"},
        {"first_name": "Bob", "last_name": "Smith", "company": "ACME Limited", "city": "Leeds",
         "job_title": "CFO"},
    )  # fmt: skip
    score, reasons = pairs(book)[(a, b)]
    assert reasons == ("same name + nickname + same company + same city + same job title",)
    assert score == 90


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # a role address is shared by design: never a key
        ({"first_name": "Tom", "last_name": "Baker", "email": "info@acme.com"}, {}),
        # free mail is no company evidence: same name alone stays below the review score
        ({"first_name": "Ana", "last_name": "Ruiz", "email": "ana.r77@gmail.com"}, {}),
    ],
)
def test_never_keys_role_and_free_mail(
    book: LeadBook, second: dict[str, str], expected: dict[object, object]
) -> None:
    first = {"first_name": "Ana", "last_name": "Ruiz", "email": "info@acme.com"}
    if "gmail" in second["email"]:
        first = {"first_name": "Ana", "last_name": "Ruiz", "email": "ana.ruiz@gmail.com"}
    keep_all(book, first, second)
    assert pairs(book, min_score=70) == expected


def test_plus_address_is_suggested_never_certain(book: LeadBook) -> None:
    a, b = keep_all(
        book,
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana+news@acme.com", "company": "Acme"},
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com", "company": "Acme"},
    )
    [group] = book.find_duplicates()
    assert group.ids == (a, b)
    assert group.score == 89
    assert not group.certain
    assert "same address apart from +tag" in group.reasons[0]


def test_a_phone_shared_by_more_than_three_contacts_is_a_switchboard(book: LeadBook) -> None:
    people = [("Ann", "Lee"), ("Bo", "Chan"), ("Cy", "Diaz"), ("Di", "Evans")]
    keep_all(
        book, *({"first_name": f, "last_name": la, "phone": "+44 20 7946 0000"} for f, la in people)
    )
    assert pairs(book, min_score=1) == {}


def test_a_personal_phone_with_the_same_name_is_certain(book: LeadBook) -> None:
    a, b = keep_all(
        book,
        {"first_name": "Ann", "last_name": "Lee", "phone": "+44 7700 900123"},
        {"first_name": "Ann", "last_name": "Lee", "phone": "07700 900123"},
    )
    [group] = book.find_duplicates()
    assert (group.ids, group.certain) == ((a, b), True)
    assert group.reasons == ("same name + same phone",)


def test_homonyms_at_different_companies_are_not_proposed(book: LeadBook) -> None:
    keep_all(
        book,
        {"first_name": "John", "last_name": "Smith", "company": "Acme", "city": "Leeds"},
        {"first_name": "John", "last_name": "Smith", "company": "Globex", "city": "York"},
    )
    assert book.find_duplicates() == []


def test_not_a_duplicate_is_remembered(book: LeadBook) -> None:
    a, b = keep_all(
        book,
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
    )
    assert len(book.find_duplicates()) == 1
    assert book.mark_not_duplicate(b, a) == 1
    assert book.find_duplicates() == []
    assert book.review_queue() == []


def test_duplicates_of_an_unsaved_contact(book: LeadBook) -> None:
    from app.clean.record import clean_record

    (a,) = keep_all(
        book,
        {"first_name": "Robert", "last_name": "Smith", "company": "Acme", "city": "Leeds",
         "job_title": "CFO", "email": "rs@acme.com"},
    )  # fmt: skip
    typed = clean_record(
        rec(first_name="Bob", last_name="Smith", company="Acme Inc", city="Leeds", job_title="CFO",
            email="bob.smith@acme.com"),
        "GB",
    ).contact  # fmt: skip
    [(cid, score, reasons)] = book.duplicates_of(typed)
    assert cid == a
    assert reasons[:3] == ("same name", "nickname", "same company")
    assert score >= 90


def test_thresholds_are_book_settings(book: LeadBook) -> None:
    assert (book.auto_merge_score, book.review_min_score) == (95, 70)
    book.auto_merge_score = 98
    assert book.setting("dedupe_auto_score") == "98"
    with pytest.raises(Exception, match="between 0 and 100"):
        book.review_min_score = 120
