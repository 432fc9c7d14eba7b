"""LeadBook methods for one area: Audiences, scoring, lifecycle, lists, tags and review (issue 5)."""

from __future__ import annotations

from app.book_base import BookBase


class AudienceMixin(BookBase):
    """Audiences, scoring, lifecycle, lists, tags and review (issue 5)."""
