"""An export's preflight without writing it: the flat path's rows, problems and counts.

The desktop's Export dialog works an export out before it is written (preview rows, what the
target would reject, how many rows and files). Through Contact objects that took minutes for a
million contacts; for the CSV presets the chunked renderer of the writer gives the same rows and
problems from flat SQL rows (tests/app/export/test_export_plan.py holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.export.chunked import ChunkRenderer
from app.export.flat import Points
from app.export.preflight import ERROR, RowProblem
from app.export.presets import Preset
from app.export.source import ID_CHUNK, BookContacts
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress


@dataclass
class FlatPlan:
    """What an export of a CSV preset would write, worked out from flat rows."""

    looked: int = 0  # contacts of the snapshot still in the book and not excluded
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
) -> FlatPlan:
    """Preflight the contacts for a CSV preset (`compiled.can_stream`): counts, errors, preview."""
    renderer = ChunkRenderer(preset)
    renderer.query.needs("email")  # "leave out invalid emails" looks at every email
    plan = FlatPlan()
    done, total = 0, len(contacts.ids)
    for pairs in renderer.query.chunks(contacts):
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
        done = min(done + ID_CHUNK, total)
        progress(done, total)
    check_cancelled(cancelled)
    return plan
