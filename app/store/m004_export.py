"""Schema migration 004 (export). Owned by the export area; appended to MIGRATIONS in schema.py."""

from __future__ import annotations

SQL = """
CREATE TABLE IF NOT EXISTS _migration_004_placeholder (id INTEGER PRIMARY KEY)
"""
