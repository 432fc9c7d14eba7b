"""LeadBook methods for one area: Audiences, scoring, lifecycle, lists, tags and review (issue 5)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from app import audience as aud
from app import economics as econ
from app import firmographics as firmo
from app import lifecycle, review, tags
from app.audience_apply import ApplyResult, apply_audience
from app.book_base import BookBase, RowCheck
from app.clean.title import TitleRules
from app.errors import NotFound
from app.ingest import InsertTitles
from app.jobs import Cancelled, Progress, never_cancelled, no_progress
from app.query import ContactFilter
from app.store import history
from app.store.db import transaction


class AudienceMixin(BookBase):
    """Audiences, scoring, lifecycle, lists, tags and review (issue 5)."""

    @contextmanager
    def _operation(self, kind: str, label: str) -> Iterator[int]:
        """A transaction with one undoable operation; dropped again if it changed nothing."""
        with transaction(self.conn):
            op = history.begin_op(self.conn, kind, label, self.user)
            yield op
            self.conn.execute(
                "DELETE FROM operations WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM changes WHERE op_id = ?)",
                (op, op),
            )

    def _all_live_ids(self) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM contacts WHERE merged_into IS NULL AND deleted_at IS NULL"
            )
        ]

    # -- the import hook --------------------------------------------------------------------------
    def import_checks(self) -> list[RowCheck]:
        """Also hand the import the book's title rules: new contacts are classified at insert."""
        rules = self.title_rules()

        def classify(title: str) -> tuple[str, str]:
            info = firmo.classify_title(title, rules)
            return info.seniority, info.department

        return [*super().import_checks(), InsertTitles(classify)]

    def before_import_commit(self, import_id: int, contact_ids: list[int]) -> None:
        """Fill titles and firmographics, then re-apply every auto-apply audience (import's rows)."""
        super().before_import_commit(import_id, contact_ids)
        conn = self.conn
        row = conn.execute(
            "SELECT id FROM operations WHERE import_id = ? ORDER BY id DESC LIMIT 1", (import_id,)
        ).fetchone()
        op = int(row[0])
        created = {
            r[0] for r in conn.execute("SELECT id FROM contacts WHERE import_id = ?", (import_id,))
        }
        # The import classified the contacts it created as it inserted them (InsertTitles,
        # from import_checks); the stored contacts it merged into are classified here.
        merged_into = [cid for cid in contact_ids if cid not in created]
        firmo.fill_titles(conn, merged_into, self.title_rules(), op, created)
        companies = firmo.company_ids_of(conn, contact_ids)
        texts = firmo.size_texts(conn, import_id, contact_ids)
        firmo.fill_companies(conn, companies, op, texts, created_by=import_id)
        for a in aud.list_audiences(conn):
            if a.auto_apply:
                apply_audience(
                    conn, a, op_id=op, user=self.user, ids=contact_ids, import_id=import_id
                )

    # -- title intelligence and firmographics -----------------------------------------------------
    def title_rules(self) -> TitleRules:
        """The title rules in force: the defaults with the book's own rules merged over them."""
        return firmo.rules_from_text(self.setting(firmo.TITLE_RULES_SETTING))

    def set_title_rules(self, text: str) -> None:
        """Store the user's own title rules (TOML or JSON, the schema of resources/titles.toml)."""
        if text.strip():
            firmo.parse_title_rules(text)
        self.set_setting(firmo.TITLE_RULES_SETTING, text)

    def classify_titles(self, ids: Sequence[int] | None = None) -> int:
        """Fill empty seniority/department from job titles (undoable); returns how many changed."""
        targets = list(ids) if ids is not None else self._all_live_ids()
        with self._operation("classify", "Classify job titles") as op:
            return firmo.fill_titles(self.conn, targets, self.title_rules(), op)

    def refresh_firmographics(self, ids: Sequence[int] | None = None) -> int:
        """Recompute company size ranges and standard industries for contacts' companies."""
        targets = list(ids) if ids is not None else self._all_live_ids()
        with self._operation("firmographics", "Size ranges and industries") as op:
            return firmo.fill_companies(self.conn, firmo.company_ids_of(self.conn, targets), op)

    # -- audiences --------------------------------------------------------------------------------
    def save_audience(
        self,
        name: str,
        criteria: aud.Criteria,
        weights: Mapping[str, int] | None = None,
        threshold: int = aud.DEFAULT_THRESHOLD,
        auto_apply: bool = True,
    ) -> aud.Audience:
        """Create or replace a saved audience."""
        with transaction(self.conn):
            return aud.save_audience(self.conn, name, criteria, weights, threshold, auto_apply)

    def audience(self, name: str) -> aud.Audience:
        """A saved audience by name (NotFound if none)."""
        return aud.get_audience(self.conn, name)

    def audiences(self) -> list[aud.Audience]:
        """Every saved audience."""
        return aud.list_audiences(self.conn)

    def count_matching(self, criteria: aud.Criteria) -> int:
        """How many live contacts match criteria (fast enough for a live count while editing)."""
        return aud.count_matching(self.conn, criteria)

    def apply_audience(self, name: str, ids: Sequence[int] | None = None) -> ApplyResult:
        """Score, tag and promote (New -> MQL over the threshold) contacts; undoable."""
        a = self.audience(name)
        with self._operation("audience", f"Apply audience {a.name}") as op:
            return apply_audience(self.conn, a, op_id=op, user=self.user, ids=ids)

    def explain_fit(self, name: str, contact_id: int) -> aud.Fit:
        """A contact's fit to an audience with the per-criterion breakdown."""
        return aud.explain(self.conn, self.audience(name), contact_id)

    # -- lifecycle --------------------------------------------------------------------------------
    def set_status(
        self,
        ids: Sequence[int],
        status: str,
        reason: str = "",
        bant: Mapping[str, str] | None = None,
        *,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> int:
        """Move contacts along the lead cycle (SQL needs BANT); all or nothing; undoable."""
        target = lifecycle.check_status(status)
        with self._operation("status", f"Set status {target} on {len(ids)} contact(s)") as op:
            return lifecycle.set_status(
                self.conn,
                ids,
                target,
                op_id=op,
                user=self.user,
                reason=reason,
                bant=bant,
                progress=progress,
                cancelled=cancelled,
            )

    def lifecycle_history(self, contact_id: int) -> list[lifecycle.LifecycleEvent]:
        """A contact's status changes, oldest first."""
        return lifecycle.lifecycle_history(self.conn, contact_id)

    # -- tags, lists, smart lists -----------------------------------------------------------------
    def add_tag(
        self,
        ids: Sequence[int],
        tag: str,
        *,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> int:
        """Tag contacts (undoable); returns how many were newly tagged."""
        with self._operation("tag", f"Tag {len(ids)} contact(s) {tag!r}") as op:
            return tags.add_tag(self.conn, ids, tag, op, progress, cancelled)

    def remove_tag(
        self,
        ids: Sequence[int],
        tag: str,
        *,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> int:
        """Untag contacts (undoable); returns how many lost the tag."""
        with self._operation("tag", f"Untag {len(ids)} contact(s) {tag!r}") as op:
            return tags.remove_tag(self.conn, ids, tag, op, progress, cancelled)

    def tag_names(self) -> list[str]:
        """Every tag's name, in order (no counts: tags() counts members, seconds at 1M)."""
        return [r[0] for r in self.conn.execute("SELECT name FROM tags ORDER BY name")]

    def list_names(self) -> list[str]:
        """Every list's name, in order."""
        return [r[0] for r in self.conn.execute("SELECT name FROM lists ORDER BY name")]

    def create_list(self, name: str, cost: float | None = None, notes: str = "") -> int:
        """Create a list (a sourcing project) with an optional cost."""
        with transaction(self.conn):
            return tags.create_list(self.conn, name, cost, notes)

    def set_list_cost(self, name: str, cost: float | None) -> None:
        """Record what a list cost."""
        with transaction(self.conn):
            tags.set_list_cost(self.conn, name, cost)

    def set_import_cost(self, import_id: int, cost: float | None) -> None:
        """Record what an imported file cost."""
        with transaction(self.conn):
            tags.set_import_cost(self.conn, import_id, cost)

    def add_to_list(
        self,
        ids: Sequence[int],
        name: str,
        *,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> int:
        """Add contacts to a list (undoable)."""
        with self._operation("list", f"Add {len(ids)} contact(s) to {name}") as op:
            return tags.add_to_list(self.conn, ids, name, op, progress, cancelled)

    def remove_from_list(
        self,
        ids: Sequence[int],
        name: str,
        *,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> int:
        """Take contacts off a list (undoable)."""
        with self._operation("list", f"Remove {len(ids)} contact(s) from {name}") as op:
            return tags.remove_from_list(self.conn, ids, name, op, progress, cancelled)

    def save_smart_list(self, name: str, f: ContactFilter) -> None:
        """Save a filter under a name."""
        with transaction(self.conn):
            tags.save_smart_list(self.conn, name, f)

    def smart_list(self, name: str) -> ContactFilter:
        """The filter saved under `name`."""
        return tags.smart_list(self.conn, name)

    def smart_lists(self) -> list[tuple[str, ContactFilter]]:
        """Every saved filter."""
        return tags.smart_lists(self.conn)

    # -- review -----------------------------------------------------------------------------------
    def review_session(self, f: review.ReviewFilter | None = None) -> review.ReviewSession:
        """A review pass over sourced contacts (accept, reject, skip, edit, note, progress)."""
        f = f or review.ReviewFilter()
        edit: Any = getattr(self, "update_contact", None)
        if edit is None:
            raise NotFound("this book cannot edit contacts")
        return review.ReviewSession(self.conn, f, self.user, edit)

    def review_progress(self, f: review.ReviewFilter | None = None) -> review.ReviewProgress:
        """Reviewed / total for a review filter."""
        return review.progress(self.conn, f or review.ReviewFilter())

    def accept_contact(self, contact_id: int) -> None:
        """Accept a lead in review (-> SAL)."""
        review.accept(self.conn, contact_id, self.user)

    def reject_contact(self, contact_id: int, reason: str, recycle: bool = False) -> None:
        """Reject a lead in review with a reason (-> Disqualified, or Recycled)."""
        review.reject(self.conn, contact_id, reason, self.user, recycle)

    def add_note(self, contact_id: int, text: str) -> str:
        """Append a signed, dated note to a contact."""
        return review.add_note(self.conn, contact_id, text, self.user)

    # -- economics --------------------------------------------------------------------------------
    def economics(
        self, list_name: str = "", import_id: int | None = None
    ) -> econ.Economics | dict[str, object]:
        """Cost per lead / valid-email lead / SAL / SQL for a list, an import, or every list."""
        if list_name:
            return econ.list_economics(self.conn, list_name)
        if import_id is not None:
            return econ.import_economics(self.conn, import_id)
        return econ.book_economics(self.conn)
