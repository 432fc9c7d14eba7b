"""The table's selection as contact ids and back, in time that does not grow with the book.

A select-all of a million rows is one selection range. Asking Qt for its selected rows would
build a million QModelIndex objects in Python (seconds); reading the ranges and slicing the
model's id array costs a copy of the ids. Selecting ids again after a rebuild finds their rows in
one pass over the snapshot (not one search per id) and selects each run of rows as one range.
"""

from __future__ import annotations

from itertools import compress

from PySide6.QtCore import QItemSelection, QItemSelectionModel

from ui.desktop.contact_table_model import ContactTableModel

FEW = 16  # up to this many ids, each one's row is searched for on its own


def selected_spans(selection_model: QItemSelectionModel, columns: int) -> list[tuple[int, int]]:
    """The selected rows (whose every column is selected) as sorted, disjoint (top, bottom) spans."""
    spans: list[tuple[int, int]] = []
    selection = selection_model.selection()
    for i in range(selection.count()):
        r = selection.at(i)
        if r.left() != 0 or r.right() != columns - 1:
            # Some cells selected on their own (not this table's row selection): Qt's own way.
            rows = sorted(index.row() for index in selection_model.selectedRows())
            return [(row, row) for row in rows]
        spans.append((r.top(), r.bottom()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for top, bottom in spans:
        if merged and top <= merged[-1][1] + 1:
            if bottom > merged[-1][1]:
                merged[-1] = (merged[-1][0], bottom)
        else:
            merged.append((top, bottom))
    return merged


def selected_ids(selection_model: QItemSelectionModel, model: ContactTableModel) -> list[int]:
    """The ids of the selected rows, in table order: a slice of the snapshot per span."""
    ids = model.ids
    out: list[int] = []
    for top, bottom in selected_spans(selection_model, model.columnCount()):
        out.extend(ids[top : bottom + 1].tolist())
    return out


def rows_of(model: ContactTableModel, ids: list[int]) -> list[int]:
    """The rows these ids are on in the model's snapshot, in table order (absent ones left out)."""
    if len(ids) <= FEW:
        return sorted(r for r in map(model.row_of, ids) if r >= 0)
    wanted = set(ids)
    return list(compress(range(len(model.ids)), map(wanted.__contains__, model.ids)))


def row_ranges(model: ContactTableModel, rows: list[int]) -> QItemSelection:
    """Whole rows selected, each run of consecutive rows as one range."""
    selection = QItemSelection()
    last_column = model.columnCount() - 1
    if rows and rows[-1] - rows[0] + 1 == len(rows):  # one run (sorted, distinct rows)
        selection.select(model.index(rows[0], 0), model.index(rows[-1], last_column))
        return selection
    start = previous = None
    for r in [*rows, None]:
        if r is not None and previous is not None and r == previous + 1:
            previous = r
            continue
        if start is not None and previous is not None:
            selection.select(model.index(start, 0), model.index(previous, last_column))
        start = previous = r
    return selection
