"""The protocol of long work: `fn(..., progress, cancelled)`, as in Orange3 and STYLE.md."""

from __future__ import annotations

from collections.abc import Callable

from app.errors import JobCancelled

Progress = Callable[[int, int], None]
"""Called per chunk with (done, total); total is 0 when unknown."""

Cancelled = Callable[[], bool]
"""Polled per chunk; True means stop, roll back and raise JobCancelled."""


def no_progress(done: int, total: int) -> None:
    """A progress callback that ignores its calls."""


def never_cancelled() -> bool:
    """A cancellation probe for work that cannot be cancelled."""
    return False


def check_cancelled(cancelled: Cancelled) -> None:
    """Raise JobCancelled when the caller asked to stop."""
    if cancelled():
        raise JobCancelled()
