"""The lead book end to end: add, exact duplicates, import atomicity, undo, provenance, search."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from book_rows import rec

from app.book import LeadBook
from app.errors import BookError, InvalidValue, JobCancelled, NotFound
from app.ingest import ImportMeta
from app.query import ContactFilter


def meta(name: str = "people.csv", **kw: object) -> ImportMeta:
    return ImportMeta(file_name=name, headers=["first_name", "last_name", "email"], **kw)  # type: ignore[arg-type]


def test_book_file_is_private_and_marked(book_path: Path) -> None:
    LeadBook.open(book_path).close()
    assert stat.S_IMODE(os.stat(book_path).st_mode) == 0o600
    with LeadBook.open(book_path) as again:
        assert again.count() == 0


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(BookError, match="not a Leadsmith book"):
        LeadBook.open(other)


def test_add_contact_normalizes_and_keeps_raw(book: LeadBook) -> None:
    result = book.add_contact(
        rec(
            first_name="Ana María",
            last_name="López",
            email=" Ana.Lopez@Example.COM ",
            phone="020 7946 0958",
            company="Acme Ltd",
            job_title="CMO",
        )
    )
    assert result.action == "added"
    c = book.get_contact(result.contact_id or 0)
    assert (c.first_name, c.last_name, c.job_title, c.company.name) == (
        "Ana María",
        "López",
        "CMO",
        "Acme Ltd",
    )
    assert [(p.value, p.status) for p in c.emails] == [("ana.lopez@example.com", "valid")]
    assert [p.value for p in c.phones] == ["+442079460958"]
    assert c.sources[0].file == "(hand entry)"


def test_same_email_merges_and_keeps_every_point(book: LeadBook) -> None:
    first = book.add_contact(rec(first_name="Ana", last_name="López", email="ana@acme.com"))
    second = book.add_contact(
        rec(
            first_name="Ana",
            last_name="López",
            email="ANA@acme.com",
            phone="+44 7700 900123",
            job_title="Chief Marketing Officer",
        )
    )
    assert second.action == "merged"
    assert second.contact_id == first.contact_id
    assert book.count() == 1
    c = book.get_contact(first.contact_id or 0)
    assert [p.value for p in c.emails] == ["ana@acme.com"]
    assert [p.value for p in c.phones] == ["+447700900123"]
    assert c.job_title == "Chief Marketing Officer"
    assert len(c.sources) == 2


def test_same_linkedin_merges(book: LeadBook) -> None:
    book.add_contact(
        rec(first_name="Jo", last_name="Bloggs", linkedin_url="linkedin.com/in/jo-bloggs/")
    )
    again = book.add_contact(
        rec(
            first_name="Jo",
            last_name="Bloggs",
            linkedin_url="https://uk.linkedin.com/in/Jo-Bloggs?trk=x",
        )
    )
    assert again.action == "merged"
    assert book.count() == 1


def test_role_address_is_not_a_duplicate_key(book: LeadBook) -> None:
    book.add_contact(rec(first_name="Ann", last_name="Lee", email="info@acme.com"))
    other = book.add_contact(rec(first_name="Bob", last_name="Ray", email="info@acme.com"))
    assert other.action == "added"
    assert book.count() == 2


@pytest.mark.parametrize(
    ("policy", "count", "action"),
    [("merge", 1, "merged"), ("skip", 1, "skipped"), ("keep", 2, "added")],
)
def test_on_duplicate_policies(book: LeadBook, policy: str, count: int, action: str) -> None:
    book.add_contact(rec(first_name="Ana", email="ana@acme.com"))
    result = book.add_contact(rec(first_name="Ana", email="ana@acme.com"), on_duplicate=policy)
    assert result.action == action
    assert book.count() == count


def test_invalid_values_are_kept_with_reason(book: LeadBook) -> None:
    result = book.add_contact(rec(first_name="Zoë", email="zoe@", phone="12"))
    c = book.get_contact(result.contact_id or 0)
    assert (
        c.emails[0].raw == "zoe@" and c.emails[0].value is None and c.emails[0].status == "invalid"
    )
    assert c.emails[0].reason
    assert c.phones[0].raw == "12" and c.phones[0].status == "invalid"
    assert result.report.invalid == 1
    assert {i.column for i in result.report.issues} >= {"Email", "Phone"}


def test_import_within_file_duplicates_and_report(book: LeadBook) -> None:
    rows = [
        rec(1, first_name="Ana", last_name="López", email="ana@acme.com"),
        rec(2, first_name="Bob", last_name="Ray", email="bob@beta.io"),
        rec(3, first_name="Ana", last_name="Lopez", email="Ana@Acme.com", phone="+34 612 345 678"),
        rec(4),
    ]
    report = book.import_records(rows, meta())
    assert (report.rows, report.added, report.merged, report.skipped) == (4, 2, 1, 1)
    ana = book.contacts(ContactFilter(search="ana"))[0]
    assert [s.row for s in ana.sources] == [1, 3]
    assert [p.value for p in ana.phones] == ["+34612345678"]


def test_reimporting_the_same_rows_adds_nothing(book: LeadBook) -> None:
    rows = [rec(i, first_name=f"P{i}", email=f"p{i}@corp{i}.com") for i in range(1, 51)]
    first = book.import_records(rows, meta(), chunk=7)
    second = book.import_records(rows, meta(), chunk=7)
    assert (first.added, second.added, second.merged) == (50, 0, 50)
    assert book.count() == 50


def test_cancelled_import_leaves_the_book_unchanged(book: LeadBook) -> None:
    book.add_contact(rec(first_name="Keep", email="keep@me.com"))
    before = book.count()
    rows = [rec(i, first_name=f"P{i}", email=f"p{i}@x{i}.com") for i in range(1, 5001)]
    seen: list[int] = []
    with pytest.raises(JobCancelled):
        book.import_records(
            rows,
            meta(),
            progress=lambda d, t: seen.append(d),
            cancelled=lambda: len(seen) >= 2,
            chunk=1000,
        )
    assert book.count() == before
    assert (
        book.conn.execute("SELECT count(*) FROM imports WHERE format != 'manual'").fetchone()[0]
        == 0
    )


def test_dry_run_counts_without_writing(book: LeadBook) -> None:
    book.add_contact(rec(first_name="Ana", email="ana@acme.com"))
    report = book.import_records(
        [
            rec(1, first_name="Ana", email="ana@acme.com"),
            rec(2, first_name="New", email="new@x.com"),
        ],
        meta(dry_run=True),
    )
    assert (report.added, report.merged, report.import_id) == (1, 1, None)
    assert book.count() == 1


def test_undo_import_restores_merged_contacts_exactly(book: LeadBook) -> None:
    added = book.add_contact(rec(first_name="Ana", last_name="López", email="ana@acme.com"))
    before = book.get_contact(added.contact_id or 0)
    book.import_records(
        [
            rec(
                1,
                first_name="Ana",
                last_name="López",
                email="ana@acme.com",
                job_title="CMO",
                phone="+44 7700 900123",
                city="London",
            ),
            rec(2, first_name="Bob", email="bob@b.com"),
        ],
        meta(list_name="Fintech CMOs"),
    )
    assert book.count() == 2
    undone = book.undo()
    assert undone is not None and undone.kind == "import"
    assert book.count() == 1
    after = book.get_contact(added.contact_id or 0)
    assert (after.job_title, after.city, after.points, after.lists) == (
        before.job_title,
        before.city,
        before.points,
        [],
    )
    assert [s.row for s in after.sources] == [None]
    assert book.contacts(ContactFilter(search="bob")) == []


def test_undo_edit_and_delete(book: LeadBook) -> None:
    cid = book.add_contact(rec(first_name="Ana", email="ana@acme.com")).contact_id or 0
    book.update_contact(cid, {"job_title": "VP Sales", "status": "MQL"})
    assert book.get_contact(cid).status == "MQL"
    book.delete_contacts([cid])
    assert book.count() == 0
    book.undo()
    assert book.count() == 1
    book.undo()
    assert book.get_contact(cid).status == "New"
    assert book.contacts(ContactFilter(search="ana"))[0].id == cid


def test_update_rejects_unknown_columns_and_statuses(book: LeadBook) -> None:
    cid = book.add_contact(rec(first_name="Ana")).contact_id or 0
    with pytest.raises(InvalidValue):
        book.update_contact(cid, {"id; DROP TABLE contacts": 1})
    with pytest.raises(InvalidValue, match="unknown status"):
        book.update_contact(cid, {"status": "Hot"})
    with pytest.raises(NotFound):
        book.get_contact(999)


def test_search_is_prefix_and_accent_insensitive(book: LeadBook) -> None:
    book.add_contact(
        rec(
            first_name="Jürgen", last_name="Müller", company="Nordwind GmbH", email="jm@nordwind.de"
        )
    )
    book.add_contact(rec(first_name="Ana", last_name="Gómez", job_title="Chief Marketing Officer"))
    assert [c.last_name for c in book.contacts(ContactFilter(search="mul"))] == ["Müller"]
    assert [c.last_name for c in book.contacts(ContactFilter(search="gomez"))] == ["Gómez"]
    assert [c.last_name for c in book.contacts(ContactFilter(search="chief mark"))] == ["Gómez"]
    assert [c.last_name for c in book.contacts(ContactFilter(search="nordw"))] == ["Müller"]


def test_snapshot_sorting_and_rows(book: LeadBook) -> None:
    for first, last in [("Cy", "Zed"), ("Al", "Adams"), ("Bo", "Moss")]:
        book.add_contact(rec(first_name=first, last_name=last, email=f"{first.lower()}@x.org"))
    ids = book.snapshot(ContactFilter(sort="name"))
    rows = book.rows(list(ids))
    assert [rows[i].name for i in ids] == ["Al Adams", "Bo Moss", "Cy Zed"]
    desc = book.snapshot(ContactFilter(sort="name", descending=True))
    assert list(desc) == list(reversed(ids))
    assert rows[ids[0]].email == "al@x.org" and rows[ids[0]].email_status == "valid"


def test_snapshot_sorts_by_city_ignoring_case_with_blanks_first(book: LeadBook) -> None:
    for first, city in [("Cy", "zürich"), ("Al", "Berlin"), ("Bo", ""), ("Di", "amsterdam")]:
        book.add_contact(rec(first_name=first, city=city, email=f"{first.lower()}@x.org"))
    ids = book.snapshot(ContactFilter(sort="city"))
    rows = book.rows(list(ids))
    assert [rows[i].city for i in ids] == ["", "amsterdam", "Berlin", "zürich"]


def test_region_setting_is_validated(book: LeadBook) -> None:
    with pytest.raises(InvalidValue):
        book.default_region = "Britain"
    book.default_region = "de"
    assert book.default_region == "DE"


def test_a_status_edit_goes_through_the_lead_cycle(book: LeadBook) -> None:
    cid = book.add_contact(rec(first_name="Ana", email="ana@acme.com")).contact_id or 0
    with pytest.raises(InvalidValue, match="from New to SQL"):
        book.update_contact(cid, {"status": "SQL"})
    book.update_contact(cid, {"status": "SAL"})
    with pytest.raises(InvalidValue, match="BANT is incomplete"):
        book.update_contact(cid, {"status": "SQL", "budget": "50k approved"})
    bant = {"budget": "50k", "authority": "CMO signs", "need": "list hygiene", "timeline": "Q1"}
    assert book.update_contact(cid, {**bant, "status": "SQL"}).status == "SQL"


def test_sources_of_merged_contacts_show_on_the_survivor(book: LeadBook) -> None:
    a = (
        book.add_contact(rec(first_name="Ana", last_name="López", email="ana@acme.com")).contact_id
        or 0
    )
    b = (
        book.add_contact(
            rec(first_name="Ana", last_name="Lopez", email="ana.lopez@gmail.com")
        ).contact_id
        or 0
    )
    book.merge_contacts(a, [b])
    assert len(book.get_contact(a).sources) == 2
    book.unmerge(b)
    assert len(book.get_contact(a).sources) == 1


def test_homonyms_at_one_company_are_not_merged_on_import(book: LeadBook) -> None:
    book.add_contact(
        rec(first_name="Andrew", last_name="Jackson", company="Acme Ltd", email="ajackson@acme.com")
    )
    other = book.add_contact(
        rec(first_name="Andrew", last_name="Jackson", company="Acme", email="ajackson2@")
    )
    assert other.action == "added"
    again = book.add_contact(
        rec(first_name="Andrew", last_name="Jackson", company="Acme", email="ajackson2@")
    )
    assert (again.action, again.contact_id) == ("merged", other.contact_id)
    bare = book.add_contact(rec(first_name="Cy", last_name="Zed", company="Gamma"))
    assert (
        book.add_contact(rec(first_name="Cy", last_name="Zed", company="Gamma Inc")).contact_id
        == bare.contact_id
    )
