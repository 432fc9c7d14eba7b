"""Spreadsheet safety: neutralize formula injection (OWASP) without corrupting validated phones."""

from __future__ import annotations

import re

# OWASP CSV injection list plus NUL (ASVS 1.2.10): a cell starting with one of these may be
# evaluated as a formula (or split into a new cell) when the file is opened in a spreadsheet.
FORMULA_PREFIXES: frozenset[str] = frozenset({"=", "+", "-", "@", "\t", "\r", "\n", "\0"})

_E164 = re.compile(r"\+[0-9]{6,15}")


def neutralize_cell(value: str) -> str:
    """Prefix a cell that a spreadsheet could evaluate with "'" (OWASP); others are unchanged."""
    if value and value[0] in FORMULA_PREFIXES:
        return "'" + value
    return value


def needs_neutralizing(value: str) -> bool:
    """True when a spreadsheet could read the cell as a formula."""
    return bool(value) and value[0] in FORMULA_PREFIXES


def is_clean_e164(value: str) -> bool:
    """True for a strictly validated E.164 phone (^\\+[0-9]{6,15}$), safe to write untouched."""
    return _E164.fullmatch(value) is not None


def safe_cell(value: str, kind: str) -> str:
    """Neutralize a free-text cell; a clean E.164 phone passes untouched (a CRM would keep the ')."""
    if kind == "phone" and is_clean_e164(value):
        return value
    return neutralize_cell(value)
