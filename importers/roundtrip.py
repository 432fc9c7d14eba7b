"""Read Leadsmith's own generic CSV export back without loss (the `leadsmith_csv` layout).

The export (app/export/leadsmith_csv.py) joins several values in one cell with "; ", prefixes
cells a spreadsheet could evaluate with "'" and writes clashing extra keys as "Extra: X". This
module undoes exactly that, row by row, so an export imported into a fresh book gives the same
contacts: the same points, tags, lists, extra columns and company facts.

Decisions (documented for users in resources/layouts.toml):
- "Lists" adds the contact to every list named in the cell (created when missing), inside the
  import's transaction and with the import's id, so undoing the import removes the memberships.
- "Leadsmith ID", "Score", "Grade", "Created At" and "Updated At" describe the exporting book: they
  are kept in the row's provenance (contact_sources.raw) and not copied into `extra`; scores and
  grades are recomputed by this book's audiences.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from app.clean.record import CleanResult, clean_record
from app.clean.web import is_free_mail
from app.contact import Contact, ContactPoint, RawRecord
from app.export.leadsmith_csv import LEADSMITH_CSV_COLUMNS, MULTI_SEPARATOR, POINTS_COLUMN
from app.export.safety import FORMULA_PREFIXES
from app.ingest import ImportSession
from app.store.db import utc_now
from importers.layouts import header_key
from importers.mapping import ColumnMapping, column_names

LAYOUT = "leadsmith_csv"
_FIXED_KEYS = frozenset(header_key(h) for h in LEADSMITH_CSV_COLUMNS)
_FIXED_FOLDED = frozenset(h.casefold() for h in LEADSMITH_CSV_COLUMNS)
_MULTI_KEYS = frozenset(
    header_key(h) for h in ("Other Emails", "Other Phones", "Other URLs", "Tags", "Lists")
)
# Facts of the exporting book, not of the person: kept in provenance only (see module docstring).
_BOOKKEEPING_KEYS = frozenset(
    header_key(h) for h in ("Leadsmith ID", "Score", "Grade", "Created At", "Updated At")
)
_LISTS = header_key("Lists")
_OTHER_URLS = header_key("Other URLs")
_DOMAIN = header_key("Company Domain")
_COMPANY_COUNTRY = header_key("Company Country")
_EMPLOYEES = header_key("Employees")
_REVENUE = header_key("Annual Revenue")
_POINTS = header_key(POINTS_COLUMN)
_EXTRA_PREFIX = "Extra: "
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

Rows = list[tuple[int, list[str]]]
Cleaned = list[tuple[RawRecord, CleanResult]]


def undo_neutralize(value: str) -> str:
    """Take off the one "'" that safety.neutralize_cell put before a formula-like first character."""
    if len(value) >= 2 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def split_multi(value: str) -> list[str]:
    """The values of one multi-value cell ("a; b"), in order, empty ones left out."""
    return [part for part in value.split(MULTI_SEPARATOR) if part.strip()]


def extra_key(header: str) -> str:
    """The extra key a column of the export came from: the inverse of leadsmith_csv.extra_header."""
    if header.startswith(_EXTRA_PREFIX):
        rest = header[len(_EXTRA_PREFIX) :]
        if rest.casefold() in _FIXED_FOLDED:
            return rest
    return header


@dataclass
class _Facts:
    """Company facts the cleaner cannot carry in cells: set on the contact after cleaning."""

    domain: str = ""
    company_country: str = ""
    employees: str = ""
    revenue: str = ""
    points: str = ""  # the "Points As Typed" cell: raw texts, labels, primary flags, order


def to_record(
    row_number: int, values: list[str], headers: list[str], mapping: list[ColumnMapping]
) -> tuple[RawRecord, _Facts]:
    """One exported row as a RawRecord: multi-value cells split, neutralizing undone."""
    rec = RawRecord(row=row_number)
    facts = _Facts()
    names = [m.column for m in mapping] if len(mapping) == len(headers) else column_names(headers)
    cells = [("" if v is None else v) for v in values]
    cells += [""] * (len(names) - len(cells))
    for i, name in enumerate(names):
        rec.raw[name] = cells[i]
    for i in range(len(names), len(cells)):
        rec.raw[f"column {i + 1}"] = cells[i]
        if cells[i].strip():
            rec.extra[f"column {i + 1}"] = undo_neutralize(cells[i])
    for m in mapping:
        value = cells[m.index] if m.index < len(cells) else ""
        if not value.strip():
            continue
        header = headers[m.index] if m.index < len(headers) else m.column
        key = header_key(header)
        text = undo_neutralize(value)
        if key not in _FIXED_KEYS:
            # Every other column of an export is an extra key; only a user's own mapping moves it.
            if m.field and m.reason.startswith("mapping file"):
                rec.add(m.field, m.column, text)
            else:
                rec.extra[extra_key(header)] = text
            continue
        if key in _BOOKKEEPING_KEYS or key == _LISTS:
            continue  # provenance keeps them; lists are applied by ListLinker
        if key == _POINTS:
            facts.points = text
            continue
        if key == _DOMAIN:
            facts.domain = text.strip()
            continue
        if key == _COMPANY_COUNTRY:
            facts.company_country = text.strip()
            continue
        if key == _EMPLOYEES:
            facts.employees = text.strip()
        elif key == _REVENUE:
            facts.revenue = text.strip()
        # "Other URLs" holds LinkedIn points the first column could not take (the only URL points
        # the book makes); a single-valued field cannot be mapped twice, so it is routed here.
        target = "linkedin_url" if key == _OTHER_URLS and not m.field else m.field
        if target is None:
            rec.extra[m.column] = text
        elif key in _MULTI_KEYS:
            for part in split_multi(text):
                rec.add(target, m.column, part)
        else:
            rec.add(target, m.column, text)
    return rec, facts


def _apply_facts(rec: RawRecord, result: CleanResult, facts: _Facts) -> None:
    contact = result.contact
    company = contact.company
    # Tags were split on "; " already; clean_record would split "Fintech, UK" on its comma too.
    tags = [cell.value.strip() for cell in rec.cells.get("tags", ()) if cell.value.strip()]
    contact.tags = list(dict.fromkeys(tags))
    if facts.domain:
        if is_free_mail(facts.domain.lower()):
            contact.extra.setdefault("Company Domain", facts.domain)  # never a company's domain
        else:
            company.domain = facts.domain.lower()
    if facts.company_country:
        company.country = facts.company_country
    # The export writes plain numbers (format_number); "1234.567" is a decimal, not thousands.
    if _PLAIN_NUMBER.fullmatch(facts.revenue):
        company.annual_revenue = float(facts.revenue)
    if facts.employees.isdigit():
        company.employees = int(facts.employees)
    if facts.points:
        _restore_points(contact, facts.points)


def _typed_points(cell: str) -> list[tuple[str, str, str, bool, str]]:
    """The entries of a "Points As Typed" cell: kind, raw, label, primary, text written elsewhere."""
    try:
        entries = json.loads(cell)
    except ValueError:
        return []  # edited into something else in a spreadsheet: the visible columns still count
    out: list[tuple[str, str, str, bool, str]] = []
    for entry in entries if isinstance(entries, list) else ():
        if not (isinstance(entry, list) and 4 <= len(entry) <= 5):
            continue
        kind, raw, label, primary = entry[:4]
        if not all(isinstance(v, str) for v in (kind, raw, label)):
            continue
        written = entry[4] if len(entry) == 5 and isinstance(entry[4], str) else raw
        out.append((kind, raw, label, bool(primary), written))
    return out


def _restore_points(contact: Contact, cell: str) -> None:
    """Give imported points back their typed text, label, primary flag and order.

    The visible columns decide which points there are (a user may have edited them); a point
    takes the typed details of the first unused entry written as the same text."""
    entries = _typed_points(cell)
    used = [False] * len(entries)
    placed: list[tuple[int, ContactPoint]] = []
    for point in contact.points:
        spot = len(entries) + len(placed)  # unmatched points keep their place after the others
        for i, (kind, raw, label, primary, written) in enumerate(entries):
            if used[i] or kind != point.kind or written.strip() != point.raw.strip():
                continue
            used[i] = True
            point.raw, point.label, point.is_primary = raw, label, primary
            spot = i
            break
        placed.append((spot, point))
    contact.points = [p for _, p in sorted(placed, key=lambda item: item[0])]


def clean_rows(
    rows: Rows, headers: list[str], mapping: list[ColumnMapping], region: str
) -> Cleaned:
    """Map and clean a chunk of exported rows (the pipeline's path for the leadsmith_csv layout)."""
    out: Cleaned = []
    for number, values in rows:
        rec, facts = to_record(number, values, headers, mapping)
        result = clean_record(rec, region)
        _apply_facts(rec, result, facts)
        out.append((rec, result))
    return out


def row_lists(rec: RawRecord) -> list[str]:
    """The list names in a record's "Lists" cell, neutralizing undone."""
    for column, value in rec.raw.items():
        if header_key(column) == _LISTS and value.strip():
            return list(dict.fromkeys(p.strip() for p in split_multi(undo_neutralize(value))))
    return []


class ListLinker:
    """Adds imported rows to the lists their "Lists" cell names, inside the import's transaction."""

    def __init__(self, session: ImportSession) -> None:
        self.session = session
        self._seen_source_id = int(
            session.conn.execute("SELECT coalesce(max(id), 0) FROM contact_sources").fetchone()[0]
        )
        self._list_ids: dict[str, int] = {}

    def add(self, cleaned: Cleaned) -> None:
        """Link the contacts a just-stored chunk of rows became (added or merged) to their lists."""
        wanted = {rec.row: names for rec, _ in cleaned if (names := row_lists(rec))}
        if not wanted:
            return
        conn = self.session.conn
        # contact_sources ids only grow: a watermark reads each import row once (no full scans).
        found = conn.execute(
            """SELECT id, row_number, contact_id FROM contact_sources
               WHERE id > ? AND import_id = ? ORDER BY id""",
            (self._seen_source_id, self.session.import_id),
        ).fetchall()
        now = utc_now()
        for source_id, row, contact_id in found:
            self._seen_source_id = max(self._seen_source_id, int(source_id))
            for name in wanted.get(row, ()):
                conn.execute(
                    """INSERT OR IGNORE INTO list_members(list_id, contact_id, import_id, added_at)
                       VALUES (?, ?, ?, ?)""",
                    (self._list_id(conn, name, now), contact_id, self.session.import_id, now),
                )

    def _list_id(self, conn: sqlite3.Connection, name: str, now: str) -> int:
        cached = self._list_ids.get(name.casefold())
        if cached is not None:
            return cached
        conn.execute("INSERT OR IGNORE INTO lists(name, created_at) VALUES (?, ?)", (name, now))
        list_id = int(conn.execute("SELECT id FROM lists WHERE name = ?", (name,)).fetchone()[0])
        self._list_ids[name.casefold()] = list_id
        return list_id
