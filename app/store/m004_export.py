"""Schema migration 004 (export): what went out, when, to which preset ("only new since last export")."""

from __future__ import annotations

SQL = """
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    preset TEXT NOT NULL,
    file_name TEXT NOT NULL,
    files TEXT NOT NULL DEFAULT '[]',
    rows INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    selection TEXT NOT NULL DEFAULT '{}',
    user TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE TABLE export_members (
    export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (export_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX export_members_contact ON export_members(contact_id)
"""
