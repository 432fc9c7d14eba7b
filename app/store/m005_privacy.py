"""Schema migration 005 (privacy): the hashed suppression list and the erasure log."""

from __future__ import annotations

# suppression.hash is the SHA-256 (hex) of the normalized value: lower-cased email, E.164 phone,
# lower-case domain. The value itself is never stored, so the list can outlive an erasure.
# erasure_log holds no personal data: when, who, why and how many.
SQL = """
CREATE TABLE suppression (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'domain')),
    hash TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT 'manual',
    user TEXT NOT NULL DEFAULT '',
    added_at TEXT NOT NULL,
    UNIQUE (kind, hash)
);
CREATE TABLE erasure_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    contacts INTEGER NOT NULL DEFAULT 0,
    suppressed INTEGER NOT NULL DEFAULT 0
)
"""
