"""Redo: re-apply what was undone exactly (real SQLite), and forget it once a new change is made."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from book_rows import import_rows, rec, table_state

from app.book import LeadBook
from app.store.history import RedoRefused
from ui import cli

# Everything a user could see of the contacts; operations and settings hold the undo bookkeeping.
DATA_TABLES = (
    "contacts", "contact_points", "contact_tags", "list_members", "companies", "dedupe_rejections",
)  # fmt: skip


def state(book: LeadBook) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the data tables, plus what the search index finds."""
    return table_state(book, DATA_TABLES)


@pytest.fixture
def people(book: LeadBook) -> tuple[int, int]:
    """Two records of Ana Ruiz from two files (a likely merge), each on a list and tagged."""
    (a,) = import_rows(
        book, "old.csv",
        {"first_name": "Ana", "last_name": "Ruiz", "email": "not-an-email", "job_title": "Analyst",
         "company": "Acme", "tags": "vip"},
        list_name="Fair 2025",
    )  # fmt: skip
    (b,) = import_rows(
        book, "new.csv",
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@globex.com",
         "phone": "+44 7700 900123", "job_title": "Head of Data", "company": "Globex",
         "city": "Leeds", "tags": "cfo-list"},
        list_name="Webinar",
    )  # fmt: skip
    return a, b


OPERATIONS: dict[str, Callable[[LeadBook, int, int], object]] = {
    "edit": lambda book, a, b: book.update_contact(a, {"job_title": "CMO", "city": "Madrid"}),
    "tag": lambda book, a, b: book.add_tag([a, b], "fintech"),
    "untag": lambda book, a, b: book.remove_tag([a], "vip"),
    "status": lambda book, a, b: book.set_status([a, b], "MQL"),
    "list": lambda book, a, b: book.add_to_list([a], "Webinar"),
    "delete": lambda book, a, b: book.delete_contacts([b]),
    "merge": lambda book, a, b: book.merge_contacts(a, [b]),
    "not-duplicate": lambda book, a, b: book.mark_not_duplicate(a, b),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_undo_then_redo_restores_exactly(
    book: LeadBook, people: tuple[int, int], operation: str
) -> None:
    a, b = people
    before = state(book)
    OPERATIONS[operation](book, a, b)
    done = state(book)
    assert done != before
    undone = book.undo()
    assert undone is not None and state(book) == before
    assert book.next_redo() is not None and book.next_redo().label == undone.label  # type: ignore[union-attr]
    redone = book.redo()
    assert redone is not None and (redone.op_id, redone.label) == (undone.op_id, undone.label)
    assert state(book) == done
    assert book.next_redo() is None
    assert book.next_undo() is not None and book.next_undo().id == undone.op_id  # type: ignore[union-attr]
    # The redone operation is an ordinary one again: undo takes it back once more.
    book.undo()
    assert state(book) == before


def test_redo_of_a_merge_makes_it_unmergeable_again(
    book: LeadBook, people: tuple[int, int]
) -> None:
    a, b = people
    book.merge_contacts(a, [b])
    merged = book.get_contact(a)
    book.undo()
    assert book.count() == 2
    book.redo()
    assert book.count() == 1
    assert book.get_contact(a) == merged
    assert book.unmerge(b) == [a, b]
    assert book.count() == 2


def test_unmerge_undo_redo(book: LeadBook, people: tuple[int, int]) -> None:
    a, b = people
    book.merge_contacts(a, [b])
    book.unmerge(b)
    apart = state(book)
    book.undo()  # merged again
    assert book.count() == 1
    result = book.redo()
    assert result is not None and result.label == f"Unmerge #{b} from #{a}"
    assert state(book) == apart
    assert book.count() == 2


def test_redo_goes_forward_in_order_through_several_undos(
    book: LeadBook, people: tuple[int, int]
) -> None:
    a, _b = people
    book.update_contact(a, {"job_title": "CMO"})
    book.add_tag([a], "fintech")
    book.set_status([a], "MQL")
    done = state(book)
    labels = [book.undo().label for _ in range(3)]  # type: ignore[union-attr]
    assert labels == ["Set status MQL on 1 contact(s)", "Tag 1 contact(s) 'fintech'",
                      f"Edit contact #{a}"]  # fmt: skip
    redone = [book.redo().label for _ in range(3)]  # type: ignore[union-attr]
    assert redone == labels[::-1]
    assert book.redo() is None
    assert state(book) == done
    c = book.get_contact(a)
    assert (c.job_title, c.tags, c.status) == ("CMO", ["fintech", "vip"], "MQL")


def test_a_new_change_after_undo_clears_redo(book: LeadBook, people: tuple[int, int]) -> None:
    a, b = people
    book.update_contact(a, {"job_title": "CMO"})
    book.add_tag([b], "fintech")
    book.undo()
    book.undo()
    assert book.next_redo() is not None
    book.update_contact(b, {"city": "York"})  # a new operation: what was undone is gone for good
    assert book.next_redo() is None
    assert book.redo() is None
    assert book.get_contact(a).job_title == "Analyst"
    assert book.get_contact(b).tags == ["cfo-list"]


def test_redo_stack_survives_reopening_the_book(book_path: Path, book: LeadBook) -> None:
    (a,) = import_rows(
        book, "one.csv", {"first_name": "Bo", "last_name": "Lind", "job_title": "CFO"}
    )
    book.update_contact(a, {"job_title": "CEO"})
    book.undo()
    book.close()
    with LeadBook.open(book_path) as again:
        assert again.redo() is not None
        assert again.get_contact(a).job_title == "CEO"
    reopened = LeadBook.open(book_path)  # the fixture closes its own instance at the end
    reopened.close()


def test_redo_of_an_import_is_refused_with_what_to_do(
    book: LeadBook, people: tuple[int, int]
) -> None:
    book.undo()  # the import of new.csv: its rows are deleted
    with pytest.raises(RedoRefused) as refused:
        book.redo()
    assert refused.value.user_message() == (
        "Can't redo an import — import the file again (new.csv)."
    )
    assert book.count() == 1


def test_redo_of_a_hand_entry_is_refused(book: LeadBook) -> None:
    book.add_contact(rec(1, first_name="Zoe", last_name="Quinn", email="zoe@quinn.io"))
    book.undo()
    with pytest.raises(RedoRefused, match=r"Can.t redo adding a contact — add it again\.$"):
        book.redo()
    assert book.count() == 0


def test_redo_refuses_when_the_data_changed_outside_the_history(
    book: LeadBook, people: tuple[int, int]
) -> None:
    a, _b = people
    book.update_contact(a, {"job_title": "CMO"})
    book.undo()
    book.conn.execute("UPDATE contacts SET job_title = 'Intern' WHERE id = ?", (a,))
    with pytest.raises(RedoRefused, match=f"job_title of contact #{a} changed since the undo"):
        book.redo()
    assert book.get_contact(a).job_title == "Intern"  # rolled back: nothing half-applied
    assert book.next_undo() is not None and book.next_undo().kind == "import"  # type: ignore[union-attr]


def test_cli_redo(book_path: Path, book: LeadBook, capsys: pytest.CaptureFixture[str]) -> None:
    (a,) = import_rows(
        book, "one.csv", {"first_name": "Bo", "last_name": "Lind", "job_title": "CFO"}
    )
    book.update_contact(a, {"job_title": "CEO"})
    db = ["--db", str(book_path)]
    assert cli.run(["redo", *db]) == 1
    assert capsys.readouterr().err == "leadsmith: nothing to redo\n"
    assert cli.run(["undo", *db]) == 0
    capsys.readouterr()
    assert cli.run(["redo", *db, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["redone"]["label"] == f"Edit contact #{a}" and out["contacts"] == [a]
    assert book.get_contact(a).job_title == "CEO"
    assert cli.run(["undo", *db]) == 0 and cli.run(["undo", *db]) == 0  # the edit, the import
    capsys.readouterr()
    assert cli.run(["redo", *db]) == 1
    assert capsys.readouterr().err == (
        "leadsmith: Can't redo an import — import the file again (one.csv).\n"
    )
