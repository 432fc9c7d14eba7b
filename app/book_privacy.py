"""LeadBook methods for one area: Suppression, erasure, backups and provenance (issue 7)."""

from __future__ import annotations

from app.book_base import BookBase


class PrivacyMixin(BookBase):
    """Suppression, erasure, backups and provenance (issue 7)."""
