"""The contacts an export reads: a book's id snapshot, streamed as Contacts or as flat SQL rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from app.contact import Contact
from app.store.contacts import load_contacts

ID_CHUNK = 1000  # ids per SQL round trip: bounded memory, and well under SQLite's variable limit


@dataclass(frozen=True)
class BookContacts:
    """The contacts of `ids` (in that order) from a book, leaving out `excluded` ids.

    Iterating yields full Contacts (every writer can use them); the writer of a column-based preset
    reads `conn` and `ids` itself instead and streams only the columns it needs (app.export.flat).
    """

    conn: sqlite3.Connection
    ids: Sequence[int]
    excluded: frozenset[int] | set[int] = frozenset()

    def __iter__(self) -> Iterator[Contact]:
        for chunk in self.chunks():
            loaded = load_contacts(self.conn, chunk)
            for i in chunk:
                contact = loaded.get(i)
                if contact is not None:
                    yield contact

    def chunks(self, size: int = ID_CHUNK) -> Iterator[list[int]]:
        """The ids to export, `size` at a time, excluded ones already left out."""
        excluded = self.excluded
        for start in range(0, len(self.ids), size):
            chunk = self.ids[start : start + size]
            yield [i for i in chunk if i not in excluded] if excluded else list(chunk)
