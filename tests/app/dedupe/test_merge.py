"""Merging: survivorship, per-field choices, guards, exact unmerge, undo, the CLI's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.book import LeadBook
from app.dedupe import MergeRefused, UnmergeRefused
from tests.app.book_rows import import_rows, rec  # the book tests' shared helpers
from ui import cli


def two_people(book: LeadBook) -> tuple[int, int]:
    (a,) = import_rows(
        book,
        "old.csv",
        {"first_name": "Ana", "last_name": "Ruiz", "email": "not-an-email", "job_title": "Analyst",
         "company": "Acme", "tags": "vip"},
        list_name="Fair 2025",
    )  # fmt: skip
    (b,) = import_rows(
        book,
        "new.csv",
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@globex.com", "phone": "+44 7700 900123",
         "job_title": "Head of Data", "company": "Globex", "city": "Leeds", "tags": "cfo-list"},
        list_name="Webinar",
    )  # fmt: skip
    return a, b


def test_survivorship(book: LeadBook) -> None:
    a, b = two_people(book)
    book.merge_contacts(a, [b])
    c = book.get_contact(a)
    assert (c.job_title, c.company.name) == ("Head of Data", "Globex")  # most recent source wins
    assert c.city == "Leeds"  # non-empty beats empty
    assert [(p.raw, p.is_primary) for p in c.emails] == [
        ("ana@globex.com", True),
        ("not-an-email", False),
    ]
    assert [p.value for p in c.phones] == ["+447700900123"]
    assert c.tags == ["cfo-list", "vip"]
    assert c.lists == ["Fair 2025", "Webinar"]
    merged = book.conn.execute("SELECT merged_into FROM contacts WHERE id = ?", (b,)).fetchone()[0]
    assert merged == a
    assert book.count() == 1
    # every source link is kept (on the merged contact, reachable through merged_into)
    files = book.conn.execute(
        "SELECT count(*) FROM contact_sources WHERE contact_id IN (?, ?)", (a, b)
    ).fetchone()[0]
    assert files == 2


def test_per_field_choice(book: LeadBook) -> None:
    a, b = two_people(book)
    book.merge_contacts(a, [b], choices={"job_title": a, "company": a})
    c = book.get_contact(a)
    assert (c.job_title, c.company.name) == ("Analyst", "Acme")


def test_unknown_choice_is_refused(book: LeadBook) -> None:
    a, b = two_people(book)
    with pytest.raises(Exception, match="cannot choose a value for 'shoe_size'"):
        book.merge_contacts(a, [b], choices={"shoe_size": b})


def test_unmerge_restores_both_exactly(book: LeadBook) -> None:
    a, b = two_people(book)
    before = (book.get_contact(a), book.get_contact(b))
    book.merge_contacts(a, [b])
    assert book.unmerge(b) == [a, b]
    assert (book.get_contact(a), book.get_contact(b)) == before
    assert book.count() == 2


def test_unmerge_of_an_older_merge_and_refusal_after_a_conflicting_edit(book: LeadBook) -> None:
    a, b = two_people(book)
    book.merge_contacts(a, [b])
    book.update_contact(a, {"notes": "called on Monday"})  # a column the merge did not touch
    assert book.unmerge(a) == [a, b]
    assert book.get_contact(a).notes == "called on Monday"
    book.merge_contacts(a, [b])
    book.update_contact(a, {"job_title": "CDO"})  # the merge set job_title: reverting would lose it
    with pytest.raises(UnmergeRefused, match="Edit contact"):
        book.unmerge(b)


def test_undo_reverts_a_merge(book: LeadBook) -> None:
    a, b = two_people(book)
    before = (book.get_contact(a), book.get_contact(b))
    book.merge_contacts(a, [b])
    result = book.undo()
    assert result is not None and result.kind == "merge"
    assert (book.get_contact(a), book.get_contact(b)) == before
    with pytest.raises(UnmergeRefused):
        book.unmerge(b)


def test_undo_of_an_unmerge_merges_again(book: LeadBook) -> None:
    a, b = two_people(book)
    book.merge_contacts(a, [b])
    merged = book.get_contact(a)
    book.unmerge(b)
    book.undo()
    assert book.get_contact(a) == merged
    assert book.unmerge(b) == [a, b]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"do_not_contact": 1}, "do-not-contact"),
        ({"legal_basis": "consent"}, "different legal bases"),
    ],
)
def test_guards_need_confirmation(book: LeadBook, changes: dict[str, object], message: str) -> None:
    a, b = two_people(book)
    book.update_contact(a, {"legal_basis": "legitimate interest"})
    book.update_contact(b, changes)
    with pytest.raises(MergeRefused, match=message):
        book.merge_contacts(a, [b])
    assert book.count() == 2
    book.merge_contacts(a, [b], confirm=True)
    assert book.count() == 1
    if "do_not_contact" in changes:
        assert book.get_contact(a).do_not_contact is True  # a merge never loses the flag


def test_apply_leaves_guarded_groups_for_review(book: LeadBook) -> None:
    ids = import_rows(
        book,
        "a.csv",
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
        {"first_name": "Bo", "last_name": "Chan", "email": "bo@acme.com"},
        {"first_name": "Bo", "last_name": "Chan", "email": "bo@acme.com"},
    )
    book.update_contact(ids[3], {"do_not_contact": 1})
    outcome = book.apply_duplicates()
    assert [g.ids for g in outcome.merged] == [(ids[0], ids[1])]
    assert [g.ids for g, _ in outcome.refused] == [(ids[2], ids[3])]
    assert book.count() == 3


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("ui.cli.EXTENSIONS", ("ui.cli_dedupe",))
    code = cli.run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_dedupe_merge_unmerge_json(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with LeadBook.open(book_path) as book:
        a, b = import_rows(
            book,
            "a.csv",
            {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
            {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
        )
    db = ["--db", str(book_path), "--json"]
    code, out, _ = run_cli(monkeypatch, capsys, "dedupe", *db)
    assert code == 0
    assert json.loads(out) == {
        "groups": [{"ids": [a, b], "score": 100, "reasons": ["same email"], "certain": True}]
    }
    code, out, _ = run_cli(monkeypatch, capsys, "merge", str(a), str(b), *db)
    assert json.loads(out)["survivor"] == a
    code, out, _ = run_cli(monkeypatch, capsys, "unmerge", str(b), *db)
    assert json.loads(out) == {"survivor": a, "restored": [b]}
    code, out, _ = run_cli(monkeypatch, capsys, "dedupe", "--not-duplicate", str(a), str(b), *db)
    assert json.loads(out) == {"not_duplicate": [a, b], "pairs": 1}
    code, out, _ = run_cli(monkeypatch, capsys, "dedupe", *db)
    assert json.loads(out) == {"groups": []}


def test_cli_apply_and_errors(
    book_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with LeadBook.open(book_path) as book:
        a, b = import_rows(
            book,
            "a.csv",
            {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
            {"first_name": "Ana", "last_name": "Ruiz", "email": "ana@acme.com"},
        )
    code, out, _ = run_cli(monkeypatch, capsys, "dedupe", "--apply", "--db", str(book_path))
    assert code == 0
    assert out.splitlines() == [
        f"merged #{b} into #{a} (score 100: same email)",
        "1 group(s) merged; 0 left for review.",
    ]
    code, _, err = run_cli(monkeypatch, capsys, "merge", str(a), "--db", str(book_path))
    assert code == 1
    assert (
        err.strip() == "leadsmith: give at least two different contact ids; the first one survives"
    )
    code, _, err = run_cli(
        monkeypatch, capsys, "dedupe", "--min-score", "150", "--db", str(book_path)
    )
    assert (code, err.strip()) == (1, "leadsmith: --min-score must be between 0 and 100, got 150")


def test_not_a_duplicate_is_undone_by_undo(book: LeadBook) -> None:
    a = (
        book.add_contact(rec(first_name="Robert", last_name="Smith", company="Acme Inc")).contact_id
        or 0
    )
    b = book.add_contact(rec(first_name="Bob", last_name="Smith", company="ACME")).contact_id or 0
    book.mark_not_duplicate(a, b)
    assert not any({a, b} <= set(g.ids) for g in book.find_duplicates(min_score=0))
    undone = book.undo()
    assert undone is not None and undone.kind == "not-duplicate"
    assert any({a, b} <= set(g.ids) for g in book.find_duplicates(min_score=0))
