"""The contacts table's columns: what a cell shows, and what editing one changes in the book.

A cell's text is decided here, once per page fetch (row_cells) and once per painted cell
(shown_value); an inline edit becomes book changes here (edit_changes) and a status bar line
(point_message). The model (contact_table_model.py), its delegate and its view read them.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from app.book import LeadBook
from app.clean.name import clean_name_part, split_name
from app.clean.phone import format_phone
from app.clean.title import classify_title
from app.edit_points import PointEdit
from app.store.contacts import ContactRow

# (header, ContactRow attribute, ContactFilter sort key or None when the column cannot be sorted)
COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("Name", "name", "name"),
    ("Email", "email", None),
    ("Phone", "phone", None),
    ("Company", "company", "company"),
    ("Job title", "job_title", "job_title"),
    ("Country", "country", "country"),
    ("Status", "status", "status"),
    ("Score", "score", "score"),
    # Hidden by default (View ▸ Columns). Tags and the source live in
    # other tables, like email and phone.
    ("City", "city", "city"),
    ("Tags", "tags", None),
    ("Source", "source", None),
    ("Created", "created_at", "created_at"),
)
NAME_COLUMN, EMAIL_COLUMN, PHONE_COLUMN, COMPANY_COLUMN, TITLE_COLUMN = 0, 1, 2, 3, 4
SCORE_COLUMN, CREATED_COLUMN = 7, 11
# Cells edited in place (F2, double-click): name and title through update_contact, email and phone
# through set_point, the company through set_company; each is one undoable operation.
EDITABLE = frozenset({NAME_COLUMN, EMAIL_COLUMN, PHONE_COLUMN, COMPANY_COLUMN, TITLE_COLUMN})
POINT_KIND = {EMAIL_COLUMN: "email", PHONE_COLUMN: "phone"}
STATUS_COLORS = {"invalid": "#c62828", "risky": "#e08a00"}


@lru_cache(maxsize=20_000)
def display_phone(phone: str) -> str:
    """A stored E.164 phone as the table shows it ("+44 20 7946 0958"); other text unchanged.

    Formatted when a cell is painted, not when its page is fetched: a page of 200 numbers through
    phonenumbers cost more than the page's SQL."""
    return format_phone(phone) if phone.startswith("+") else phone


# A cached row: the display values (COLUMNS order), then email status, phone status and the
# ContactRow. Built once per page fetch so that data() is a dict lookup and a tuple index. Phone
# and Created hold the stored text: they are formatted (memoized) when a cell is painted, so a
# page fetch formats nothing and a hidden Created column costs nothing (a jump at 1M formatted
# 64 phones and 64 timestamps per page, ~2.5 ms, for the ~25 rows on screen).
Cells = tuple[Any, ...]
EMAIL_STATUS, PHONE_STATUS, ROW = len(COLUMNS), len(COLUMNS) + 1, len(COLUMNS) + 2


@lru_cache(maxsize=4_096)
def display_time(stamp: str) -> str:
    """A stored UTC timestamp as local date and minute ("2026-11-22 19:55"); other text unchanged."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


FORMATTED = {PHONE_COLUMN: display_phone, CREATED_COLUMN: display_time}


def shown_value(cells: Cells, column: int) -> Any:
    """What a cell shows (and its editor starts from): the cached value, formatted if need be."""
    value = cells[column]
    return FORMATTED[column](value) if column in FORMATTED and value else value


def row_cells(row: ContactRow) -> Cells:
    """The cached display tuple of one table row."""
    score = "" if row.score is None else str(row.score)
    return (row.name, row.email, row.phone, row.company, row.job_title, row.country, row.status,
            score, row.city, row.tags, row.source, row.created_at,
            row.email_status, row.phone_status, row)  # fmt: skip


def edit_changes(book: LeadBook, column: int, text: str) -> dict[str, object]:
    """The update_contact changes of an inline edit, cleaned as the Add contact form cleans them."""
    if column == NAME_COLUMN:
        parts = split_name(text)
        return {"prefix": parts.prefix, "first_name": parts.first, "middle_name": parts.middle,
                "last_name": parts.last, "suffix": parts.suffix}  # fmt: skip
    title = clean_name_part(text)
    info = classify_title(title, book.title_rules())
    return {"job_title": title, "seniority": info.seniority, "department": info.department}


def point_message(edit: PointEdit) -> str:
    """The status bar line after an email/phone edit: saved, with what validation said."""
    if not edit.raw:
        head = f"Removed the {edit.kind} of contact #{edit.contact_id}"
    else:
        head = f"Saved contact #{edit.contact_id}"
    notes = [head]
    if edit.status in STATUS_COLORS:
        what = f"{edit.status} {edit.kind}"
        notes.append(f"{what}: {edit.reason}" if edit.reason else what)
    if edit.also_on is not None:
        notes.append(f"also on contact #{edit.also_on}")
    return " — ".join([*notes, "Ctrl+Z to undo"])
