"""Duplicates: blocking keys, pair scores with reasons, groups, merge and unmerge (issue 4)."""

from __future__ import annotations

from app.dedupe.groups import DuplicateGroup
from app.dedupe.merge import MergeRefused, UnmergeRefused

__all__ = ["DuplicateGroup", "MergeRefused", "UnmergeRefused"]
