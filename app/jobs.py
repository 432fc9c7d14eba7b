"""The protocol of long work: `fn(..., progress, cancelled)`, as in Orange3 and STYLE.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from app.errors import JobCancelled

T = TypeVar("T")

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


def each_reported(
    items: Sequence[T],
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    every: int = 1000,
) -> Iterator[T]:
    """The items in order; before each `every` of them cancel is checked, after them progress."""
    total = len(items)
    for start in range(0, total, every):
        check_cancelled(cancelled)
        yield from items[start : start + every]
        progress(min(start + every, total), total)
