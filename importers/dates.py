"""Dates as spreadsheets and exports write them, read per column into ISO `YYYY-MM-DD`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

# Excel's serial 60 is 1900-02-29, a day that never was (the Lotus 1-2-3 bug kept on purpose).
_LOTUS_LEAP_DAY = 60
_EPOCH_1900 = date(1899, 12, 31)  # serial 1 = 1900-01-01, below the fake leap day
_EPOCH_1900_AFTER_BUG = date(1899, 12, 30)  # serials from 61 on
_EPOCH_1904 = date(1904, 1, 1)  # serial 0 = 1904-01-01 (old Mac Excel)
_MAX_SERIAL = 2_958_465  # 9999-12-31

_MONTHS = {
    "jan": 1, "january": 1, "januar": 1, "janvier": 1, "enero": 1,
    "feb": 2, "february": 2, "februar": 2, "fevrier": 2, "février": 2, "febrero": 2,
    "mar": 3, "march": 3, "mär": 3, "märz": 3, "mars": 3, "marzo": 3,
    "apr": 4, "april": 4, "avril": 4, "abril": 4,
    "may": 5, "mai": 5, "mayo": 5,
    "jun": 6, "june": 6, "juni": 6, "juin": 6, "junio": 6,
    "jul": 7, "july": 7, "juli": 7, "juillet": 7, "julio": 7,
    "aug": 8, "august": 8, "août": 8, "aout": 8, "agosto": 8,
    "sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10, "octobre": 10, "octubre": 10,
    "nov": 11, "november": 11, "novembre": 11, "noviembre": 11,
    "dec": 12, "december": 12, "dez": 12, "dezember": 12, "décembre": 12, "diciembre": 12,
}  # fmt: skip
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T.*)?$")  # vCard 4.0 and REV: 20240315T1015Z
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})\.?[\s-]+([^\W\d_]+)\.?,?[\s-]+(\d{4}|\d{2})$")
_MONTH_NAME_DAY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_SERIAL = re.compile(r"^\d{1,7}(\.\d+)?$")
# Outlook writes "0/0/00" for a date it never had; it is not a day.
_PLACEHOLDER = re.compile(r"^0{1,2}[./-]0{1,2}[./-]0{2,4}$")


def excel_serial_to_date(serial: float, date1904: bool = False) -> date | None:
    """The day an Excel serial number stands for (time of day dropped); None when out of range."""
    whole = int(serial)
    if whole < 0 or whole > _MAX_SERIAL:
        return None
    if date1904:
        return _EPOCH_1904 + timedelta(days=whole)
    if whole == 0 or whole == _LOTUS_LEAP_DAY:
        return None  # "1900-01-00" and the Lotus leap day are not dates
    if whole < _LOTUS_LEAP_DAY:
        return _EPOCH_1900 + timedelta(days=whole)
    return _EPOCH_1900_AFTER_BUG + timedelta(days=whole)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        # Excel's two-digit-year window: 00-29 are 2000s, 30-99 are 1900s.
        year += 2000 if year < 30 else 1900
    return year


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def decide_day_first(values: Iterable[str]) -> bool | None:
    """True/False when some slash/dash date's first/second part is over 12; None if undecided."""
    for value in values:
        found = _NUMERIC.match(value.strip())
        if found is None:
            continue
        first, second = int(found.group(1)), int(found.group(3))
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def parse_date(
    value: str, *, day_first: bool = False, serials: bool = True, date1904: bool = False
) -> str | None:
    """One date as ISO `YYYY-MM-DD`, or None when it is empty, a placeholder or not a date."""
    text = " ".join(value.strip().split())
    if not text or _PLACEHOLDER.match(text):
        return None
    if found := _ISO.match(text):
        return _iso(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    if found := _NUMERIC.match(text):
        a, sep, b, year = int(found.group(1)), found.group(2), int(found.group(3)), found.group(4)
        # Dotted dates (03.02.2023) are day-first wherever they are written.
        if sep == "." or day_first:
            return _iso(_year(year), b, a)
        return _iso(_year(year), a, b)
    if found := _DAY_MONTH_NAME.match(text):
        month = _MONTHS.get(found.group(2).casefold())
        if month is None:
            return None
        return _iso(_year(found.group(3)), month, int(found.group(1)))
    if found := _MONTH_NAME_DAY.match(text):
        month = _MONTHS.get(found.group(1).casefold())
        if month is None:
            return None
        return _iso(int(found.group(3)), month, int(found.group(2)))
    if len(text) >= 8 and (found := _COMPACT.match(text)):
        return _iso(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    if serials and _SERIAL.match(text):
        day = excel_serial_to_date(float(text), date1904)
        return day.isoformat() if day is not None else None
    return None


def parse_date_column(
    values: Sequence[str], *, day_first: bool | None = None, date1904: bool = False
) -> list[str | None]:
    """ISO dates for a whole column, deciding day-first vs month-first once for all its cells.

    Any cell whose first part is over 12 (25/03/2024) makes the column day-first; one whose second
    part is (03/25/2024) makes it month-first; a column with neither is read month-first, as
    Excel's US default writes it. Callers keep the raw values: None means "not a date".
    """
    if day_first is None:
        day_first = bool(decide_day_first(values))
    return [parse_date(v, day_first=day_first, date1904=date1904) for v in values]
