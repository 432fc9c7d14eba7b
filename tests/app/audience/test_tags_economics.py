"""Tags and lists (undoable), smart lists, and list economics with exact numbers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.book import LeadBook
from app.contact import ImportReport
from app.economics import Economics
from app.errors import InvalidValue, NotFound
from app.query import ContactFilter

ImportRows = Callable[..., ImportReport]
Ids = Callable[[], dict[str, int]]


@pytest.fixture
def four(
    book: LeadBook, import_rows: ImportRows, people: list[list[str]], ids: Ids
) -> dict[str, int]:
    """The four prospects, by first name."""
    import_rows(people)
    return ids()


def test_tag_add_remove_and_undo(book: LeadBook, four: dict[str, int]) -> None:
    ann, bob = four["Ann"], four["Bob"]
    assert book.add_tag([ann, bob], "hot") == 2
    assert book.add_tag([ann], "hot") == 0  # already tagged: no change, no history entry
    assert book.get_contact(ann).tags == ["hot"]
    assert book.remove_tag([ann], "hot") == 1
    assert book.get_contact(ann).tags == []
    book.undo()  # the removal
    assert book.get_contact(ann).tags == ["hot"]
    book.undo()  # the tagging
    assert book.count(ContactFilter(tag="hot")) == 0
    with pytest.raises(NotFound, match="no tag called 'cold'"):
        book.remove_tag([ann], "cold")
    with pytest.raises(NotFound, match="no contact with id 999"):
        book.add_tag([999], "hot")


def test_lists_membership_undo_and_smart_lists(book: LeadBook, four: dict[str, int]) -> None:
    book.create_list("Q3 fintech", cost=120.0)
    with pytest.raises(InvalidValue, match="a list called 'Q3 fintech' already exists"):
        book.create_list("q3 FINTECH")
    assert book.add_to_list([four["Ann"], four["Dan"]], "Q3 fintech") == 2
    assert book.lists() == [("Q3 fintech", 2)]
    book.undo()
    assert book.lists() == [("Q3 fintech", 0)]
    book.save_smart_list("GB MQLs", ContactFilter(status="MQL", search="acme"))
    assert book.smart_list("gb mqls") == ContactFilter(status="MQL", search="acme")
    assert [name for name, _f in book.smart_lists()] == ["GB MQLs"]
    with pytest.raises(InvalidValue, match="a cost must be zero or more, got -5"):
        book.set_list_cost("Q3 fintech", -5)


def test_list_economics_exact(book: LeadBook, four: dict[str, int]) -> None:
    book.create_list("Q3 fintech")
    book.add_to_list(list(four.values()), "Q3 fintech")
    book.set_list_cost("Q3 fintech", 100.0)
    bant = {"budget": "b", "authority": "a", "need": "n", "timeline": "t"}
    book.set_status([four["Ann"], four["Dan"]], "SAL")
    book.set_status([four["Ann"]], "SQL", bant=bant)
    book.set_status([four["Cara"]], "Disqualified")
    book.update_contact(four["Bob"], {"lead_source": "Purchased List"})
    e = book.economics("Q3 fintech")
    assert isinstance(e, Economics)
    assert e.as_json() == {
        "scope": "list",
        "name": "Q3 fintech",
        "cost": 100.0,
        "leads": 4,
        "valid_email_leads": 4,
        "sal": 2,
        "sql": 1,
        "cost_per_lead": 25.0,
        "cost_per_valid_email_lead": 25.0,
        "cost_per_sal": 50.0,
        "cost_per_sql": 100.0,
        "by_status": {"New": 1, "SAL": 1, "SQL": 1, "Disqualified": 1},
        "by_source": {"(unknown)": 3, "Purchased List": 1},
    }


def test_import_economics_and_book_total(
    book: LeadBook, import_rows: ImportRows, people: list[list[str]]
) -> None:
    first = import_rows(people[:3], source_label="Apollo export")
    import_rows([["Zoe", "Kay", "zoe@@bad", "", "", "", "", "", ""]], source_label="Trade show")
    book.set_import_cost(int(first.import_id or 0), 30.0)
    e = book.economics(import_id=first.import_id)
    assert isinstance(e, Economics)
    assert (e.leads, e.valid_email_leads, e.cost_per_lead, e.cost_per_sal) == (3, 3, 10.0, None)
    assert e.by_source == {"Apollo export": 3}
    whole = book.economics()
    assert isinstance(whole, dict)
    total = whole["total"]
    assert isinstance(total, dict)
    assert (total["leads"], total["valid_email_leads"], total["cost"]) == (4, 3, 30.0)
    assert (total["cost_per_lead"], total["cost_per_valid_email_lead"]) == (7.5, 10.0)
    assert total["by_source"] == {"Apollo export": 3, "Trade show": 1}
    with pytest.raises(NotFound, match="no import with id 99"):
        book.set_import_cost(99, 1.0)


def test_economics_leave_out_deleted_and_merged_and_order_sources(
    book: LeadBook, four: dict[str, int]
) -> None:
    book.create_list("All four")
    book.add_to_list(list(four.values()), "All four")
    for name, source in (("Ann", "Webinar"), ("Bob", "Referral"), ("Cara", "Webinar")):
        book.update_contact(four[name], {"lead_source": source})
    book.set_status([four["Ann"], four["Dan"]], "SAL")
    before = book.economics("All four")
    assert isinstance(before, Economics)
    assert before.by_source == {"Webinar": 2, "Referral": 1, "(unknown)": 1}
    book.delete_contacts([four["Cara"]])
    book.merge_contacts(four["Bob"], [four["Dan"]])  # Dan is no longer a live contact
    after = book.economics("All four")
    assert isinstance(after, Economics)
    assert (after.leads, after.sal) == (2, 2)  # Bob took Dan's further status, SAL
    assert after.by_status == {"SAL": 2}
    # A tie is broken by the text, as SQL's ORDER BY count(*) DESC, source did.
    assert list(after.by_source.items()) == [("Referral", 1), ("Webinar", 1)]
    total = book.economics()
    assert isinstance(total, dict)
    assert total["total"]["leads"] == 2  # type: ignore[index]
