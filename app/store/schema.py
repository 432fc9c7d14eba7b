"""Numbered schema migrations. Append new ones; never edit a migration that has shipped."""

from __future__ import annotations

_V1 = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    file_path TEXT NOT NULL DEFAULT '',
    file_hash TEXT NOT NULL DEFAULT '',
    file_size INTEGER NOT NULL DEFAULT 0,
    format TEXT NOT NULL DEFAULT '',
    encoding TEXT NOT NULL DEFAULT '',
    delimiter TEXT NOT NULL DEFAULT '',
    layout TEXT NOT NULL DEFAULT '',
    headers TEXT NOT NULL DEFAULT '[]',
    mapping TEXT NOT NULL DEFAULT '{}',
    rows INTEGER NOT NULL DEFAULT 0,
    added INTEGER NOT NULL DEFAULT 0,
    merged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    invalid INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'running',
    on_duplicate TEXT NOT NULL DEFAULT 'merge',
    source_label TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    list_name TEXT NOT NULL DEFAULT '',
    cost REAL,
    user TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE TABLE companies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    name_norm TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    employees INTEGER,
    annual_revenue REAL,
    phone TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    import_id INTEGER REFERENCES imports(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX companies_name_norm ON companies(name_norm);
CREATE INDEX companies_domain ON companies(domain) WHERE domain != '';
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    prefix TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL DEFAULT '',
    middle_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    job_title TEXT NOT NULL DEFAULT '',
    seniority TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    company_id INTEGER REFERENCES companies(id),
    street TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    lead_source TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'New',
    score INTEGER,
    grade TEXT NOT NULL DEFAULT '',
    budget TEXT NOT NULL DEFAULT '',
    authority TEXT NOT NULL DEFAULT '',
    need TEXT NOT NULL DEFAULT '',
    timeline TEXT NOT NULL DEFAULT '',
    legal_basis TEXT NOT NULL DEFAULT '',
    collected_at TEXT NOT NULL DEFAULT '',
    review_state TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    do_not_contact INTEGER NOT NULL DEFAULT 0,
    dnc_reason TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}',
    import_id INTEGER REFERENCES imports(id),
    created_by TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    merged_into INTEGER REFERENCES contacts(id),
    deleted_at TEXT
);
CREATE INDEX contacts_import ON contacts(import_id);
-- Covering indexes for the table's id snapshot: live contacts in id order and in name order.
CREATE INDEX contacts_live ON contacts(merged_into, deleted_at);
CREATE INDEX contacts_name ON contacts(
    merged_into, deleted_at, last_name COLLATE NOCASE, first_name COLLATE NOCASE
);
CREATE INDEX contacts_status ON contacts(status);
CREATE INDEX contacts_company ON contacts(company_id);
CREATE INDEX contacts_merged_into ON contacts(merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE contact_points (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    raw TEXT NOT NULL,
    value TEXT,
    label TEXT NOT NULL DEFAULT '',
    is_primary INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'unchecked',
    reason TEXT NOT NULL DEFAULT '',
    import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX points_contact ON contact_points(contact_id);
-- Covering for exact-duplicate lookups and for grouping shared values (dedupe).
CREATE INDEX points_key ON contact_points(kind, value, contact_id) WHERE value IS NOT NULL;
CREATE INDEX points_import ON contact_points(import_id) WHERE import_id IS NOT NULL;
CREATE TABLE contact_sources (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    row_number INTEGER,
    action TEXT NOT NULL DEFAULT 'added',
    raw TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX sources_contact ON contact_sources(contact_id);
CREATE INDEX sources_import ON contact_sources(import_id);
CREATE TABLE import_issues (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
    row_number INTEGER,
    column_name TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL,
    severity TEXT NOT NULL DEFAULT 'warning'
);
CREATE INDEX issues_import ON import_issues(import_id);
CREATE TABLE operations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    import_id INTEGER REFERENCES imports(id),
    undone_at TEXT
);
CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    op_id INTEGER NOT NULL REFERENCES operations(id),
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX changes_op ON changes(op_id);
CREATE INDEX changes_row ON changes(table_name, row_id);
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);
CREATE TABLE contact_tags (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    origin TEXT NOT NULL DEFAULT 'manual',
    import_id INTEGER REFERENCES imports(id),
    PRIMARY KEY (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag_id);
CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    cost REAL,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE list_members (
    list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    import_id INTEGER REFERENCES imports(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (list_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX list_members_contact ON list_members(contact_id);
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name, emails, company, title,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
)
"""

from app.store import m002_dedupe, m003_audience, m004_export, m005_privacy  # noqa: E402

# Each area owns its migration module; the order here is the order books are upgraded in.
MIGRATIONS: tuple[str, ...] = (
    _V1,
    m002_dedupe.SQL,
    m003_audience.SQL,
    m004_export.SQL,
    m005_privacy.SQL,
)
