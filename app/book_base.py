"""The base every LeadBook part shares: the connection, the book's settings, who is working."""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Callable
from pathlib import Path

from app.contact import Contact
from app.errors import InvalidValue

RowCheck = Callable[[Contact], "str | None"]
"""Called for each cleaned row of an import: a returned reason skips the row (e.g. suppressed)."""

DEFAULT_REGION = "US"
LIFECYCLE = ("New", "MQL", "SAL", "SQL", "Opportunity", "Customer", "Recycled", "Disqualified")


class BookBase:
    """Connection and settings; the area mixins (dedupe, audience, privacy) build on it."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # Hooks the area mixins extend cooperatively (call super() and add to it).
    def import_checks(self) -> list[RowCheck]:
        """Checks every imported or hand-entered row must pass before it is added or merged."""
        return []

    def before_import_commit(self, import_id: int, contact_ids: list[int]) -> None:
        """Runs inside the import's transaction, after its rows are written (e.g. re-apply audiences)."""

    def export_exclusions(self) -> set[int]:
        """Contact ids an export must never write, whatever the selection (e.g. suppressed people)."""
        return set()

    # -- settings that belong to the book -------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        """A book setting (default region, user name…)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a book setting."""
        # Raw SQL, not sqlite-utils' upsert: that one wraps itself in `with conn:`, which would
        # commit a caller's open transaction halfway.
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def default_region(self) -> str:
        """The region phones without a country are read in (ISO 3166 alpha-2)."""
        return self.setting("default_region", DEFAULT_REGION)

    @default_region.setter
    def default_region(self, region: str) -> None:
        region = region.strip().upper()
        if len(region) != 2 or not region.isalpha():
            raise InvalidValue(
                f"region must be a two-letter country code such as GB, got {region!r}"
            )
        self.set_setting("default_region", region)

    @property
    def user(self) -> str:
        """Who is working: recorded with every import and change."""
        stored = self.setting("user")
        if stored:
            return stored
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return ""
