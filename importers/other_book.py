"""Merge another Leadsmith book into this one, as one import that keeps who sourced what.

Each live contact of the other book becomes a RawRecord holding the values as they were first
given (raw emails, phones and URLs), cleaned with the other book's default region, then matched
and added/merged/skipped by the normal import session: one atomic, undoable import. Its row number
is the contact's id in the other book, so a reported issue names the contact to look at.

Provenance travels in `extra`: "Sourced by" (who first imported the contact there), "Source file"
(the file it came from) and "Source row". A value already present (a contact the other book itself
merged in from a third one) is kept: the earliest provenance wins. The other book's lists are
re-created here; its do-not-contact people are never copied (reported as skipped rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from app.book import LeadBook
from app.clean.record import CleanResult, clean_record
from app.contact import Contact, ImportReport, RawRecord
from app.errors import InvalidFile, InvalidValue
from app.fields import CONTACT_COLUMNS
from app.ingest import ImportMeta
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.query import ContactFilter
from importers.pipeline import file_sha256
from importers.roundtrip import ListLinker

CHUNK = 500
LAYOUT = "leadsmith_book"
SOURCED_BY, SOURCE_FILE, SOURCE_ROW = "Sourced by", "Source file", "Source row"
_PHONE_FIELDS = {"work": "phone", "mobile": "mobile_phone", "home": "home_phone"}
_TEXT_FIELDS = CONTACT_COLUMNS  # every text column of a contact, from the catalog


def contact_record(contact: Contact) -> RawRecord:
    """A contact of another book as a RawRecord: raw point values, company facts, lists in raw."""
    rec = RawRecord(row=contact.id or 0)
    for name in _TEXT_FIELDS:
        rec.add(name, name, getattr(contact, name))
    co = contact.company
    rec.add("company", "company", co.name)
    rec.add("website", "website", co.website)
    rec.add("industry", "industry", co.industry)
    rec.add("company_phone", "company_phone", co.phone)
    for p in contact.points:
        if p.kind == "email":
            rec.add("email", "email", p.raw)
        elif p.kind == "phone":
            target = _PHONE_FIELDS.get(p.label, "phone")
            rec.add(target, target, p.raw)
        elif p.kind == "url" and p.label == "linkedin":
            rec.add("linkedin_url", "linkedin_url", p.raw)
    rec.extra = dict(contact.extra)
    rec.raw = {name: cells[0].value for name, cells in rec.cells.items() if cells}
    rec.raw["Lists"] = "; ".join(contact.lists)
    return rec


def with_provenance(contact: Contact, extra: dict[str, str]) -> dict[str, str]:
    """The contact's extra plus who sourced it from which file and row (existing values kept)."""
    out = dict(extra)
    first = contact.sources[0] if contact.sources else None
    if first is not None:
        out.setdefault(SOURCED_BY, first.user)
        out.setdefault(SOURCE_FILE, first.file)
        out.setdefault(SOURCE_ROW, "" if first.row is None else str(first.row))
    return {k: v for k, v in out.items() if v}


def clean_contact(contact: Contact, region: str) -> tuple[RawRecord, CleanResult]:
    """Clean one contact of the other book, keeping its already-clean company facts and tags."""
    rec = contact_record(contact)
    result = clean_record(rec, region)
    cleaned = result.contact
    co = contact.company
    # Numbers and the domain were validated there; re-reading them as text could only lose them.
    cleaned.company.domain = co.domain
    cleaned.company.employees = co.employees
    cleaned.company.annual_revenue = co.annual_revenue
    cleaned.company.country = co.country
    cleaned.tags = list(contact.tags)
    cleaned.extra = with_provenance(contact, cleaned.extra)
    return rec, result


def merge_book(
    book: LeadBook,
    other_path: Path | str,
    source_label: str = "",
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    *,
    on_duplicate: str = "merge",
) -> ImportReport:
    """Import every live contact of another book, atomically; duplicates follow `on_duplicate`."""
    path = Path(other_path).expanduser()
    if not path.is_file():
        raise InvalidFile(str(path), "no such book file")
    if path.resolve() == Path(book.path).resolve():
        raise InvalidValue(f"{path} is this book; choose another book to merge")
    with LeadBook.open(path, create=False) as other:
        meta = ImportMeta(
            file_name=path.name,
            file_path=str(path.resolve()),
            file_hash=file_sha256(path),
            file_size=path.stat().st_size,
            format="leadsmith",
            layout=LAYOUT,
            source_label=source_label,
            on_duplicate=on_duplicate,
        )
        total = other.count(ContactFilter())
        region = other.default_region
        session = book.begin_import(meta)
        try:
            linker = ListLinker(session)
            done = 0
            for chunk in _chunks(other):
                check_cancelled(cancelled)
                cleaned = []
                for contact in chunk:
                    if contact.do_not_contact:
                        session.skip_row(contact.id or 0, f"do not contact in {path.name}")
                    else:
                        cleaned.append(clean_contact(contact, region))
                session.add_cleaned(cleaned)
                linker.add(cleaned)
                done += len(chunk)
                progress(done, total)
            return session.finish()
        except BaseException:
            session.abort()
            raise


def _chunks(other: LeadBook) -> Iterator[list[Contact]]:
    batch: list[Contact] = []
    for contact in other.iter_contacts(ContactFilter(), batch=CHUNK):
        batch.append(contact)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
