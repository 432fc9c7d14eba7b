"""Bulk tag, list and status changes report progress and can be cancelled: a cancel leaves the
book exactly as it was (no link, no status, no undo entry)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.errors import JobCancelled
from app.ingest import ImportMeta

N = 2_500  # three progress reports of 1,000


@pytest.fixture
def many(book: LeadBook) -> list[int]:
    records = []
    for i in range(N):
        rec = RawRecord(row=i + 1)
        rec.add("first_name", "First", f"Ann{i}")
        rec.add("last_name", "Last", "Smith")
        rec.add("email", "Email", f"ann{i}@example.com")
        records.append(rec)
    book.import_records(records, ImportMeta(file_name="many.csv"))
    book.create_list("Q3")
    return list(book.snapshot())


def _state(book: LeadBook) -> tuple[object, ...]:
    conn = book.conn
    return (
        conn.execute("SELECT count(*) FROM contact_tags").fetchone()[0],
        conn.execute("SELECT count(*) FROM list_members").fetchone()[0],
        conn.execute("SELECT status, count(*) FROM contacts GROUP BY status").fetchall(),
        conn.execute("SELECT count(*) FROM operations").fetchone()[0],
    )


OPERATIONS: dict[str, Callable[..., int]] = {
    "tag": lambda book, ids, **kw: book.add_tag(ids, "vip", **kw),
    "untag": lambda book, ids, **kw: book.remove_tag(ids, "vip", **kw),
    "list": lambda book, ids, **kw: book.add_to_list(ids, "Q3", **kw),
    "unlist": lambda book, ids, **kw: book.remove_from_list(ids, "Q3", **kw),
    "status": lambda book, ids, **kw: book.set_status(ids, "MQL", **kw),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_progress_is_reported_per_thousand(book: LeadBook, many: list[int], name: str) -> None:
    book.add_tag(many[::2], "vip")
    book.add_to_list(many[::2], "Q3")
    seen: list[tuple[int, int]] = []
    changed = OPERATIONS[name](book, many, progress=lambda d, t: seen.append((d, t)))
    assert changed == (
        N // 2 if name in ("untag", "unlist") else N - N // 2 if name != "status" else N
    )
    if name == "status":  # the check, then the writes
        assert seen == [(1000, 5000), (2000, 5000), (2500, 5000),
                        (3500, 5000), (4500, 5000), (5000, 5000)]  # fmt: skip
    else:
        assert seen == [(1000, N), (2000, N), (N, N)]


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_a_cancel_changes_nothing(book: LeadBook, many: list[int], name: str) -> None:
    book.add_tag(many[::2], "vip")
    book.add_to_list(many[::2], "Q3")
    before = _state(book)
    reports: list[int] = []
    stop_after = 5 if name == "status" else 2  # 2,000 contacts changed (status: checked first)
    with pytest.raises(JobCancelled):
        OPERATIONS[name](
            book,
            many,
            progress=lambda d, t: reports.append(d),
            cancelled=lambda: len(reports) >= stop_after,
        )
    assert len(reports) == stop_after and reports[-1] == 2000 + (N if name == "status" else 0)
    assert _state(book) == before
