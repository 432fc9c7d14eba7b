"""Groups from scored pairs: a doubtful link never dilutes a certain group; reasons on demand."""

from __future__ import annotations

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.dedupe.groups import build_groups
from app.dedupe.score import PairScore
from app.ingest import ImportMeta


def keep_all(book: LeadBook, *records: dict[str, str]) -> list[int]:
    """Import rows with on_duplicate=keep so the book's exact matching does not merge them."""
    rows = []
    for n, values in enumerate(records):
        r = RawRecord(row=n + 1)
        for name, value in values.items():
            r.add(name, name.replace("_", " ").title(), value)
            r.raw[name] = value
        rows.append(r)
    book.import_records(rows, ImportMeta(file_name="p.csv", headers=["x"], on_duplicate="keep"))
    return [int(r[0]) for r in book.conn.execute("SELECT id FROM contacts ORDER BY id")]


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        # A certain pair and a doubtful link to one of them: the certain pair stays certain.
        (
            [PairScore(1, 2, 100, ("same email",)), PairScore(2, 3, 80, ("same name",))],
            [((1, 2), 100, True)],
        ),
        # Doubtful links among contacts with no certain link still make one review group.
        (
            [PairScore(1, 2, 85, ("a",)), PairScore(2, 3, 80, ("b",))],
            [((1, 2, 3), 80, False)],
        ),
        # Two certain groups are not joined by a doubtful link between them.
        (
            [
                PairScore(1, 2, 100, ("a",)),
                PairScore(3, 4, 96, ("b",)),
                PairScore(2, 3, 90, ("c",)),
                PairScore(5, 6, 75, ("d",)),
            ],
            [((1, 2), 100, True), ((3, 4), 96, True), ((5, 6), 75, False)],
        ),
    ],
)
def test_doubtful_links_never_dilute_a_certain_group(
    pairs: list[PairScore], expected: list[tuple[tuple[int, ...], int, bool]]
) -> None:
    groups = build_groups(pairs, auto_score=95)
    assert [(g.ids, g.score, g.certain) for g in groups] == expected


def test_reasons_are_given_on_demand_for_links_only() -> None:
    asked: list[tuple[int, int]] = []

    def explain(a: int, b: int) -> PairScore:
        def why() -> tuple[str, ...]:
            asked.append((a, b))
            return ("same phone",)

        return PairScore(a, b, 97, explain=why)

    # 1-2 and 1-3 (equal scores: by id) link the group; 2-3 closes a cycle, so it is never asked.
    [group] = build_groups([explain(1, 2), explain(2, 3), explain(1, 3)], auto_score=95)
    assert group.reasons == ("#1–#2: same phone", "#1–#3: same phone")
    assert sorted(asked) == [(1, 2), (1, 3)]


def test_a_namesake_without_keys_does_not_hold_back_a_certain_merge(book: LeadBook) -> None:
    a, b, _namesake = keep_all(
        book,
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@acme.com",
            "company": "Acme",
            "city": "Leeds",
        },
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "email": "ann@acme.com",
            "company": "Acme",
            "city": "Leeds",
        },
        {"first_name": "Ann", "last_name": "Lee", "company": "Acme", "city": "Leeds"},
    )
    groups = book.find_duplicates()
    assert [(g.ids, g.score, g.certain) for g in groups] == [((a, b), 100, True)]
    assert groups[0].reasons == ("same email",)
    assert book.review_queue() == []
