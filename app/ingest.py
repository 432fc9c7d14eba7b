"""Bring raw records into the book: clean, match exact duplicates, add/merge/skip, store atomically.

An import is one write transaction: a crash or cancel leaves the book as it was. Contact ids are
assigned up front inside that transaction so each chunk is written with `executemany`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from app.clean.company import normalize_company
from app.clean.record import CleanResult, clean_record
from app.contact import Contact, ImportReport, Issue, RawRecord
from app.errors import ImportFailed
from app.exact_match import (
    SeenTexts,
    find_exact,
    find_same_person,
    match_keys,
    name_key,
    point_keys,
    stored_person_texts,
)
from app.fields import CONTACT_COLUMNS
from app.ingest_links import ImportLinks
from app.row_merge import NEWEST_WINS, has_content, mark_primary, merge_into
from app.store import history
from app.store.contacts import fts_values, load_core, write_fts
from app.store.db import utc_now

ON_DUPLICATE = ("merge", "skip", "keep")
MAX_REPORTED_ISSUES = 1000
# One encoder for every row: json.dumps(..., ensure_ascii=False) builds a new one per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_contact_columns = attrgetter(*CONTACT_COLUMNS)
# The page cache while an import writes, if the book's is smaller. It was 256 MB, so that a
# 1M-row import's indexes stay cached; measured (writer only, 100k rows, 134 MB book): 4 MB,
# 16 MB and 256 MB cost the same CPU (316-340 µs a row, within the noise) and the same WAL,
# since pages that fall out are re-read from the OS's cache of the WAL. 64 MB (the book's usual
# size) keeps ~190 MB off a 1M-row import's peak.
IMPORT_CACHE_KIB = 65536
# A same-person lookup (a row without an email or LinkedIn key) reads up to 50 namesakes and their
# points: ~1 ms a row in a 1M-contact book. Reading every stored point once into a SeenTexts costs
# ~1 µs a point, so it is done once an import has asked that many lookups per 1,000 stored points.
_POINTS_SCANNED_PER_ASK = 1000


@dataclass
class ImportMeta:
    """What the book records about one import (one row of `imports`)."""

    file_name: str
    file_path: str = ""
    file_hash: str = ""
    file_size: int = 0
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    layout: str = ""
    headers: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    source_label: str = ""
    legal_basis: str = ""
    list_name: str = ""
    on_duplicate: str = "merge"
    user: str = ""
    dry_run: bool = False
    kind: str = "import"  # import | add (a hand entry is a one-row import, so undo is uniform)
    region: str = ""  # phones without a country are read in this region (else the book's default)


class InsertTitles:
    """Classify the job titles of contacts an import creates as they are inserted.

    Handed to an ImportSession among its row checks (a check that never refuses a row) by the
    book (app/book_audience.py), with the book's title rules. It gives each new contact the
    seniority and department `firmographics.fill_titles` would have filled in at commit, so the
    book's commit hook only has to classify the stored contacts the import merged into: an
    UPDATE of every new row after the fact cost ~1.8 s CPU per 100,000 rows.
    """

    def __init__(self, classify: Callable[[str], tuple[str, str]]) -> None:
        self.classify = classify  # job title -> (seniority, department), "" where it says nothing

    def __call__(self, contact: Contact) -> str | None:
        """Never refuses a row (a row check by its signature only)."""
        return None

    def fill(self, title: str, seniority: str, department: str) -> tuple[str, str]:
        """The (seniority, department) fill_titles leaves: empty ones filled from the title."""
        if not title or (seniority and department):
            return seniority, department
        found_seniority, found_department = self.classify(title)
        return seniority or found_seniority, department or found_department


def raw_json(rec: RawRecord) -> str:
    """A row's raw values as the JSON the book keeps for provenance (contact_sources.raw)."""
    return _to_json(list(rec.raw.values()))


@dataclass
class _Pending:
    contact: Contact
    sources: list[tuple[int | None, str, str]]  # (row, action, raw values as JSON)


class ImportSession:
    """One import in progress. `start()`, `add()` per chunk, then `finish()` or `abort()`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        meta: ImportMeta,
        default_region: str,
        checks: Sequence[Callable[[Contact], str | None]] = (),
        before_commit: Callable[[int, list[int]], None] | None = None,
    ) -> None:
        if meta.on_duplicate not in ON_DUPLICATE:
            raise ImportFailed(f"--on-duplicate must be one of {', '.join(ON_DUPLICATE)}")
        self.conn = conn
        self.meta = meta
        self.region = meta.region or default_region
        self.report = ImportReport(import_id=None, file=meta.file_name, dry_run=meta.dry_run)
        self.import_id = 0
        self.op_id = 0
        self._next_id = 0
        self._pending: dict[int, _Pending] = {}
        self._pending_keys: dict[tuple[str, str], int] = {}
        self._pending_names: dict[str, list[int]] = {}
        self._now = utc_now()
        self._links = ImportLinks(conn, self._now)
        self._issue_rows: list[tuple[object, ...]] = []
        self._titles = next((c for c in checks if isinstance(c, InsertTitles)), None)
        self._checks = [c for c in checks if not isinstance(c, InsertTitles)]
        # Per contact this import creates (index: id - first id), which of its seniority (1) and
        # department (2) came from its title rather than the file: a later row merging into it
        # must see the file's values, as when titles were classified only at commit. A byte per
        # contact, not a dict of tuples (~140 MB and 900k objects for the GC at 1M rows).
        self._from_title = bytearray()
        self._first_id = 0
        self._before_commit = before_commit
        self._touched: list[int] = []  # contacts added or merged into, for before_commit
        self._use_key_filter = False
        # Hashes of every exact key in the book and in this import: a key whose hash is absent
        # is certainly new, so most rows need no SQL lookup (a hit is still confirmed in SQL).
        # Hashes of every stored email/URL key, as dict keys with None values: a dict holding only
        # ints is never tracked by the garbage collector, a set is walked entry by entry on every
        # collection (910k keys: 76 ms per gen-1 pass, bench/UI_STALLS.md).
        self._known_keys: dict[int, None] = {}
        # Search rows of stored contacts this import merged into, written at the end in rowid
        # order: FTS5 flushes its pending terms whenever a write goes to a lower rowid than the
        # last one, so a delete+insert per merge cost ~0.8 ms and left a segment behind each time.
        self._fts_rewrites: dict[int, tuple[str, str, str, str]] = {}
        self._cache_kib = 0
        # Every email/phone text in the book, once same-person lookups are frequent enough.
        self._person_texts: SeenTexts | None = None
        self._person_asks = 0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Open the write transaction and register the import."""
        m = self.meta
        self.conn.execute("BEGIN IMMEDIATE")
        if m.kind == "import":
            self._cache_kib = -int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
            if 0 < self._cache_kib < IMPORT_CACHE_KIB:
                self.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        cur = self.conn.execute(
            """INSERT INTO imports(file_name, file_path, file_hash, file_size, format, encoding,
                   delimiter, layout, headers, mapping, status, on_duplicate, source_label,
                   legal_basis, list_name, user, started_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?)""",
            (
                m.file_name,
                m.file_path,
                m.file_hash,
                m.file_size,
                m.format,
                m.encoding,
                m.delimiter,
                m.layout,
                _to_json(m.headers),
                _to_json(m.mapping),
                m.on_duplicate,
                m.source_label,
                m.legal_basis,
                m.list_name,
                m.user,
                self._now,
            ),
        )
        self.import_id = int(cur.lastrowid or 0)
        self.report.import_id = None if m.dry_run else self.import_id
        label = f"Import {m.file_name}" if m.kind == "import" else "Add contact"
        self.op_id = history.begin_op(self.conn, m.kind, label, m.user, self.import_id)
        self._use_key_filter = m.kind == "import"  # a one-row hand entry just asks SQL
        if self._use_key_filter:
            self._load_known_keys()
        self._next_id = int(
            self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM contacts").fetchone()[0]
        )
        self._first_id = self._next_id
        self._links.begin(self.import_id, self.op_id, m.list_name)

    def _load_known_keys(self) -> None:
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(
            "SELECT kind, value FROM contact_points "
            "WHERE value IS NOT NULL AND kind IN ('email', 'url')"
        )
        known = self._known_keys
        # Small batches: one fetchmany is one C call that holds the GIL for all its rows (100,000
        # froze the desktop's UI thread ~0.5 s); 1,000 lets it run between batches, same speed.
        while rows := cur.fetchmany(1_000):
            known.update(dict.fromkeys(hash((kind, value)) for kind, value in rows))

    def _find_stored(self, keys: list[tuple[str, str]]) -> tuple[int, str] | None:
        if not self._use_key_filter:
            return find_exact(self.conn, keys)
        maybe = [k for k in keys if hash(k) in self._known_keys]
        return find_exact(self.conn, maybe) if maybe else None

    def add(self, records: Iterable[RawRecord]) -> None:
        """Clean and store a chunk of records."""
        self.add_cleaned((rec, clean_record(rec, self.region)) for rec in records)

    def add_cleaned(self, items: Iterable[tuple[RawRecord, CleanResult]]) -> None:
        """Store a chunk of records already cleaned (e.g. by worker processes)."""
        for rec, result in items:
            self._add_one(rec, result)
        self._flush()

    def finish(self) -> ImportReport:
        """Commit (or, for a dry run, roll back) and return the report."""
        self._flush()
        self._write_fts_rewrites()
        r = self.report
        if self._before_commit is not None and self._touched:
            self._before_commit(self.import_id, sorted(set(self._touched)))
        if self.meta.dry_run:
            self.conn.execute("ROLLBACK")
            self._restore_cache()
            return r
        self.conn.execute(
            """UPDATE imports SET rows = ?, added = ?, merged = ?, skipped = ?, invalid = ?,
                   status = 'done', finished_at = ? WHERE id = ?""",
            (r.rows, r.added, r.merged, r.skipped, r.invalid, utc_now(), self.import_id),
        )
        self.conn.execute("COMMIT")
        self._restore_cache()
        return r

    def abort(self) -> None:
        """Roll back everything this import wrote."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._restore_cache()

    def _restore_cache(self) -> None:
        if self._cache_kib:
            self.conn.execute(f"PRAGMA cache_size = -{self._cache_kib}")
            self._cache_kib = 0

    # -- one record --------------------------------------------------------------------------
    def _add_one(self, rec: RawRecord, result: CleanResult) -> None:
        r = self.report
        r.rows += 1
        if result.invalid:
            r.invalid += 1
        for issue in result.issues:
            self._issue(issue)
        contact = result.contact
        if not has_content(contact):
            r.skipped += 1
            r.skipped_rows.append((rec.row, "empty row: no name, email, phone or company"))
            return
        for check in self._checks:
            refusal = check(contact)
            if refusal:
                r.skipped += 1
                r.skipped_rows.append((rec.row, refusal))
                return
        raw_values = result.raw_json if result.raw_json is not None else raw_json(rec)
        row_ref = rec.row or None  # a hand entry has no row
        keys = match_keys(contact)
        pending_keys = self._pending_keys
        pending_id = None
        for k in keys:
            pending_id = pending_keys.get(k)
            if pending_id is not None:
                break
        found = None if pending_id is not None or not keys else self._find_stored(keys)
        if not keys and pending_id is None:
            pending_id = self._pending_same_person(contact)
            if pending_id is None:
                found = self._find_same_person(contact)
        duplicate = pending_id is not None or found is not None
        if duplicate and self.meta.on_duplicate == "skip":
            target = pending_id if pending_id is not None else found[0] if found else 0
            r.skipped += 1
            r.skipped_rows.append((rec.row, f"duplicate of contact #{target}"))
            return
        if duplicate and self.meta.on_duplicate == "merge":
            r.merged += 1
            if pending_id is not None:
                pend = self._pending[pending_id]
                merge_into(pend.contact, contact)
                pend.sources.append((row_ref, "merged", raw_values))
                for k in match_keys(pend.contact):
                    self._pending_keys.setdefault(k, pending_id)
                    self._known_keys[hash(k)] = None
            elif found is not None:
                self._merge_into_stored(found[0], contact, row_ref, raw_values)
                self._touched.append(found[0])
            return
        r.added += 1
        cid = self._next_id
        self._next_id += 1
        contact.id = cid
        self._pending[cid] = _Pending(contact, [(row_ref, "added", raw_values)])
        known = self._known_keys
        for k in keys:
            pending_keys.setdefault(k, cid)
            known[hash(k)] = None
        names = self._pending_names
        name = name_key(contact)
        same_name = names.get(name)
        if same_name is None:
            names[name] = [cid]
        else:
            same_name.append(cid)

    def note_issue(self, issue: Issue) -> None:
        """Record a problem a reader found (e.g. Excel lost digits) in the report and the book."""
        self._issue(issue)

    def skip_row(self, row: int, reason: str) -> None:
        """Count a row the reader set aside (e.g. a footer), with its reason."""
        self.report.rows += 1
        self.report.skipped += 1
        self.report.skipped_rows.append((row, reason))

    def _pending_same_person(self, contact: Contact) -> int | None:
        if not (contact.first_name or contact.last_name):
            return None
        company = normalize_company(contact.company.name) if contact.company.name else ""
        mine = point_keys(contact)
        for cid in self._pending_names.get(name_key(contact), ()):
            other = self._pending[cid].contact
            theirs = point_keys(other)
            if mine and mine & theirs:
                return cid
            if (
                not mine
                and not theirs
                and company
                and normalize_company(other.company.name) == company
            ):
                return cid
        return None

    def _find_same_person(self, contact: Contact) -> tuple[int, str] | None:
        """find_same_person, skipped when none of the row's emails and phones is in the book."""
        texts = self._person_texts
        if texts is None and self._use_key_filter:
            self._person_asks += 1
            stored = self.conn.execute("SELECT coalesce(max(id), 0) FROM contact_points")
            points = int(stored.fetchone()[0])
            if self._person_asks * _POINTS_SCANNED_PER_ASK >= points:
                # Two texts a stored point, and what the file may add (~6 texts per 100 bytes).
                texts = self._person_texts = stored_person_texts(
                    self.conn, 2 * points + self.meta.file_size // 16
                )
        # A match needs a shared email or phone text, or no email or phone on either side.
        if texts is not None:
            mine = point_keys(contact)
            if mine and not texts.may_hold(contact.first_name, contact.last_name, mine):
                return None
        return find_same_person(self.conn, contact)

    def _issue(self, issue: Issue) -> None:
        if len(self.report.issues) < MAX_REPORTED_ISSUES:
            self.report.issues.append(issue)
        self._issue_rows.append(
            (self.import_id, issue.row, issue.column, issue.value, issue.message, issue.severity)
        )

    # -- writing ------------------------------------------------------------------------------
    def _flush(self) -> None:
        conn = self.conn
        if self._issue_rows:
            conn.executemany(
                """INSERT INTO import_issues(import_id, row_number, column_name, value, message, severity)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                self._issue_rows,
            )
            self._issue_rows.clear()
        if not self._pending:
            return
        m = self.meta
        contacts_rows = []
        points_rows: list[tuple[object, ...]] = []
        add_point = points_rows.append
        sources_rows = []
        fts_rows = []
        titles = self._titles
        texts = self._person_texts
        company_id = self._links.company_id
        import_id, user, now = self.import_id, m.user, self._now
        source_label, legal_basis = m.source_label, m.legal_basis
        for cid, pend in self._pending.items():
            c = pend.contact
            if not c.lead_source:
                c.lead_source = source_label
            if not c.legal_basis:
                c.legal_basis = legal_basis
            if titles is not None and c.job_title:
                levels = titles.fill(c.job_title, c.seniority, c.department)
                if levels != (c.seniority, c.department):
                    self._mark_from_title(cid, (c.seniority, c.department), levels)
                    c.seniority, c.department = levels
            contacts_rows.append(
                (
                    cid,
                    *_contact_columns(c),
                    _to_json(c.extra) if c.extra else "{}",
                    company_id(c.company),
                    import_id,
                    user,
                    now,
                    now,
                    now,
                )
            )
            points = c.points
            mark_primary(points)
            for p in points:
                add_point(
                    (
                        cid,
                        p.kind,
                        p.raw,
                        p.value,
                        p.label,
                        int(p.is_primary),
                        p.status,
                        p.reason,
                        import_id,
                    )
                )
            for row, action, raw in pend.sources:
                sources_rows.append((cid, import_id, row, action, raw))
            fts_rows.append((cid, *fts_values(c)))
            if texts is not None:
                texts.see_contact(c)
        conn.executemany(_INSERT_CONTACT, contacts_rows)
        self._touched.extend(self._pending)
        for cid, pend in self._pending.items():
            self._links.attach(cid, pend.contact.tags)
        conn.executemany(
            """INSERT INTO contact_points(contact_id, kind, raw, value, label, is_primary, status,
                   reason, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            points_rows,
        )
        conn.executemany(
            """INSERT INTO contact_sources(contact_id, import_id, row_number, action, raw)
               VALUES (?, ?, ?, ?, ?)""",
            sources_rows,
        )
        conn.executemany(
            "INSERT INTO contacts_fts(rowid, name, emails, company, title) VALUES (?, ?, ?, ?, ?)",
            fts_rows,
        )
        self._pending.clear()
        self._pending_keys.clear()
        self._pending_names.clear()

    def _merge_into_stored(self, cid: int, incoming: Contact, row: int | None, raw: str) -> None:
        conn = self.conn
        existing = load_core(conn, cid)
        assert existing is not None  # found by a live-contact lookup in this transaction
        created = self._titles is not None and cid >= self._first_id
        stored_levels = (existing.seniority, existing.department)
        if created:
            at = cid - self._first_id
            flags = self._from_title[at] if at < len(self._from_title) else 0
            existing.seniority = "" if flags & 1 else existing.seniority
            existing.department = "" if flags & 2 else existing.department
        before: dict[str, object] = {}
        after: dict[str, object] = {}
        for col in CONTACT_COLUMNS:
            old, new = getattr(existing, col), getattr(incoming, col)
            if col == "status" or not new or old == new:
                continue
            if not old or col in NEWEST_WINS:
                before[col], after[col] = old, new
        if incoming.company.name and normalize_company(incoming.company.name) != normalize_company(
            existing.company.name
        ):
            before["company_id"] = existing.company.id
            after["company_id"] = self._links.company_id(incoming.company)
        new_extra = {k: v for k, v in incoming.extra.items() if k not in existing.extra}
        if new_extra:
            before["extra"] = _to_json(existing.extra)
            after["extra"] = _to_json({**existing.extra, **new_extra})
        if after:
            before["updated_at"] = existing.updated_at
            after["updated_at"] = self._now
            history.record(conn, self.op_id, "contacts", cid, before, after)
            sets = ", ".join(f"{c} = ?" for c in after)
            conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*after.values(), cid])
        if created:
            self._reclassify(cid, existing, after, stored_levels)
        have = {(p.kind, p.value or p.raw) for p in existing.points}
        for p in incoming.points:
            if (p.kind, p.value or p.raw) in have:
                continue
            have.add((p.kind, p.value or p.raw))
            conn.execute(
                """INSERT INTO contact_points(contact_id, kind, raw, value, label, is_primary, status,
                       reason, import_id) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)""",
                (cid, p.kind, p.raw, p.value, p.label, p.status, p.reason, self.import_id),
            )
            existing.points.append(p)
            if p.value:
                self._known_keys[hash((p.kind, p.value))] = None
        conn.execute(
            "INSERT INTO contact_sources(contact_id, import_id, row_number, action, raw) VALUES (?, ?, ?, 'merged', ?)",
            (cid, self.import_id, row, raw),
        )
        self._links.attach(cid, incoming.tags)
        # The search row from what was just written, without loading the contact again.
        for col, value in after.items():
            if hasattr(existing, col) and col != "extra":
                setattr(existing, col, value)
        if "company_id" in after:
            existing.company = incoming.company
        self._fts_rewrites[cid] = fts_values(existing)
        if self._person_texts is not None:  # its new points, or all of them under a new name
            self._person_texts.see_contact(existing)

    def _reclassify(
        self,
        cid: int,
        existing: Contact,
        after: dict[str, object],
        stored: tuple[str, str],
    ) -> None:
        """Classify a contact this import created again after a row merged into it."""
        assert self._titles is not None
        title = str(after.get("job_title", existing.job_title))
        given = (
            str(after.get("seniority", existing.seniority)),
            str(after.get("department", existing.department)),
        )
        levels = self._titles.fill(title, *given)
        self._mark_from_title(cid, given, levels)
        written = (
            str(after.get("seniority", stored[0])),
            str(after.get("department", stored[1])),
        )
        if levels != written:
            self.conn.execute(
                "UPDATE contacts SET seniority = ?, department = ? WHERE id = ?", (*levels, cid)
            )

    def _mark_from_title(self, cid: int, given: tuple[str, str], levels: tuple[str, str]) -> None:
        at = cid - self._first_id
        if at >= len(self._from_title):
            self._from_title.extend(bytes(at + 1 - len(self._from_title)))
        self._from_title[at] = (levels[0] != given[0]) | (levels[1] != given[1]) << 1

    def _write_fts_rewrites(self) -> None:
        for cid in sorted(self._fts_rewrites):
            write_fts(self.conn, cid, self._fts_rewrites[cid])
        self._fts_rewrites.clear()


_INSERT_CONTACT = (
    f"INSERT INTO contacts(id, {', '.join(CONTACT_COLUMNS)}, extra, "
    "company_id, import_id, created_by, collected_at, created_at, updated_at) VALUES "
    f"(?, {', '.join('?' * len(CONTACT_COLUMNS))}, ?, ?, ?, ?, ?, ?, ?)"
)
