"""The flat preflight (the Export dialog's plan) finds what the Contact path finds, row for row."""

from __future__ import annotations

import pytest
from test_export_flat import varied  # noqa: F401  (fixture)

from app.book import LeadBook
from app.contact import Contact
from app.errors import JobCancelled
from app.export.plan import FlatPlan, plan_flat
from app.export.preflight import ERROR, contact_problems
from app.export.presets import row_values
from app.export.source import BookContacts
from app.query import ContactFilter

STREAMED = ["hubspot", "salesforce-wizard", "google-csv", "zoho"]


def _email_is_invalid(contact: Contact) -> bool:
    # ui/desktop/export_preview_model.email_is_invalid (the dialog's rule)
    emails = contact.emails
    return bool(emails) and not any(p.value and p.status != "invalid" for p in emails)


def _contact_plan(book: LeadBook, name: str, leave_out: bool) -> dict[str, object]:
    """What the dialog's plan_export works out through Contact objects."""
    preset = book.presets()[name]
    ids = book.snapshot(book.export_selection(ContactFilter(), name))
    plan: dict[str, object] = {"looked": 0, "invalid": 0, "rejected": 0, "warnings": 0}
    problems, preview, rows = [], [], 0
    for contact in BookContacts(book.conn, ids, book.export_exclusions()):
        plan["looked"] += 1  # type: ignore[operator]
        if leave_out and _email_is_invalid(contact):
            plan["invalid"] += 1  # type: ignore[operator]
            continue
        found = contact_problems(preset, contact)
        errors = [p for p in found if p.severity == ERROR]
        plan["warnings"] += len(found) - len(errors)  # type: ignore[operator]
        if errors:
            plan["rejected"] += 1  # type: ignore[operator]
            problems += errors
            continue
        rows += 1
        if len(preview) < 20:
            preview.append(row_values(preset, contact))
    return {**plan, "problems": problems[:1000], "rows": rows, "preview": preview}


@pytest.mark.parametrize("name", STREAMED)
@pytest.mark.parametrize("leave_out", [False, True])
def test_the_flat_plan_is_the_contact_plan(
    varied: LeadBook,  # noqa: F811
    name: str,
    leave_out: bool,
) -> None:
    ids = varied.snapshot(varied.export_selection(ContactFilter(), name))
    seen: list[tuple[int, int]] = []
    plan = plan_flat(
        varied.presets()[name],
        BookContacts(varied.conn, ids, varied.export_exclusions()),
        leave_out_invalid_emails=leave_out,
        progress=lambda done, total: seen.append((done, total)),
    )
    got = {
        "looked": plan.looked,
        "invalid": plan.invalid_emails,
        "rejected": plan.rejected,
        "warnings": plan.warnings,
        "problems": plan.problems,
        "rows": plan.rows,
        "preview": plan.preview,
    }
    assert got == _contact_plan(varied, name, leave_out)
    assert plan.rows > 20 and plan.rejected > 0 and (plan.invalid_emails > 0) == leave_out
    assert seen[-1] == (len(ids), len(ids))


def test_a_cancelled_plan_raises(varied: LeadBook) -> None:  # noqa: F811
    ids = varied.snapshot(ContactFilter())
    with pytest.raises(JobCancelled):
        plan_flat(
            varied.presets()["hubspot"], BookContacts(varied.conn, ids), cancelled=lambda: True
        )


@pytest.mark.parametrize("name", ["hubspot", "salesforce-wizard"])
def test_the_preview_is_handed_out_before_the_check_ends(
    varied: LeadBook,  # noqa: F811
    name: str,
) -> None:
    preset, excluded = varied.presets()[name], varied.export_exclusions()
    ids = varied.snapshot(varied.export_selection(ContactFilter(), name))
    contacts = BookContacts(varied.conn, ids, excluded)
    whole = plan_flat(preset, contacts, leave_out_invalid_emails=True)
    early: list[FlatPlan] = []
    plan = plan_flat(
        preset, contacts, leave_out_invalid_emails=True, chunk=10, on_preview=early.append
    )
    assert plan == whole  # handing out the preview changes nothing of the plan
    [first] = early
    assert first.preview == whole.preview and len(first.preview) == 20
    assert 20 <= first.checked < len(ids) and first.checked % 10 == 0
    # Its counts are those of the contacts checked so far, exactly.
    head = plan_flat(
        preset,
        BookContacts(varied.conn, ids[: first.checked], excluded),
        leave_out_invalid_emails=True,
    )
    assert first == head


def test_no_preview_is_handed_out_when_the_check_ends_with_it(varied: LeadBook) -> None:  # noqa: F811
    ids = varied.snapshot(ContactFilter())
    early: list[FlatPlan] = []
    plan_flat(varied.presets()["hubspot"], BookContacts(varied.conn, ids), on_preview=early.append)
    assert early == []  # one chunk of 1,000 ids holds the whole book: the plan comes whole
