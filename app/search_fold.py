"""Contacts' indexed text folded exactly as the book's FTS5 tokenizer folds it, to test in Python
whether a contact matches a search (app/search_order.py walks a sorted table with it).

The tokenizer (unicode61) classifies and folds each code point on its own: a character is part
of a token (folded to lower case, diacritics removed: maybe to nothing) or separates tokens. The
table of what each character folds to is learnt from the tokenizer itself, the first time the
character turns up, so the Python test agrees with the index wherever the text comes from.
"""

from __future__ import annotations

import re
import sqlite3
from typing import NamedTuple

import numpy as np

from app.query import search_words

SEPARATOR = "\n"  # what a character that separates tokens folds to
_PROBE, _PROBE_TERMS = "leadsmith_search_probe", "leadsmith_search_probe_terms"
# Plain ASCII the fast way (when the tokenizer folds ASCII so): lower-cased, then every byte
# that is not a letter or digit made a SEPARATOR in one C pass.
_ASCII_SEPARATORS = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalnum()),
    SEPARATOR.encode() * sum(not chr(c).isalnum() for c in range(128)),
)


class Folds:
    """What a tokenizer folds each character to, learnt from the tokenizer as characters turn up."""

    def __init__(self, option: str) -> None:
        self.option = option  # the tokenize option text of the book's index
        self.table: dict[int, str] = {}  # code point -> folded text or SEPARATOR (str.translate)
        self.known: set[str] = set()  # its characters (a set difference finds new ones at C speed)
        self.ascii_lower = False  # ASCII folds as str.lower, every non-alphanumeric separating

    def fold(self, conn: sqlite3.Connection, texts: list[str]) -> list[str]:
        """Each text folded: its tokens as the index holds them, SEPARATOR between."""
        wide = [t for t in texts if not (self.ascii_lower and t.isascii())]
        if wide:
            self.learn(conn, "".join(wide))
        table, plain = self.table, self.ascii_lower
        return [
            t.lower().encode().translate(_ASCII_SEPARATORS).decode()
            if plain and t.isascii()
            else t.translate(table)
            for t in texts
        ]

    def learn(self, conn: sqlite3.Connection, text: str) -> None:
        """Learn the characters of `text` not seen before: "x<c>x" indexed gives one term (c is
        part of a token: the term's middle is its fold, maybe nothing) or two (c separates)."""
        chars = set(text) - self.known
        if not chars:
            return
        tokenize = f", tokenize = {self.option}" if self.option else ""
        # Temp schema: per connection, in memory, nothing written to the book.
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_PROBE} "
            f"USING fts5(text, content = ''{tokenize})"
        )
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_PROBE_TERMS} "
            f"USING fts5vocab(temp, {_PROBE}, instance)"
        )
        probes = sorted(chars)
        outside = not conn.in_transaction
        conn.execute("SAVEPOINT leadsmith_search_probe")
        try:
            conn.executemany(
                f"INSERT INTO temp.{_PROBE}(rowid, text) VALUES (?, ?)",
                [(n, f"x{c}x") for n, c in enumerate(probes)],
            )
            terms: dict[int, list[str]] = {}
            for doc, term in conn.execute(
                f"SELECT doc, term FROM temp.{_PROBE_TERMS} ORDER BY doc, offset"
            ):
                terms.setdefault(doc, []).append(term)
            conn.execute(f"INSERT INTO temp.{_PROBE}({_PROBE}) VALUES ('delete-all')")
        except BaseException:
            conn.execute("ROLLBACK TO leadsmith_search_probe")  # no probe row left behind
            raise
        finally:
            conn.execute("RELEASE leadsmith_search_probe")
            if outside and conn.in_transaction:
                # A read lane's connection left in a transaction would read this version of
                # the book forever (an interrupt can land anywhere).
                conn.execute("ROLLBACK")
        for n, char in enumerate(probes):
            found = terms.get(n, [])
            self.table[ord(char)] = found[0][1:-1] if len(found) == 1 else SEPARATOR
        self.known.update(probes)


_FOLDS: dict[str, Folds] = {}  # per tokenizer option text


def folds_of(conn: sqlite3.Connection) -> Folds:
    """The fold table of the book index's tokenizer (shared by books with the same options)."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'contacts_fts'").fetchone()[0]
    found = re.search(r"tokenize\s*=\s*(\"[^\"]*\"|'[^']*')", sql)
    option = found.group(1) if found else ""
    folds = _FOLDS.get(option)
    if folds is None:
        folds = _FOLDS[option] = Folds(option)
        folds.learn(conn, "".join(map(chr, range(128))))
        folds.ascii_lower = all(
            folds.table[c] == (chr(c).lower() if chr(c).isalnum() else SEPARATOR)
            for c in range(128)
        )
    return folds


def search_patterns(
    conn: sqlite3.Connection, folds: Folds, search: str
) -> list[re.Pattern[str]] | None:
    """Per word of a search box text (app.query.search_words), a pattern finding a
    token that starts with it in a Block; None when a word does not fold to exactly one token
    (FTS5 would make a phrase of it: the Python test does not try)."""
    patterns = []
    for token in folds.fold(conn, search_words(search)):
        if not token or SEPARATOR in token:
            return None
        patterns.append(re.compile(SEPARATOR + re.escape(token)))
    return patterns


class Block(NamedTuple):
    """The folded texts of a run of contacts, one string (each text after a SEPARATOR), so a
    search word is found in all of them by one regex scan."""

    blob: str
    starts: np.ndarray  # where each contact's text starts in blob

    def matching(self, patterns: list[re.Pattern[str]]) -> list[int]:
        """The indexes (in the run) of the contacts with a token starting with every pattern's
        word."""
        hits: set[int] | None = None
        for pattern in patterns:
            at = np.fromiter((m.start() + 1 for m in pattern.finditer(self.blob)), np.int64)
            # (Not np.unique: its first call imports numpy.ma, 70 ms in a keystroke.)
            found = set((np.searchsorted(self.starts, at, side="right") - 1).tolist())
            hits = found if hits is None else hits & found
        return sorted(hits or ())


def has_indexed_text(conn: sqlite3.Connection) -> bool:
    """True when the book's FTS5 index keeps its own copy of the text (read_block reads it)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'contacts_fts_content'"
    ).fetchone()
    return found is not None


def read_block(conn: sqlite3.Connection, folds: Folds, ids: list[int]) -> Block:
    """The Block of these contacts (in this order) from the book's index content."""
    marks = ",".join("?" * len(ids))
    # The four indexed columns (name, emails, company, title) as one text: they are separate
    # columns in the index, so a SEPARATOR between them keeps their tokens apart.
    columns = f" || '{SEPARATOR}' || ".join(f"coalesce(c{n}, '')" for n in range(4))
    read = conn.execute(
        f"SELECT id, {columns} FROM contacts_fts_content WHERE id IN ({marks})", ids
    )
    read.row_factory = None
    raw = dict(read.fetchall())
    texts = folds.fold(conn, [raw.get(i, "") for i in ids])
    lengths = np.fromiter(map(len, texts), np.int64, len(texts)) + 1
    starts = np.cumsum(lengths) - lengths + 1  # after the SEPARATOR that opens each text
    return Block(SEPARATOR + SEPARATOR.join(texts), starts)
