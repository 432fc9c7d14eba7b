"""LeadBook methods for duplicates: find, review, merge and unmerge (issue 4).

The logic lives in app/dedupe/; these methods add the book's settings, user and transactions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.book_base import BookBase
from app.clean.company import normalize_company
from app.clean.email import check_email
from app.contact import Contact
from app.dedupe.groups import DuplicateGroup, build_groups, pairs_for, score_all
from app.dedupe.keys import Table, load_table
from app.dedupe.merge import MergeRefused, merge_contacts
from app.dedupe.score import (
    DEFAULT_AUTO_SCORE,
    DEFAULT_MIN_SCORE,
    SAME_EMAIL,
    SAME_LINKEDIN,
    SAME_PHONE,
)
from app.dedupe.unmerge import unmerge
from app.errors import InvalidValue
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.store import history
from app.store.db import transaction, utc_now

AUTO_SCORE_SETTING = "dedupe_auto_score"
MIN_SCORE_SETTING = "dedupe_min_score"


@dataclass(frozen=True)
class MergeOutcome:
    """What `apply_duplicates` merged and what it left for a person to decide."""

    merged: tuple[DuplicateGroup, ...]
    refused: tuple[tuple[DuplicateGroup, str], ...]


def _check_score(value: int, what: str) -> int:
    if not 0 <= int(value) <= 100:
        raise InvalidValue(f"{what} must be between 0 and 100, got {value}")
    return int(value)


class DedupeMixin(BookBase):
    """Duplicates: find, review, merge and unmerge (issue 4)."""

    # -- thresholds (book settings) ---------------------------------------------------------
    @property
    def auto_merge_score(self) -> int:
        """Pairs scoring at least this are certain and merge automatically (default 95)."""
        return int(self.setting(AUTO_SCORE_SETTING, str(DEFAULT_AUTO_SCORE)))

    @auto_merge_score.setter
    def auto_merge_score(self, value: int) -> None:
        self.set_setting(AUTO_SCORE_SETTING, str(_check_score(value, "the auto-merge score")))

    @property
    def review_min_score(self) -> int:
        """Pairs scoring at least this (and below the auto-merge score) go to the review queue."""
        return int(self.setting(MIN_SCORE_SETTING, str(DEFAULT_MIN_SCORE)))

    @review_min_score.setter
    def review_min_score(self, value: int) -> None:
        self.set_setting(MIN_SCORE_SETTING, str(_check_score(value, "the review score")))

    # -- finding ----------------------------------------------------------------------------
    def find_duplicates(
        self,
        min_score: int | None = None,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> list[DuplicateGroup]:
        """Every group of live contacts that look like one person, strongest first."""
        floor = (
            self.review_min_score if min_score is None else _check_score(min_score, "--min-score")
        )
        pairs = score_all(self.conn, floor, progress, cancelled)
        try:
            return build_groups(pairs, self.auto_merge_score)
        finally:
            pairs.table.release()  # the groups hold their reasons: the table is done with

    def review_queue(self) -> list[DuplicateGroup]:
        """The uncertain groups a person should look at (certain ones merge automatically)."""
        return [g for g in self.find_duplicates() if not g.certain]

    def duplicates_of(self, contact: Contact) -> list[tuple[int, int, tuple[str, ...]]]:
        """Live contacts that may be this (possibly unsaved) one: (id, score, reasons), best first.

        Exact keys and fuzzy names, for the form's live warning: only a few indexed queries."""
        q = self.conn.execute
        flags: dict[int, int] = {}
        for p in contact.points:
            if not p.value or p.status == "invalid":
                continue
            flag = {"email": SAME_EMAIL, "phone": SAME_PHONE}.get(p.kind, 0)
            if p.kind == "url" and p.label == "linkedin":
                flag = SAME_LINKEDIN
            if not flag:
                continue
            hits = [int(r[0]) for r in q(
                "SELECT DISTINCT contact_id FROM contact_points WHERE kind = ? AND value = ? LIMIT 5",
                (p.kind, p.value),
            )]  # fmt: skip
            if flag == SAME_PHONE and len(hits) > 3:
                continue  # a switchboard
            if flag == SAME_EMAIL and check_email(p.value).is_role:
                continue
            for cid in hits:
                flags[cid] = flags.get(cid, 0) | flag
        where = ["c.id IN (SELECT value FROM json_each(?))"]
        params: list[object] = [json.dumps(sorted(flags))]
        if contact.last_name:
            where.append("c.last_name = ? COLLATE NOCASE")
            params.append(contact.last_name)
            if contact.first_name:  # the same person with first and last name swapped
                where.append("(c.last_name = ? COLLATE NOCASE AND c.first_name = ? COLLATE NOCASE)")
                params += [contact.first_name, contact.last_name]
        if contact.company.name and (contact.last_name or contact.first_name):
            where.append(
                "(c.company_id IN (SELECT id FROM companies WHERE name_norm = ?)"
                " AND substr(c.last_name, 1, 1) = ? COLLATE NOCASE)"
            )
            params += [
                normalize_company(contact.company.name),
                (contact.last_name or contact.first_name)[:1],
            ]
        emails = " ".join(
            p.value
            for p in contact.points
            if p.kind == "email" and p.value and p.status != "invalid"
        )
        probe = Table()
        probe.append((
            0, contact.first_name, contact.last_name,
            normalize_company(contact.company.name) if contact.company.name else "",
            contact.city, contact.job_title, contact.country,
        ))  # fmt: skip
        for value in emails.split():
            probe.add_point(0, "email", value)
        if contact.linkedin_url:
            probe.add_point(0, "url", contact.linkedin_url)
        load_table(self.conn, " OR ".join(where), tuple(params), into=probe)
        floor = self.review_min_score
        return [
            (cid, s, r)
            for cid, s, r in pairs_for(probe, 0, flags)
            if cid != contact.id and s >= floor
        ]

    # -- deciding ---------------------------------------------------------------------------
    def mark_not_duplicate(self, a: int, b: int, *more: int) -> int:
        """Remember that these contacts are different people; returns how many pairs were stored."""
        ids = sorted({a, b, *more})
        if len(ids) < 2:
            raise InvalidValue("give two different contacts")
        now = utc_now()
        pairs = [(x, y) for n, x in enumerate(ids) for y in ids[n + 1 :]]
        with transaction(self.conn):
            # An operation of its own, so Ctrl+Z after "Not a duplicate" undoes exactly that.
            op = history.begin_op(
                self.conn,
                "not-duplicate",
                f"Not duplicates: {', '.join(f'#{i}' for i in ids)}",
                self.user,
            )
            for x, y in pairs:
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO dedupe_rejections(a, b, user, at) VALUES (?, ?, ?, ?)",
                    (x, y, self.user, now),
                )
                if cur.rowcount:
                    history.record(self.conn, op, "dedupe_rejections", x, None, {"a": x, "b": y})
        return len(pairs)

    def merge_contacts(
        self,
        survivor: int,
        others: Sequence[int],
        choices: Mapping[str, int] | None = None,
        confirm: bool = False,
    ) -> int:
        """Merge `others` into `survivor` (undoable); returns the history operation id."""
        with transaction(self.conn):
            return merge_contacts(self.conn, survivor, others, self.user, choices, confirm)

    def unmerge(self, contact_id: int) -> list[int]:
        """Revert the merge this contact took part in; returns the restored ids, survivor first."""
        with transaction(self.conn):
            _, restored = unmerge(self.conn, contact_id, self.user)
        return restored

    def apply_duplicates(
        self,
        groups: Sequence[DuplicateGroup] | None = None,
        progress: Progress = no_progress,
        cancelled: Cancelled = never_cancelled,
    ) -> MergeOutcome:
        """Merge every certain group (into its lowest id); guarded groups are left for review."""
        if groups is None:
            groups = self.find_duplicates(progress=progress, cancelled=cancelled)
        merged: list[DuplicateGroup] = []
        refused: list[tuple[DuplicateGroup, str]] = []
        for g in groups:
            if not g.certain:
                continue
            check_cancelled(cancelled)
            try:
                self.merge_contacts(g.ids[0], g.ids[1:])
            except MergeRefused as exc:
                refused.append((g, str(exc)))
            else:
                merged.append(g)
        return MergeOutcome(tuple(merged), tuple(refused))
