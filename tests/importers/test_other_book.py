"""Merging another Leadsmith book: one undoable import that keeps who sourced each contact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.errors import BookError, InvalidFile, InvalidValue, JobCancelled
from importers.other_book import merge_book
from importers.pipeline import ImportOptions, run_import

CSV = (
    "First Name,Last Name,Email,Phone,Company,Twitter\n"
    "Ana,López,ana@acme.co.uk,020 7946 0958,Acme Ltd,@ana\n"
    "Bob,Baker,bob@beta.io,not a number,Beta Inc,\n"
    "Carla,Conti,carla@gamma.de,,Gamma GmbH,\n"
    "Dora,Dunn,dora@delta.com,,Delta plc,\n"
)


def make_other(tmp_path: Path) -> Path:
    path = tmp_path / "alice.db"
    src = tmp_path / "prospects.csv"
    src.write_text(CSV, encoding="utf-8")
    with LeadBook.open(path) as other:
        other.default_region = "GB"
        other.set_setting("user", "alice")
        run_import(other, src, ImportOptions(list_name="Fintech UK"))
        dora = other.contacts(limit=10)[3]
        assert dora.first_name == "Dora"
        other.set_do_not_contact([dora.id or 0], "manual")
    return path


@pytest.fixture
def mine(tmp_path: Path) -> Iterator[LeadBook]:
    b = LeadBook.open(tmp_path / "mine.db")
    b.default_region = "GB"
    b.set_setting("user", "bea")
    r = RawRecord(row=0)
    r.add("first_name", "First", "Ana")
    r.add("last_name", "Last", "López")
    r.add("email", "Email", "ana@acme.co.uk")
    b.add_contact(r)
    yield b
    b.close()


def test_merge_book_adds_merges_and_keeps_provenance(tmp_path: Path, mine: LeadBook) -> None:
    other = make_other(tmp_path)
    seen: list[tuple[int, int]] = []
    report = merge_book(mine, other, "Alice's book", progress=lambda d, t: seen.append((d, t)))
    assert (report.rows, report.added, report.merged, report.skipped) == (4, 2, 1, 1)
    assert report.file == "alice.db"
    assert report.skipped_rows == [(4, "do not contact in alice.db")]
    assert seen[-1] == (4, 4)
    people = {c.first_name: c for c in mine.contacts()}
    assert sorted(people) == ["Ana", "Bob", "Carla"]
    bob = people["Bob"]
    assert bob.extra == {
        "Sourced by": "alice",
        "Source file": "prospects.csv",
        "Source row": "2",
    }
    assert [(s.file, s.row, s.source_label, s.user) for s in bob.sources] == [
        ("alice.db", 2, "Alice's book", "bea")
    ]
    assert [(p.raw, p.value, p.status) for p in bob.phones] == [("not a number", None, "invalid")]
    assert bob.lists == ["Fintech UK"]
    assert bob.company.name == "Beta Inc"
    ana = people["Ana"]
    assert ana.extra == {
        "Twitter": "@ana",
        "Sourced by": "alice",
        "Source file": "prospects.csv",
        "Source row": "1",
    }
    assert [(p.raw, p.value) for p in ana.phones] == [("020 7946 0958", "+442079460958")]
    assert [s.file for s in ana.sources] == ["(hand entry)", "alice.db"]


def test_merge_book_is_one_undoable_import(tmp_path: Path, mine: LeadBook) -> None:
    other = make_other(tmp_path)
    merge_book(mine, other)
    assert mine.count() == 3
    undone = mine.undo()
    assert undone is not None and undone.kind == "import"
    people = {c.first_name: c for c in mine.contacts()}
    assert sorted(people) == ["Ana"]
    assert people["Ana"].extra == {}
    assert people["Ana"].phones == []
    assert mine.lists() == [("Fintech UK", 0)]


def test_skip_policy_leaves_existing_contacts_alone(tmp_path: Path, mine: LeadBook) -> None:
    other = make_other(tmp_path)
    report = merge_book(mine, other, on_duplicate="skip")
    assert (report.added, report.merged, report.skipped) == (2, 0, 2)
    assert (1, "duplicate of contact #1") in report.skipped_rows


def test_cancel_rolls_back_everything(tmp_path: Path, mine: LeadBook) -> None:
    other = make_other(tmp_path)
    with pytest.raises(JobCancelled):
        merge_book(mine, other, cancelled=lambda: True)
    assert mine.count() == 1
    assert mine.lists() == []


def test_the_other_book_is_left_as_it_was(tmp_path: Path, mine: LeadBook) -> None:
    other = make_other(tmp_path)
    merge_book(mine, other)
    with LeadBook.open(other, create=False) as again:
        assert again.count() == 4
        assert len(again.history()) == 2  # its import and the do-not-contact flag, nothing more


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("missing.db", None, InvalidFile),
        ("notes.db", b"just some text, not a database", BookError),
    ],
)
def test_a_file_that_is_not_a_book_is_refused(
    tmp_path: Path, mine: LeadBook, name: str, content: bytes | None, error: type[Exception]
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error):
        merge_book(mine, path)
    assert mine.count() == 1


def test_a_book_cannot_be_merged_into_itself(mine: LeadBook) -> None:
    with pytest.raises(InvalidValue, match="is this book"):
        merge_book(mine, mine.path)
