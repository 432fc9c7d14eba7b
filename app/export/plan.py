"""An export's preflight without writing it: the flat path's rows, problems and counts.

The desktop's Export dialog works an export out before it is written (preview rows, what the
target would reject, how many rows and files). Through Contact objects that took minutes for a
million contacts; for the CSV presets the chunked renderer of the writer gives the same rows and
problems from flat SQL rows (tests/app/export/test_export_plan.py holds the two together).
Checking a million contacts still takes half a minute, so the plan is told (`on_preview`) as soon as
its preview rows are in: the dialog shows them, and lets the user export, while the rest is checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from app.export.chunked import ChunkRenderer
from app.export.flat import Points
from app.export.preflight import ERROR, RowProblem
from app.export.presets import Preset
from app.export.source import ID_CHUNK, BookContacts
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress


@dataclass
class FlatPlan:
    """What an export of a CSV preset would write, worked out from flat rows."""

    checked: int = 0  # ids of the snapshot gone through
    looked: int = 0  # contacts of those still in the book and not excluded
    invalid_emails: int = 0  # left out by "leave out invalid emails"
    rejected: int = 0  # contacts the target would reject (skipped)
    problems: list[RowProblem] = field(default_factory=list)  # the errors, up to max_problems
    warnings: int = 0  # warnings of every contact looked at, rejected ones included
    rows: int = 0  # rows that would be written
    preview: list[list[str]] = field(default_factory=list)  # the first rows, as written


def emails_invalid(points: Points) -> bool:
    """True when a contact has emails and none is usable (no email is not invalid).

    The rule of ContactFilter.exclude_invalid_email, on a flat row's email points."""
    emails = points[0]
    return bool(emails) and not any(p[1] and p[4] != "invalid" for p in emails)


def plan_flat(
    preset: Preset,
    contacts: BookContacts,
    *,
    leave_out_invalid_emails: bool = False,
    preview_rows: int = 20,
    max_problems: int = 1000,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    on_preview: Callable[[FlatPlan], None] | None = None,
    chunk: int = ID_CHUNK,
) -> FlatPlan:
    """Preflight the contacts for a CSV preset (`compiled.can_stream`): counts, errors, preview.

    `on_preview` is given a copy of the plan so far once, after the chunk (of `chunk` ids) that
    fills the preview, when contacts are left to check: the preview is final, the counts are not.
    """
    renderer = ChunkRenderer(preset)
    renderer.query.needs("email")  # "leave out invalid emails" looks at every email
    plan = FlatPlan()
    done, total = 0, len(contacts.ids)
    for pairs in renderer.query.chunks(contacts, chunk):
        check_cancelled(cancelled)
        plan.looked += len(pairs)
        if leave_out_invalid_emails:
            kept = [pair for pair in pairs if not emails_invalid(pair[1])]
            plan.invalid_emails += len(pairs) - len(kept)
            pairs = kept
        texts, found = renderer.render_texts(pairs)
        for k, problems in enumerate(found):
            if problems is not None:
                errors = [p for p in problems if p[3] == ERROR]
                plan.warnings += len(problems) - len(errors)
                if errors:
                    plan.rejected += 1
                    room = max(max_problems - len(plan.problems), 0)
                    cid = pairs[k][0][0]
                    plan.problems += [RowProblem(cid, *p) for p in errors[:room]]
                    continue
            plan.rows += 1
            if len(plan.preview) < preview_rows:
                plan.preview.append(list(texts[k]))
        done = plan.checked = min(done + chunk, total)
        progress(done, total)
        if on_preview is not None and done < total and len(plan.preview) >= preview_rows:
            on_preview(replace(plan, problems=list(plan.problems), preview=list(plan.preview)))
            on_preview = None
    check_cancelled(cancelled)
    return plan
