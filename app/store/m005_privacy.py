"""Schema migration 005 (privacy). Owned by the privacy area; appended to MIGRATIONS in schema.py."""

from __future__ import annotations

SQL = """
CREATE TABLE IF NOT EXISTS _migration_005_placeholder (id INTEGER PRIMARY KEY)
"""
