"""Schema migration 003 (audience). Owned by the audience area; appended to MIGRATIONS in schema.py."""

from __future__ import annotations

# companies.size_range / industry_norm are derived from employees / industry (which keep what the
# user imported); audience_scores holds the per-audience fit so several audiences can coexist.
SQL = """
ALTER TABLE companies ADD COLUMN size_range TEXT NOT NULL DEFAULT '';
ALTER TABLE companies ADD COLUMN industry_norm TEXT NOT NULL DEFAULT '';
CREATE INDEX companies_industry_norm ON companies(industry_norm) WHERE industry_norm != '';
CREATE INDEX contacts_seniority ON contacts(seniority) WHERE seniority != '';
CREATE INDEX contacts_review_state ON contacts(review_state);
CREATE INDEX points_kind_status ON contact_points(kind, status, contact_id);
CREATE TABLE audiences (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    criteria TEXT NOT NULL DEFAULT '{}',
    weights TEXT NOT NULL DEFAULT '{}',
    threshold INTEGER NOT NULL DEFAULT 70,
    auto_apply INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE audience_scores (
    audience_id INTEGER NOT NULL REFERENCES audiences(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    grade TEXT NOT NULL,
    matched INTEGER NOT NULL,
    PRIMARY KEY (audience_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX audience_scores_contact ON audience_scores(contact_id);
CREATE TABLE lifecycle_events (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    op_id INTEGER REFERENCES operations(id)
);
CREATE INDEX lifecycle_events_contact ON lifecycle_events(contact_id);
CREATE TABLE smart_lists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    definition TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
)
"""
