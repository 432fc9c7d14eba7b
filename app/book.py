"""LeadBook: the one facade every front end (CLI, desktop) calls. Plain data in, plain data out."""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import TracebackType

from app import edit_points
from app.book_audience import AudienceMixin
from app.book_base import DEFAULT_REGION, LIFECYCLE, BookBase
from app.book_dedupe import DedupeMixin
from app.book_privacy import PrivacyMixin
from app.clean.record import CleanResult, clean_record
from app.contact import Contact, ImportReport, RawRecord
from app.edit_points import CompanyEdit, PointEdit
from app.errors import InvalidValue, NotFound
from app.exact_match import find_exact, match_keys
from app.export.parallel import early_pool
from app.export.presets import Preset, load_presets
from app.export.source import BookContacts
from app.export.writers import ExportResult, streams_apart, write_export
from app.ingest import ImportMeta, ImportSession
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.lifecycle import check_transition
from app.query import (
    ContactFilter,
    count,
    page_ids,
    quality_counts,
    snapshot_ids,
    status_counts,
    where_clause,
)
from app.store import history
from app.store.contacts import EDITABLE_COLUMNS, ContactRow, fetch_rows, load_contacts, refresh_fts
from app.store.db import connect, transaction, utc_now

__all__ = ["DEFAULT_REGION", "LIFECYCLE", "AddResult", "LeadBook", "UndoResult"]


@dataclass(frozen=True)
class AddResult:
    """What adding one contact did: added, merged into an existing one, or skipped."""

    contact_id: int | None
    action: str  # added | merged | skipped
    report: ImportReport


@dataclass(frozen=True)
class UndoResult:
    """What `undo` reverted."""

    op_id: int
    kind: str
    label: str
    contact_ids: tuple[int, ...]


class LeadBook(DedupeMixin, AudienceMixin, PrivacyMixin, BookBase):
    """A book of contacts in one SQLite file. One instance per thread."""

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> LeadBook:
        """Open (creating if needed) the book at `path`, migrated to the current schema."""
        p = Path(path).expanduser()
        return cls(connect(p, create=create), p)

    def close(self) -> None:
        """Close the connection, first letting SQLite refresh its planner statistics if stale.

        analysis_limit bounds the work (SQLite samples instead of scanning a million rows), so
        closing stays quick; without statistics the planner picked whole-index scans."""
        try:
            self.conn.execute("PRAGMA analysis_limit = 400")
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # a busy or read-only book closes without refreshing its statistics
        self.conn.close()

    def __enter__(self) -> LeadBook:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- adding and importing -------------------------------------------------------------------
    def begin_import(self, meta: ImportMeta) -> ImportSession:
        """Start an import: the caller feeds chunks to `add()` and ends with `finish()`/`abort()`."""
        if not meta.user:
            meta.user = self.user
        session = ImportSession(
            self.conn, meta, self.default_region, self.import_checks(), self.before_import_commit
        )
        session.start()
        return session

    def import_records(
        self,
        records: Iterator[RawRecord] | Sequence[RawRecord],
        meta: ImportMeta,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
        chunk: int = 1000,
    ) -> ImportReport:
        """Import already-mapped records in one atomic transaction (see importers.pipeline)."""
        session = self.begin_import(meta)
        try:
            batch: list[RawRecord] = []
            for rec in records:
                batch.append(rec)
                if len(batch) >= chunk:
                    session.add(batch)
                    batch = []
                    progress(session.report.rows, 0)
                    check_cancelled(cancelled)
            session.add(batch)
            report = session.finish()
        except BaseException:
            session.abort()
            raise
        progress(report.rows, report.rows)
        return report

    def add_contact(
        self, rec: RawRecord, *, on_duplicate: str = "merge", list_name: str = ""
    ) -> AddResult:
        """Add one hand-entered contact (a one-row import, so undo and provenance are uniform)."""
        meta = ImportMeta(
            file_name="(hand entry)",
            format="manual",
            on_duplicate=on_duplicate,
            list_name=list_name,
            kind="add",
            headers=list(rec.raw),
            source_label="Hand entry",
        )
        report = self.import_records([rec], meta)
        row = self.conn.execute(
            "SELECT contact_id, action FROM contact_sources WHERE import_id = ? ORDER BY id DESC LIMIT 1",
            (report.import_id,),
        ).fetchone()
        if row is None:
            return AddResult(None, "skipped", report)
        return AddResult(int(row[0]), str(row[1]), report)

    def check_record(self, rec: RawRecord) -> tuple[CleanResult, list[tuple[int, str]]]:
        """Validate a record without writing, with the existing contacts it duplicates (live form)."""
        result = clean_record(rec, self.default_region)
        found: list[tuple[int, str]] = []
        for key in match_keys(result.contact):
            hit = find_exact(self.conn, [key])
            if hit and hit[0] not in (f[0] for f in found):
                found.append(hit)
        return result, found

    # -- reading -------------------------------------------------------------------------------
    def get_contact(self, contact_id: int) -> Contact:
        """One full contact (NotFound if it does not exist or was erased)."""
        found = load_contacts(self.conn, [contact_id])
        if contact_id not in found:
            raise NotFound(f"no contact with id {contact_id}")
        return found[contact_id]

    def snapshot(self, f: ContactFilter = ContactFilter()) -> array[int]:
        """The ordered ids a filter selects (for the million-row table)."""
        return snapshot_ids(self.conn, f)

    def count(self, f: ContactFilter = ContactFilter()) -> int:
        """How many live contacts a filter selects."""
        return count(self.conn, f)

    def status_counts(self) -> dict[str, int]:
        """Live contacts by lifecycle status (only the statuses that have any)."""
        return status_counts(self.conn)

    def quality_counts(self) -> dict[str, int]:
        """How many live contacts each data-quality filter (QUALITY_FILTERS) selects."""
        return quality_counts(self.conn)

    def rows(self, ids: Sequence[int]) -> dict[int, ContactRow]:
        """Light table rows for a page of ids."""
        return fetch_rows(self.conn, ids)

    def contacts(
        self, f: ContactFilter = ContactFilter(), limit: int | None = None
    ) -> list[Contact]:
        """Full contacts a filter selects, in its order (bounded by `limit`)."""
        ids = page_ids(self.conn, f, limit)
        loaded = load_contacts(self.conn, ids)
        return [loaded[i] for i in ids if i in loaded]

    def iter_contacts(
        self, f: ContactFilter = ContactFilter(), batch: int = 1000
    ) -> Iterator[Contact]:
        """Stream the contacts a filter selects, loading `batch` at a time (exports)."""
        yield from self._iter_ids(snapshot_ids(self.conn, f), batch)

    def extra_keys(self, f: ContactFilter = ContactFilter()) -> list[str]:
        """Every `extra` column name among the selected contacts, in first-seen order."""
        where, params = where_clause(f)
        # Keys, not whole documents: DISTINCT over a million JSON texts held them all in memory.
        # NOT INDEXED: every selected contact's `extra` is read anyway, and the planner's choice
        # for the live filter (contacts_name, then a row lookup per contact in name order) cost
        # 6.1 s of CPU at 1M against 0.64 s for one scan in rowid order; the INTEGER PRIMARY KEY
        # still serves `c.id IN (…)` filters (a list, a tag, a search).
        rows = self.conn.execute(
            f"""SELECT j.key FROM contacts c NOT INDEXED, json_each(c.extra) AS j
                WHERE {where} AND c.extra != '{{}}'
                GROUP BY j.key ORDER BY min(c.id), j.key""",
            params,
        )
        return [str(r[0]) for r in rows]

    def lists(self) -> list[tuple[str, int]]:
        """Every list with its count of live members."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                """SELECT l.name, count(c.id) FROM lists l
                   LEFT JOIN list_members m ON m.list_id = l.id
                   LEFT JOIN contacts c ON c.id = m.contact_id
                        AND c.merged_into IS NULL AND c.deleted_at IS NULL
                   GROUP BY l.id ORDER BY l.name COLLATE NOCASE"""
            )
        ]

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with its count of live contacts."""
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                """SELECT t.name, count(c.id) FROM tags t
                   LEFT JOIN contact_tags ct ON ct.tag_id = t.id
                   LEFT JOIN contacts c ON c.id = ct.contact_id
                        AND c.merged_into IS NULL AND c.deleted_at IS NULL
                   GROUP BY t.id ORDER BY t.name COLLATE NOCASE"""
            )
        ]

    def stats(self) -> dict[str, object]:
        """Counts for the status bar and `leadsmith stats`."""
        q = self.conn.execute
        live = "merged_into IS NULL AND deleted_at IS NULL"
        by_status = status_counts(self.conn)
        emails = dict(
            q(
                f"""SELECT p.status, count(*) FROM contact_points p JOIN contacts c ON c.id = p.contact_id
                    WHERE p.kind = 'email' AND c.{live.replace(" AND ", " AND c.")} GROUP BY p.status"""
            ).fetchall()
        )
        phones = dict(
            q(
                f"""SELECT p.status, count(*) FROM contact_points p JOIN contacts c ON c.id = p.contact_id
                    WHERE p.kind = 'phone' AND c.{live.replace(" AND ", " AND c.")} GROUP BY p.status"""
            ).fetchall()
        )
        return {
            "contacts": int(q(f"SELECT count(*) FROM contacts WHERE {live}").fetchone()[0]),
            "companies": int(q("SELECT count(*) FROM companies").fetchone()[0]),
            "imports": int(
                q(
                    "SELECT count(*) FROM imports WHERE status = 'done' AND format != 'manual'"
                ).fetchone()[0]
            ),
            "by_status": {s: by_status.get(s, 0) for s in LIFECYCLE if by_status.get(s)},
            "emails": emails,
            "phones": phones,
            "lists": len(self.lists()),
            "tags": len(self.tags()),
        }

    def import_issues(self, import_id: int) -> list[dict[str, object]]:
        """Every problem recorded for an import (row, column, value, message, severity)."""
        return [
            {"row": r[0], "column": r[1], "value": r[2], "message": r[3], "severity": r[4]}
            for r in self.conn.execute(
                """SELECT row_number, column_name, value, message, severity FROM import_issues
                   WHERE import_id = ? ORDER BY id""",
                (import_id,),
            )
        ]

    # -- changing ------------------------------------------------------------------------------
    def update_contact(self, contact_id: int, changes: dict[str, object]) -> Contact:
        """Edit fields of a contact (whitelisted columns only); undoable."""
        unknown = set(changes) - EDITABLE_COLUMNS
        if unknown:
            raise InvalidValue(f"cannot edit {', '.join(sorted(unknown))}")
        if "status" in changes:
            # A status change goes through the lead cycle's gates (SQL needs BANT), after the other
            # fields of the same edit, so BANT typed together with "SQL" counts.
            rest = dict(changes)
            status = str(rest.pop("status"))
            if status not in LIFECYCLE:
                raise InvalidValue(f"unknown status {status!r}; use one of {', '.join(LIFECYCLE)}")
            if self.get_contact(contact_id).status != status:
                bant: dict[str, str] = {
                    k: str(rest[k])
                    for k in ("budget", "authority", "need", "timeline")
                    if k in rest
                }
                check_transition(
                    contact_id,
                    self.get_contact(contact_id).status,
                    status,
                    {**self._bant(contact_id), **bant},
                )
                if rest:
                    self.update_contact(contact_id, rest)
                self.set_status([contact_id], status)
            elif rest:
                self.update_contact(contact_id, rest)
            return self.get_contact(contact_id)
        current = self.conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
        if current is None:
            raise NotFound(f"no contact with id {contact_id}")
        before = {k: current[k] for k in changes if current[k] != changes[k]}
        if not before:
            return self.get_contact(contact_id)
        after = {k: changes[k] for k in before}
        before["updated_at"], after["updated_at"] = current["updated_at"], utc_now()
        with transaction(self.conn):
            op = history.begin_op(self.conn, "edit", f"Edit contact #{contact_id}", self.user)
            history.record(self.conn, op, "contacts", contact_id, before, after)
            sets = ", ".join(f"{k} = ?" for k in after)
            self.conn.execute(
                f"UPDATE contacts SET {sets} WHERE id = ?", [*after.values(), contact_id]
            )
            refresh_fts(self.conn, [contact_id])
        return self.get_contact(contact_id)

    def set_point(
        self, contact_id: int, kind: str, raw: str, *, replace: str | None = None
    ) -> PointEdit:
        """Set a contact's shown email or phone (kept with its reason when invalid); undoable.

        `also_on` names another live contact with the same email: a warning, not a refusal."""
        with transaction(self.conn):
            return edit_points.set_point(
                self.conn,
                contact_id,
                kind,
                raw,
                replace=replace,
                user=self.user,
                default_region=self.default_region,
            )

    def set_company(self, contact_id: int, name: str) -> CompanyEdit:
        """Link a contact to the company of that name (created when new; empty unlinks); undoable."""
        with transaction(self.conn):
            return edit_points.set_company(self.conn, contact_id, name, user=self.user)

    def _bant(self, contact_id: int) -> dict[str, str]:
        row = self.conn.execute(
            "SELECT budget, authority, need, timeline FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        return {k: row[k] for k in ("budget", "authority", "need", "timeline")} if row else {}

    def delete_contacts(self, ids: Sequence[int]) -> int:
        """Soft-delete contacts (undoable); returns how many were deleted."""
        if len(ids) > 1:
            self.backup_now(
                "bulk-delete"
            )  # destructive in bulk: a copy first, outside the transaction
        now = utc_now()
        n = 0
        with transaction(self.conn):
            op = history.begin_op(self.conn, "delete", f"Delete {len(ids)} contact(s)", self.user)
            for cid in ids:
                row = self.conn.execute(
                    "SELECT deleted_at, updated_at FROM contacts WHERE id = ?", (cid,)
                ).fetchone()
                if row is None or row[0] is not None:
                    continue
                history.record(
                    self.conn,
                    op,
                    "contacts",
                    cid,
                    {"deleted_at": None, "updated_at": row[1]},
                    {"deleted_at": now, "updated_at": now},
                )
                self.conn.execute(
                    "UPDATE contacts SET deleted_at = ?, updated_at = ? WHERE id = ?",
                    (now, now, cid),
                )
                self.conn.execute("DELETE FROM contacts_fts WHERE rowid = ?", (cid,))
                n += 1
        return n

    def undo(self) -> UndoResult | None:
        """Undo the most recent operation (an import as a whole, an edit, a delete…)."""
        op = history.last_undoable(self.conn)
        if op is None:
            return None
        if op.kind == "import":
            self.backup_now("undo-import")
        with transaction(self.conn):
            touched = history.revert_changes(self.conn, op.id)
            if op.import_id is not None and op.kind in ("import", "add"):
                touched |= self._undo_import_rows(op.import_id)
            history.mark_undone(self.conn, op.id)
            history.push_redo(self.conn, op.id)
            refresh_fts(self.conn, sorted(touched))
        return UndoResult(op.id, op.kind, op.label, tuple(sorted(touched)))

    def redo(self) -> UndoResult | None:
        """Redo the most recently undone operation, unless something was recorded since.

        An import's undo deleted the rows it created (nothing of them is kept to re-create them
        from), so redoing an import or a hand entry is refused with what to do instead."""
        op = history.next_redo(self.conn)
        if op is None:
            return None
        if op.import_id is not None:
            row = self.conn.execute(
                "SELECT file_name FROM imports WHERE id = ?", (op.import_id,)
            ).fetchone()
            if op.kind == "add":
                raise history.RedoRefused("Can't redo adding a contact — add it again.")
            name = f" ({row[0]})" if row else ""
            raise history.RedoRefused(f"Can't redo an import — import the file again{name}.")
        with transaction(self.conn):
            touched = history.reapply_changes(self.conn, op.id)
            history.mark_redone(self.conn, op.id)
            refresh_fts(self.conn, sorted(touched))
        return UndoResult(op.id, op.kind, op.label, tuple(sorted(touched)))

    def next_undo(self) -> history.Operation | None:
        """What `undo` would revert (for "Undo <what>" labels)."""
        return history.last_undoable(self.conn)

    def step_size(self, op: history.Operation) -> int:
        """How many rows undoing (or redoing) `op` touches (history.step_size)."""
        return history.step_size(self.conn, op)

    def next_redo(self) -> history.Operation | None:
        """What `redo` would re-apply (for "Redo <what>" labels)."""
        return history.next_redo(self.conn)

    def _undo_import_rows(self, import_id: int) -> set[int]:
        q = self.conn.execute
        touched = {
            r[0]
            for r in q(
                "SELECT DISTINCT contact_id FROM contact_sources WHERE import_id = ?", (import_id,)
            )
        }
        created = {r[0] for r in q("SELECT id FROM contacts WHERE import_id = ?", (import_id,))}
        q("DELETE FROM contact_points WHERE import_id = ?", (import_id,))
        q("DELETE FROM contact_sources WHERE import_id = ?", (import_id,))
        q("DELETE FROM contact_tags WHERE import_id = ?", (import_id,))
        q("DELETE FROM list_members WHERE import_id = ?", (import_id,))
        for cid in created:
            q("DELETE FROM contacts_fts WHERE rowid = ?", (cid,))
        q("DELETE FROM contacts WHERE import_id = ?", (import_id,))
        q(
            """DELETE FROM companies WHERE import_id = ?
               AND id NOT IN (SELECT company_id FROM contacts WHERE company_id IS NOT NULL)""",
            (import_id,),
        )
        q("UPDATE imports SET status = 'undone' WHERE id = ?", (import_id,))
        return touched - created

    # -- exporting -----------------------------------------------------------------------------
    def presets(self) -> dict[str, Preset]:
        """Every export preset, with this book's picklist overrides applied."""
        overrides = self.setting("export_overrides")
        return load_presets(json.loads(overrides) if overrides else None)

    def export_selection(
        self, f: ContactFilter, preset: str, *, only_new: bool = False
    ) -> ContactFilter:
        """The filter an export really uses: never do-not-contact or suppressed people."""
        return replace(
            f,
            exclude_do_not_contact=True,
            not_exported_to=preset if only_new else f.not_exported_to,
        )

    def export(
        self,
        preset_name: str,
        out: Path | str,
        f: ContactFilter = ContactFilter(),
        *,
        only_new: bool = False,
        skip_invalid: bool = True,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> ExportResult:
        """Write the selected contacts with a preset, atomically, and record what went out."""
        presets = self.presets()
        if preset_name not in presets:
            raise InvalidValue(
                f"unknown format {preset_name!r}; use one of {', '.join(sorted(presets))}"
            )
        preset = presets[preset_name]
        selection = self.export_selection(f, preset_name, only_new=only_new)
        # A big export's workers load while the snapshot is taken (app/export/parallel.py).
        selective = (
            bool(f.search.strip() or f.list_name or f.tag or f.ids) or f.import_id is not None
        )
        pool = early_pool(preset, self.conn, selective) if streams_apart(preset) else None
        try:
            ids = self.snapshot(selection)
            excluded = self.export_exclusions()
            contacts = BookContacts(self.conn, ids, excluded)  # CSV presets stream flat rows
            result = write_export(
                preset,
                contacts,
                Path(out),
                skip_invalid=skip_invalid,
                progress=progress,
                cancelled=cancelled,
                total=len(ids),
                extra_keys=self.extra_keys(selection) if preset.layout else (),
                pool=pool,
            )
        finally:
            if pool is not None:
                pool.abort()  # nothing when the export used and ended it
        skipped = {p.contact_id for p in result.skipped}
        written = [i for i in ids if i not in skipped and i not in excluded]
        with transaction(self.conn):
            cur = self.conn.execute(
                """INSERT INTO exports(preset, file_name, files, rows, skipped, selection, user, at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    preset_name,
                    Path(out).name,
                    json.dumps([str(p) for p in result.files]),
                    result.rows,
                    len(skipped),
                    json.dumps(asdict(f), default=list),
                    self.user,
                    utc_now(),
                ),
            )
            export_id = int(cur.lastrowid or 0)
            # Ids as JSON arrays through json_each: half the CPU of executemany's per-row binding
            # (~2 s less for a million rows); batches keep each statement's text bounded.
            for start in range(0, len(written), 100_000):
                self.conn.execute(
                    """INSERT INTO export_members(export_id, contact_id)
                       SELECT ?, value FROM json_each(?)""",
                    (export_id, json.dumps(written[start : start + 100_000])),
                )
        return result

    def exports(self, limit: int = 100) -> list[dict[str, object]]:
        """The export history, newest first: when, preset, how many, file name."""
        return [
            {
                "id": r[0],
                "preset": r[1],
                "file": r[2],
                "rows": r[3],
                "skipped": r[4],
                "user": r[5],
                "at": r[6],
            }
            for r in self.conn.execute(
                "SELECT id, preset, file_name, rows, skipped, user, at FROM exports ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        ]

    def _iter_ids(self, ids: Sequence[int], batch: int = 1000) -> Iterator[Contact]:
        for start in range(0, len(ids), batch):
            chunk = list(ids[start : start + batch])
            loaded = load_contacts(self.conn, chunk)
            for i in chunk:
                if i in loaded:
                    yield loaded[i]

    def history(self, limit: int = 100) -> list[history.Operation]:
        """The operations log, newest first."""
        return history.list_operations(self.conn, limit)
