"""LeadBook methods for one area: Duplicates: find, review, merge and unmerge (issue 4)."""

from __future__ import annotations

from app.book_base import BookBase


class DedupeMixin(BookBase):
    """Duplicates: find, review, merge and unmerge (issue 4)."""
