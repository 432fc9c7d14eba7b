"""Schema migration 002 (dedupe). Owned by the dedupe area; appended to MIGRATIONS in schema.py."""

from __future__ import annotations

SQL = """
CREATE TABLE IF NOT EXISTS _migration_002_placeholder (id INTEGER PRIMARY KEY)
"""
