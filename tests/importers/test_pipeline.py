"""The import pipeline end to end: a real file on disk into a real book."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.book import LeadBook
from app.errors import InvalidFile, JobCancelled
from app.query import ContactFilter
from importers.pipeline import ImportOptions, run_import

GENERIC = (
    "First Name,Last Name,Email,Phone,Mobile,Company,Job Title,Website,LinkedIn,City,Country,Lead Source\n"
    "Carlos,O'Neil,c.oneil@clearflowmedia.com,+1 303-981-5828,+1 917-635-9702,Clearflow Media Inc,"
    "Marketing Manager,https://www.clearflowmedia.com,"
    "https://www.linkedin.com/in/carlos-oneil-3c6ef362/,Austin,United States,Website\n"
)


def test_a_generic_file_with_a_lead_source_column_keeps_every_field(
    book: LeadBook, tmp_path: Path
) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(GENERIC, encoding="utf-8")
    report = run_import(book, path)
    assert report.mapping["Job Title"] == "job_title"
    assert report.mapping["LinkedIn"] == "linkedin_url"
    c = book.contacts()[0]
    assert (c.job_title, c.linkedin_url, c.lead_source, c.country) == (
        "Marketing Manager",
        "https://www.linkedin.com/in/carlos-oneil-3c6ef362",
        "Website",
        "US",
    )
    assert [(p.label, p.value) for p in c.phones] == [
        ("work", "+13039815828"),
        ("mobile", "+19176359702"),
    ]
    assert c.company.domain == "clearflowmedia.com"


def test_a_saved_mapping_is_reused_for_the_same_header(book: LeadBook, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Who,Reach me at,Firm\nAna López,ana@acme.com,Acme\n", encoding="utf-8")
    mapping = {"Who": "full_name", "Reach me at": "email", "Firm": "company"}
    run_import(book, path, ImportOptions(mapping=mapping))
    second = tmp_path / "odd2.csv"
    second.write_text("Who,Reach me at,Firm\nBob Ray,bob@beta.io,Beta\n", encoding="utf-8")
    report = run_import(book, second)
    assert report.mapping == mapping
    bob = book.contacts(ContactFilter(search="bob"))[0]
    assert (bob.first_name, bob.last_name, bob.primary_email, bob.company.name) == (
        "Bob",
        "Ray",
        "bob@beta.io",
        "Beta",
    )


def test_cancel_rolls_back_a_big_file(book: LeadBook, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["First Name,Last Name,Email"] + [f"P{i},L{i},p{i}@c{i}.com" for i in range(6000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    calls: list[tuple[int, int]] = []
    with pytest.raises(JobCancelled):
        run_import(
            book,
            path,
            progress=lambda d, t: calls.append((d, t)),
            cancelled=lambda: len(calls) >= 1,
        )
    assert book.count() == 0
    assert calls and calls[0][1] == path.stat().st_size


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\xff\xfe\x00binary\x00junk" * 50, "")],
)
def test_unreadable_files_are_refused_by_name(
    book: LeadBook, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidFile) as err:
        run_import(book, path)
    assert "contacts.csv" in str(err.value) and message in str(err.value)
    assert book.count() == 0
