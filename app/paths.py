"""Where the default book lives: the platform's user data folder, or $LEADSMITH_DB."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def default_book_path() -> Path:
    """$LEADSMITH_DB if set, else <user data folder>/Leadsmith/leadsmith.db."""
    env = os.environ.get("LEADSMITH_DB", "").strip()
    if env:
        return Path(env).expanduser()
    return user_data_path("Leadsmith", appauthor=False) / "leadsmith.db"
