"""The Qt binding keeps Python's reference counts straight on the item calls the app makes.

PySide6 6.12.0 released None once too often on every item `setData()` and `data()` call: after a
few thousand (a duplicate scan's group list, the export preview, the compare table) None's count
reached zero and the process aborted. pyproject.toml caps the binding below 6.12 for that; this
test fails on any binding with the bug, so the cap can be lifted once it passes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QListWidgetItem, QTableWidgetItem

ROLE = Qt.ItemDataRole.UserRole + 1
CALLS = 2_000

CASES: dict[str, Callable[[], object]] = {
    "QListWidgetItem.setData": lambda: QListWidgetItem("x").setData(ROLE, "valid"),
    "QListWidgetItem.data": lambda: QListWidgetItem("x").data(ROLE),
    "QTableWidgetItem.setData": lambda: QTableWidgetItem("x").setData(ROLE, "valid"),
    "QTableWidgetItem.data": lambda: QTableWidgetItem("x").data(ROLE),
    "QStandardItem.setData": lambda: QStandardItem("x").setData("valid", ROLE),
}


@pytest.mark.parametrize("name", CASES)
def test_item_calls_keep_none_alive(qapp, name: str) -> None:
    call = CASES[name]
    call()  # first-call caches (type objects, enum wrappers) settle before counting
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    # A correct binding leaves None's count where it was (give or take a few cached objects);
    # the broken one drops it by one per call.
    assert sys.getrefcount(None) - before > -CALLS // 10
