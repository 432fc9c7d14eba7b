"""Schema migration 002 (dedupe): remembered "not a duplicate" decisions and the merges made.

Appended to MIGRATIONS in schema.py. `dedupe_merges` lets `unmerge` find the operation that merged
a contact even when it is not the latest one; `dedupe_rejections` keeps a pair from being proposed
again (stored with a < b).
"""

from __future__ import annotations

SQL = """
CREATE TABLE dedupe_rejections (
    a INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    user TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE TABLE dedupe_merges (
    id INTEGER PRIMARY KEY,
    op_id INTEGER NOT NULL REFERENCES operations(id),
    survivor_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    merged_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    unmerge_op_id INTEGER REFERENCES operations(id),
    at TEXT NOT NULL
);
CREATE INDEX dedupe_merges_merged ON dedupe_merges(merged_id);
CREATE INDEX dedupe_merges_survivor ON dedupe_merges(survivor_id);
CREATE INDEX dedupe_merges_op ON dedupe_merges(op_id)
"""
