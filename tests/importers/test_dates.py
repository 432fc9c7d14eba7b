"""Dates as exports write them, read per column into ISO dates."""

from __future__ import annotations

import pytest

from importers.dates import excel_serial_to_date, parse_date, parse_date_column


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-15", "2024-03-15"),
        ("2024-03-15T10:15:00Z", "2024-03-15"),
        ("20240102T101500Z", "2024-01-02"),
        ("03.02.2023", "2023-02-03"),
        ("3-Feb-23", "2023-02-03"),
        ("15-Mar-2024", "2024-03-15"),
        ("15 Mar 2024", "2024-03-15"),
        ("15 March 2024", "2024-03-15"),
        ("15. März 2024", "2024-03-15"),
        ("Mar 15, 2024", "2024-03-15"),
        ("0/0/00", None),
        ("00.00.0000", None),
        ("", None),
        ("next Tuesday", None),
        ("2023-02-30", None),
        ("40729", "2011-07-05"),
        ("40729.75", "2011-07-05"),
    ],
)
def test_one_value(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # One cell with a first part over 12 makes the whole column day-first.
        (["01/02/2023", "25/12/2023", "3/4/24"], ["2023-02-01", "2023-12-25", "2024-04-03"]),
        # One with a second part over 12 makes it month-first.
        (["01/02/2023", "12/25/2023"], ["2023-01-02", "2023-12-25"]),
        # Undecided columns are read month-first, as Excel's US default writes them.
        (["01/02/2023", "0/0/00", ""], ["2023-01-02", None, None]),
        (["01-02-2023", "13-02-2023"], ["2023-02-01", "2023-02-13"]),
        (["15 Mar 2024", "2024-03-16", "3-Feb-23"], ["2024-03-15", "2024-03-16", "2023-02-03"]),
    ],
)
def test_column_decides_day_first_once(values: list[str], expected: list[str | None]) -> None:
    assert parse_date_column(values) == expected


def test_a_column_can_be_told_its_order() -> None:
    assert parse_date_column(["01/02/2023"], day_first=True) == ["2023-02-01"]


@pytest.mark.parametrize(
    ("serial", "date1904", "expected"),
    [
        (1, False, "1900-01-01"),
        (59, False, "1900-02-28"),
        (60, False, None),  # Lotus 1-2-3's 1900-02-29, a day that never was
        (61, False, "1900-03-01"),
        (40729, False, "2011-07-05"),
        (0, True, "1904-01-01"),
        (39267, True, "2011-07-05"),
        (0, False, None),
        (-3, False, None),
    ],
)
def test_excel_serials_in_both_date_systems(
    serial: float, date1904: bool, expected: str | None
) -> None:
    day = excel_serial_to_date(serial, date1904)
    assert (day.isoformat() if day else None) == expected


def test_a_1904_column_of_serials() -> None:
    assert parse_date_column(["39267", "x"], date1904=True) == ["2011-07-05", None]
