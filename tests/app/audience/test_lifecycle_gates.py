"""The lead cycle: allowed and refused moves, SQL only with BANT, every move recorded and undoable."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.book import LeadBook
from app.contact import ImportReport
from app.errors import InvalidValue
from app.lifecycle import QualificationIncomplete, TransitionRefused

ImportRows = Callable[..., ImportReport]
Ids = Callable[[], dict[str, int]]


@pytest.fixture
def ann(book: LeadBook, import_rows: ImportRows, people: list[list[str]], ids: Ids) -> int:
    """Ann, a New lead."""
    book.set_setting("user", "tester")
    import_rows(people[:1])
    return ids()["Ann"]


def _walk(book: LeadBook, cid: int, *steps: str) -> None:
    for s in steps:
        bant = {"budget": "50k", "authority": "CMO", "need": "churn", "timeline": "Q3"}
        book.set_status([cid], s, bant=bant if s == "SQL" else None)


@pytest.mark.parametrize(
    ("path", "target", "allowed"),
    [
        ((), "MQL", True),
        ((), "SAL", True),
        ((), "SQL", False),
        ((), "Customer", False),
        (("SAL",), "SQL", True),
        (("SAL",), "New", False),
        (("SAL", "SQL"), "Opportunity", True),
        (("SAL", "SQL", "Opportunity"), "Customer", True),
        (("SAL", "SQL", "Opportunity", "Customer"), "Recycled", False),
        (("Disqualified",), "SAL", False),
        (("Disqualified",), "Recycled", True),
        (("Recycled",), "MQL", True),
    ],
)
def test_transitions(
    book: LeadBook, ann: int, path: tuple[str, ...], target: str, allowed: bool
) -> None:
    _walk(book, ann, *path)
    bant = {"budget": "50k", "authority": "CMO", "need": "churn", "timeline": "Q3"}
    if allowed:
        assert book.set_status([ann], target, bant=bant) == 1
        assert book.get_contact(ann).status == target
    else:
        with pytest.raises(TransitionRefused):
            book.set_status([ann], target, bant=bant)
        assert book.get_contact(ann).status == (path[-1] if path else "New")


def test_refused_transition_names_the_allowed_moves(book: LeadBook, ann: int) -> None:
    with pytest.raises(TransitionRefused) as err:
        book.set_status([ann], "customer")
    assert str(err.value) == (
        f"cannot move contact #{ann} from New to Customer; from New a lead can go to: "
        "MQL, SAL, Recycled, Disqualified"
    )


def test_sql_is_refused_without_bant(book: LeadBook, ann: int) -> None:
    _walk(book, ann, "SAL")
    with pytest.raises(QualificationIncomplete) as err:
        book.set_status([ann], "SQL", bant={"budget": "50k", "need": " "})
    assert str(err.value) == (
        f"cannot move contact #{ann} to SQL: BANT is incomplete, missing authority, need, "
        "timeline. Fill in each of budget, authority, need and timeline (a value or an "
        "evidence note)."
    )
    assert err.value.missing == ("authority", "need", "timeline")
    c = book.get_contact(ann)
    assert c.status == "SAL"  # nothing written, not even the budget that was given
    assert book.conn.execute("SELECT budget FROM contacts WHERE id = ?", (ann,)).fetchone()[0] == ""


def test_sql_uses_bant_already_on_the_contact(book: LeadBook, ann: int) -> None:
    _walk(book, ann, "SAL")
    book.update_contact(ann, {"budget": "50k", "authority": "signs off", "need": "churn"})
    assert book.set_status([ann], "SQL", bant={"timeline": "evidence: call notes 2 May"}) == 1
    row = book.conn.execute(
        "SELECT status, budget, timeline FROM contacts WHERE id = ?", (ann,)
    ).fetchone()
    assert tuple(row) == ("SQL", "50k", "evidence: call notes 2 May")


def test_every_move_is_recorded_with_who_and_undone(book: LeadBook, ann: int) -> None:
    book.set_status([ann], "MQL", reason="by hand")
    book.set_status([ann], "SAL")
    events = book.lifecycle_history(ann)
    assert [(e.from_status, e.to_status, e.reason, e.user) for e in events] == [
        ("New", "MQL", "by hand", "tester"),
        ("MQL", "SAL", "", "tester"),
    ]
    assert all(e.at for e in events)
    undone = book.undo()
    assert undone is not None and undone.kind == "status"
    assert book.get_contact(ann).status == "MQL"
    assert [e.to_status for e in book.lifecycle_history(ann)] == ["MQL"]


def test_bulk_move_is_all_or_nothing(
    book: LeadBook, import_rows: ImportRows, people: list[list[str]], ids: Ids
) -> None:
    import_rows(people)
    book.set_status([ids()["Bob"]], "Disqualified")
    with pytest.raises(TransitionRefused, match="from Disqualified to SAL"):
        book.set_status([ids()["Ann"], ids()["Bob"]], "SAL")
    assert book.get_contact(ids()["Ann"]).status == "New"


def test_unknown_status_and_bant_field(book: LeadBook, ann: int) -> None:
    with pytest.raises(InvalidValue, match="unknown status 'Hot'; use one of New, MQL, SAL"):
        book.set_status([ann], "Hot")
    with pytest.raises(InvalidValue, match="unknown BANT field"):
        book.set_status([ann], "SAL", bant={"budgett": "1"})
