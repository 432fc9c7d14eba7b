"""Rows pasted from a spreadsheet (tab-separated text) as a TableSource, with or without headers.

A first row that reads as column names (it names known fields and holds no email, phone or URL)
is the header. Otherwise the columns are called "Column 1", "Column 2", ... and `mapping` is
guessed from the values: emails, phone numbers, LinkedIn and web URLs, people's names.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from app.errors import InvalidFile
from importers.layouts import detect_layout
from importers.mapping import ColumnMapping, header_hits, suggest_mapping
from importers.sniff import detect_delimiter

_SAMPLE_ROWS = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LINKEDIN = re.compile(r"^(https?://)?([\w-]+\.)?linkedin\.com/in/", re.IGNORECASE)
_URL = re.compile(r"^(https?://|www\.)\S+$|^[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,}(\s*(x|ext\.?)\s*\d+)?$", re.IGNORECASE)
_NAME_WORD = r"[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?"
_FULL_NAME = re.compile(rf"^{_NAME_WORD}(\s+{_NAME_WORD}){{1,3}}$")
_ONE_NAME = re.compile(rf"^{_NAME_WORD}$")


def _kind(value: str) -> str:
    """What one pasted value looks like: email, linkedin_url, website, phone, name, word or ""."""
    v = value.strip()
    if not v:
        return ""
    if _EMAIL.match(v):
        return "email"
    if _LINKEDIN.match(v):
        return "linkedin_url"
    if _URL.match(v):
        return "website"
    if _PHONE.match(v) and sum(ch.isdigit() for ch in v) >= 7:
        return "phone"
    if _FULL_NAME.match(v) and all(w[:1].isupper() for w in v.split()):
        return "name"
    if _ONE_NAME.match(v) and v[:1].isupper():
        return "word"
    return ""


def _column_kind(values: list[str]) -> str:
    kinds = [_kind(v) for v in values if v.strip()]
    if not kinds:
        return ""
    best = max(set(kinds), key=kinds.count)
    return best if best and kinds.count(best) >= 0.8 * len(kinds) else ""


def guess_mapping_from_values(headers: list[str], rows: list[list[str]]) -> list[ColumnMapping]:
    """A mapping for columns without names, from what their values look like."""
    taken: set[str] = set()
    result: list[ColumnMapping] = []
    kinds = [_column_kind([r[i] for r in rows if i < len(r)]) for i in range(len(headers))]
    for i, kind in enumerate(kinds):
        target = {
            "email": "email",
            "linkedin_url": "linkedin_url",
            "website": "website",
            "phone": "phone",
            "name": "full_name",
        }.get(kind)
        if kind == "word":
            # Two neighbouring one-word name columns read as first name, last name.
            if "first_name" not in taken and i + 1 < len(kinds) and kinds[i + 1] == "word":
                target = "first_name"
            elif "first_name" in taken and "last_name" not in taken and kinds[i - 1] == "word":
                target = "last_name"
        single = target not in (None, "email", "phone")
        if target is None or (single and target in taken):
            result.append(ColumnMapping(headers[i], i, None, 0, "no header; values unrecognized"))
            continue
        taken.add(target)
        why = "people's names" if target.endswith("name") else target.replace("_", " ") + "s"
        result.append(
            ColumnMapping(headers[i], i, target, 80, f"no header; values look like {why}")
        )
    return result


def _is_header(first: list[str]) -> bool:
    filled = [c for c in first if c.strip()]
    if not filled or any(_kind(c) in ("email", "linkedin_url", "website", "phone") for c in filled):
        return False
    return header_hits(first) >= 1


class PastedSource:
    """Pasted rows; implements TableSource (`path` is a placeholder, there is no file)."""

    format = "paste"
    encoding = "utf-8"

    def __init__(self, text: str, has_header: bool | None = None) -> None:
        self.path = Path("(pasted rows)")
        self.skipped_rows: list[tuple[int, str]] = []
        text = text.removeprefix("\ufeff")
        self.delimiter = "\t" if "\t" in text else detect_delimiter(text)[0]
        # Spreadsheets quote a cell holding a line break or a tab; the csv module undoes that.
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))
        while records and not any(c.strip() for c in records[0]):
            records.pop(0)
        if not records:
            raise InvalidFile("(pasted rows)", "nothing was pasted.")
        width = max(len(r) for r in records)
        self.has_header = _is_header(records[0]) if has_header is None else has_header
        if self.has_header:
            self.headers: list[str] = [c.strip() for c in records[0]]
            self._records = records[1:]
        else:
            self.headers = [f"Column {i}" for i in range(1, width + 1)]
            self._records = records
        self.layout = detect_layout(self.headers) if self.has_header else ""
        sample = [r for r in self._records[:_SAMPLE_ROWS] if any(c.strip() for c in r)]
        if self.has_header:
            self.mapping = suggest_mapping(self.headers, sample, layout=self.layout)
        else:
            self.mapping = guess_mapping_from_values(self.headers, sample)
        self._done = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number under the header, or from 1 without one; values), blank rows skipped."""
        for number, record in enumerate(self._records, start=1):
            self._done = number
            if any(c.strip() for c in record):
                yield number, record

    def progress(self) -> tuple[int, int]:
        """(rows handed out, rows pasted)."""
        return self._done, len(self._records)

    def close(self) -> None:
        """Nothing to release."""


def open_pasted(text: str, has_header: bool | None = None) -> PastedSource:
    """Rows copied from a spreadsheet; `has_header` None decides from the first row."""
    return PastedSource(text, has_header)
