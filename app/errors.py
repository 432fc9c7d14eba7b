"""Typed errors that carry what a user needs to act: file, row, column, value and what to do."""

from __future__ import annotations

from dataclasses import dataclass


class LeadsmithError(Exception):
    """Base of every error a front end turns into a message (never a traceback)."""

    def user_message(self) -> str:
        """One line for a status bar, a dialog or stderr."""
        return str(self)


class JobCancelled(LeadsmithError):
    """A long job saw `cancelled()` return True and rolled back everything it had written."""

    def __init__(self, message: str = "Cancelled: nothing was changed.") -> None:
        super().__init__(message)


@dataclass
class InvalidFile(LeadsmithError):
    """A file could not be read as contacts; names the file and, where known, row and column."""

    path: str
    message: str
    row: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.user_message())

    def user_message(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self.user_message()


class ImportFailed(LeadsmithError):
    """An import stopped; the book is exactly as it was before it started."""


class BookError(LeadsmithError):
    """The book file cannot be opened or is not a Leadsmith book."""


class NotFound(LeadsmithError):
    """No contact (or list, tag, import…) with that id or name."""


class InvalidValue(LeadsmithError):
    """A value a user typed or passed on the command line is not acceptable."""
