"""The stable JSON shapes of DESIGN §8: what `--json` prints and scripts rely on."""

from __future__ import annotations

from app.contact import Contact


def contact_json(c: Contact) -> dict[str, object]:
    """A contact as `show --json` and `list --json` print it."""
    return {
        "id": c.id,
        "prefix": c.prefix,
        "first_name": c.first_name,
        "middle_name": c.middle_name,
        "last_name": c.last_name,
        "suffix": c.suffix,
        "company": c.company.name,
        "company_domain": c.company.domain,
        "job_title": c.job_title,
        "seniority": c.seniority,
        "department": c.department,
        "city": c.city,
        "country": c.country,
        "linkedin_url": c.linkedin_url or None,
        "emails": [
            {"value": p.value, "raw": p.raw, "status": p.status, "reason": p.reason}
            for p in c.emails
        ],
        "phones": [
            {
                "e164": p.value,
                "raw": p.raw,
                "status": p.status,
                "label": p.label,
                "reason": p.reason,
            }
            for p in c.phones
        ],
        "tags": list(c.tags),
        "lists": list(c.lists),
        "status": c.status,
        "score": c.score,
        "lead_source": c.lead_source,
        "legal_basis": c.legal_basis,
        "sources": [{"import_id": s.import_id, "file": s.file, "row": s.row} for s in c.sources],
        "extra": dict(c.extra),
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }
