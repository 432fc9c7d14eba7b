"""Review: the queue and its filters, accept / reject / skip / edit / note, the progress counter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.audience import Criteria
from app.book import LeadBook
from app.contact import ImportReport
from app.errors import InvalidValue, NotFound
from app.review import ReviewFilter, read_queue

ImportRows = Callable[..., ImportReport]
Ids = Callable[[], dict[str, int]]


@pytest.fixture
def sourced(book: LeadBook, import_rows: ImportRows, people: list[list[str]]) -> LeadBook:
    """Ann and Bob sourced by Sam from LinkedIn; Cara and Dan by Kim from a trade show.

    The "GB" audience fits Ann, Cara and Dan at 100, so their import made them MQL."""
    book.save_audience("GB", Criteria(countries=("GB",)), threshold=100)
    book.set_setting("user", "sam")
    import_rows(people[:2], source_label="LinkedIn", list_name="Q3 fintech")
    book.set_setting("user", "kim")
    import_rows(people[2:], source_label="Trade show Berlin")
    book.set_setting("user", "rita")
    return book


@pytest.mark.parametrize(
    ("f", "names"),
    [
        (ReviewFilter(), ["Ann", "Cara", "Dan", "Bob"]),  # best fit to any audience first
        (ReviewFilter(source="linkedin"), ["Ann", "Bob"]),
        (ReviewFilter(sourcer="kim"), ["Cara", "Dan"]),
        (ReviewFilter(list_name="Q3 fintech"), ["Ann", "Bob"]),
        (ReviewFilter(audience="GB"), ["Ann", "Cara", "Dan"]),
        (ReviewFilter(audience="GB", sourcer="sam"), ["Ann"]),
    ],
)
def test_queue_filters(sourced: LeadBook, ids: Ids, f: ReviewFilter, names: list[str]) -> None:
    by_id = {v: k for k, v in ids().items()}
    session = sourced.review_session(f)
    seen = []
    while (cid := session.current()) is not None:
        seen.append(by_id[cid])
        session.skip()
        if len(seen) > 4:
            break
    # Skipping puts a contact at the back, so the loop comes back to the first one.
    assert seen[: len(names)] == names
    assert sourced.review_progress(f).total == len(names)


def test_accept_reject_skip_note_and_progress(sourced: LeadBook, ids: Ids) -> None:
    people = ids()
    session = sourced.review_session(ReviewFilter(sourcer="kim"))
    assert (session.progress().reviewed, session.progress().total) == (0, 2)
    assert session.skip() == people["Cara"]
    assert session.current() == people["Dan"]
    assert session.note("Spoke at the booth; wants a demo") == people["Dan"]
    assert session.accept() == people["Dan"]
    assert (session.progress().reviewed, session.progress().remaining) == (1, 1)
    assert session.reject("Works for a competitor") == people["Cara"]
    assert session.current() is None
    assert (session.progress().reviewed, session.progress().total) == (2, 2)

    dan, cara = sourced.get_contact(people["Dan"]), sourced.get_contact(people["Cara"])
    assert (dan.status, cara.status) == ("SAL", "Disqualified")
    assert dan.notes.endswith("rita] Spoke at the booth; wants a demo")
    events = sourced.lifecycle_history(people["Cara"])
    assert [(e.from_status, e.to_status, e.reason, e.user) for e in events] == [
        ("New", "MQL", "fit to audience 'GB' reached 100", "kim"),
        ("MQL", "Disqualified", "Works for a competitor", "rita"),
    ]
    with pytest.raises(NotFound, match="nothing left to review"):
        session.accept()


def test_reject_to_recycled_needs_a_reason(sourced: LeadBook, ids: Ids) -> None:
    bob = ids()["Bob"]
    with pytest.raises(InvalidValue, match="give a reason for rejecting the contact"):
        sourced.reject_contact(bob, "  ")
    sourced.reject_contact(bob, "no budget until 2027", recycle=True)
    assert sourced.get_contact(bob).status == "Recycled"
    state = sourced.conn.execute("SELECT review_state FROM contacts WHERE id = ?", (bob,))
    assert state.fetchone()[0] == "rejected"


def test_edit_in_place_and_undo_of_a_review(sourced: LeadBook, ids: Ids) -> None:
    session = sourced.review_session(ReviewFilter(source="LinkedIn"))
    ann = session.edit({"job_title": "Chief Marketing Officer"})
    assert sourced.get_contact(ann).job_title == "Chief Marketing Officer"
    session.accept()
    assert sourced.get_contact(ann).status == "SAL"
    sourced.undo()
    assert sourced.get_contact(ann).status == "MQL"
    assert sourced.review_progress(ReviewFilter(source="LinkedIn")).reviewed == 0
    assert session.current() == ann


def test_accepting_a_lead_past_sal_keeps_its_status(sourced: LeadBook, ids: Ids) -> None:
    ann = ids()["Ann"]
    bant = {"budget": "1", "authority": "2", "need": "3", "timeline": "4"}
    sourced.set_status([ann], "SAL")
    sourced.set_status([ann], "SQL", bant=bant)
    sourced.accept_contact(ann)
    assert sourced.get_contact(ann).status == "SQL"
    assert sourced.review_progress().reviewed == 1


def test_a_pass_reads_its_queue_once_and_takes_back_undone_steps(
    sourced: LeadBook, ids: Ids, book_path: Path, import_rows: ImportRows, people: list[list[str]]
) -> None:
    people_ids = ids()
    ann, bob, cara, dan = (people_ids[n] for n in ("Ann", "Bob", "Cara", "Dan"))
    # The queue is read on another connection, as the desktop's read lane does.
    other = LeadBook.open(book_path, create=False)
    try:
        queue = read_queue(other.conn, ReviewFilter())
    finally:
        other.close()
    assert list(queue.ids) == [ann, cara, dan, bob]
    session = sourced.review_session()
    session.start(queue)
    assert session.accept() == ann
    assert session.skip() == cara
    assert session.current() == dan
    assert (session.progress().reviewed, session.progress().total) == (1, 4)

    sourced.undo()  # the book's undo, as review mode's Ctrl+Z: Ann is offered again, first
    assert session.current() == ann
    assert session.progress().reviewed == 0
    session.skipped.discard(cara)  # the skip taken back: Cara comes before Dan again
    assert session.accept() == ann
    assert session.current() == cara

    sourced.delete_contacts([cara])  # gone since the pass began: not offered
    assert session.current() == dan
    assert session.reject("Works for a competitor") == dan
    assert session.current() == bob
    assert (session.progress().reviewed, session.progress().total) == (2, 4)

    newcomer = ["Eve", "Park", "eve@acmepay.com", "", *people[0][4:]]
    import_rows([newcomer], source_label="Late")  # she joins the next pass, not this one
    assert session.reject("No budget") == bob
    assert session.current() is None
    assert sourced.review_session().current() == ids()["Eve"]
