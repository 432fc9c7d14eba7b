"""Schema migration 003 (audience). Owned by the audience area; appended to MIGRATIONS in schema.py."""

from __future__ import annotations

SQL = """
CREATE TABLE IF NOT EXISTS _migration_003_placeholder (id INTEGER PRIMARY KEY)
"""
