"""The phone fast path (app/clean/phone_fast.py) answers exactly as phonenumbers itself does.

Each test runs the same inputs twice, once with the fast path and once with the library alone,
and asserts identical results: the PhoneNumber `parse` gives, and the whole PhoneCheck
(E.164, status, reason, region, line type) that `check_phone` returns.
"""

from __future__ import annotations

import csv
import itertools
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

import phonenumbers
import pytest
from phonenumbers import (
    COUNTRY_CODE_TO_REGION_CODE,
    NumberParseException,
    PhoneNumberFormat,
    PhoneNumberType,
)

from app.clean import phone, phone_fast
from app.clean.country import normalize_country
from app.clean.phone import PhoneCheck, split_phones

ROOT = Path(__file__).resolve().parents[3]
BENCH_FILE = sorted((ROOT / "bench" / "out").glob("contacts_100000_s1_*.csv"))
DATA = ROOT / "tests" / "data" / "import"
_check = phone.check_phone.__wrapped__  # the function without its cache


def _library_parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _both(raw: str, region: str | None) -> tuple[PhoneCheck, PhoneCheck]:
    """check_phone with the fast path, then with the library alone."""
    fast = _check(raw, region)
    phone.FAST_PATH = False
    try:
        return fast, _check(raw, region)
    finally:
        phone.FAST_PATH = True


def _differences(cases: Iterable[tuple[str, str | None]]) -> tuple[list[object], int]:
    """Inputs where the fast path and the library differ; and how many the fast path parsed."""
    wrong: list[object] = []
    handled = 0
    for raw, region in sorted(set(cases), key=repr):
        fast, library = _both(raw, region)
        if fast != library:
            wrong.append((raw, region, fast, library))
        text, _, bad = phone._prepare(raw)
        if bad:
            continue
        digits = "".join(ch for ch in text if ch.isdigit())
        for variant, where in ((text, region), ("0" + digits, region), ("+" + digits, None)):
            parsed = phone_fast.parse(variant, where)
            if parsed is phone_fast.UNHANDLED:
                continue
            handled += 1
            if parsed != _library_parse(variant, where):
                wrong.append(("parse", variant, where, parsed))
    return wrong, handled


def _file_numbers(path: Path) -> Iterator[tuple[str, str | None]]:
    """Every (number, region) an import of the benchmark file checks."""
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            region = (normalize_country(row["Country"]) if row["Country"] else None) or "US"
            for column in ("Phone", "Mobile"):
                for number in split_phones(row[column] or ""):
                    yield number, region


@pytest.mark.slow
def test_every_number_of_the_benchmark_file_gets_the_library_answer(tmp_path: Path) -> None:
    if BENCH_FILE:
        path = BENCH_FILE[0]
    else:  # a fresh checkout: the same generator, fewer rows
        from bench.generate import write_files

        path = tmp_path / "contacts.csv"
        write_files(path, 5_000, seed=1, dup_rate=0.1)
    wrong, handled = _differences(_file_numbers(path))
    assert wrong == []
    assert handled > 10_000


def _examples() -> Iterator[tuple[str, str | None]]:
    """Each region's example numbers of each type, written the ways files write them."""
    types = [t for t in range(PhoneNumberType.UNKNOWN) if t != PhoneNumberType.FIXED_LINE_OR_MOBILE]
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        samples = [phonenumbers.example_number_for_type(region, t) for t in types]
        samples.append(phonenumbers.invalid_example_number(region))
        for num in samples:
            if num is None:
                continue
            cc = str(num.country_code)
            nsn = phonenumbers.national_significant_number(num)
            national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
            international = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
            national_digits = "".join(ch for ch in national if ch.isdigit())
            yield international, None
            yield international, region
            yield "+" + cc + nsn, "US"
            yield "+" + cc + nsn[:-1], None  # one digit short
            yield "+" + cc + nsn + "7", None  # one digit long
            yield national, region
            yield national_digits, region
            yield nsn, region  # the national prefix lost
            yield cc + nsn, region  # the + lost
            yield "00" + cc + " " + nsn, region
            yield "(" + nsn[:3] + ") " + nsn[3:], region
            yield nsn[:-2], region
            yield national, "US"


def test_every_region_and_number_type_gets_the_library_answer() -> None:
    wrong, handled = _differences(_examples())
    assert wrong == []
    assert handled > 5_000


def _cells(path: Path) -> Iterator[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    for delimiter in (",", ";", "\t", "|"):
        for row in csv.reader(text.splitlines(), delimiter=delimiter):
            yield from (cell for cell in row if any(ch.isdigit() for ch in cell))


def test_the_sample_files_numbers_get_the_library_answer() -> None:
    files = [p for p in DATA.rglob("*") if p.suffix in (".csv", ".txt", ".tsv", ".vcf")]
    cases = {
        (number, region)
        for path in files
        for cell in _cells(path)
        for number in split_phones(cell)
        for region in (None, "US", "DE", "GB", "FR", "IT")
    }
    wrong, handled = _differences(cases)
    assert wrong == []
    assert handled > 100


@pytest.mark.parametrize(
    ("raw", "region", "e164", "status", "line_type"),
    [
        ("+44 20 7946 0958", None, "+442079460958", "valid", "fixed"),
        ("(201) 200-9417", "US", "+12012009417", "valid", "fixed_or_mobile"),
        ("+31 (0)6 14333623", "NL", "+31614333623", "valid", "mobile"),
        ("0031 10 010 7605", "NL", "+31100107605", "valid", "fixed"),
        ("06 12 34 56 78", "FR", "+33612345678", "valid", "mobile"),
        ("02 1234 5678", "IT", "+390212345678", "valid", "fixed"),
        ("4915123456789", "DE", "+4915123456789", "valid", "mobile"),
        ("+44 20 7946 095", None, "+44207946095", "risky", "unknown"),
        ("+1 201 555 01234", None, None, "invalid", "unknown"),
    ],
)
def test_common_shapes_take_the_fast_path_with_the_library_answer(
    raw: str, region: str | None, e164: str | None, status: str, line_type: str
) -> None:
    text, _, _ = phone._prepare(raw)
    assert phone_fast.parse(text, region) is not phone_fast.UNHANDLED
    fast, library = _both(raw, region)
    assert fast == library
    assert (fast.e164, fast.status, fast.line_type) == (e164, status, line_type)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("+1 201 555 0123 x12", None),  # an extension
        ("1-800-FLOWERS", "US"),  # letters
        ("+0044 20 7946 0958", None),  # "+0": the library retries past the plus
        ("\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", "FR"),  # wide digits
        ("0612345678", None),  # a national number without a region
        ("0612345678", "XX"),  # an unknown region
        ("12", "FR"),  # too few digits for the shape
    ],
)
def test_other_shapes_are_left_to_the_library(text: str, region: str | None) -> None:
    assert phone_fast.parse(text, region) is phone_fast.UNHANDLED


def _international_differences(texts: Iterable[str]) -> tuple[list[tuple[str, str, str]], int]:
    """Texts whose table display (format_phone, international) differs with the fast path off;
    and how many the fast path formatted itself."""
    wrong: list[tuple[str, str, str]] = []
    handled = 0
    for text in sorted(set(texts)):
        fast = phone.format_phone(text)
        handled += phone_fast.format_international(text) is not phone_fast.UNHANDLED
        phone.FAST_PATH = False
        try:
            library = phone.format_phone(text)
        finally:
            phone.FAST_PATH = True
        if fast != library:
            wrong.append((text, fast, library))
    return wrong, handled


def _sweep(per_code: int = 24, seed: int = 7) -> Iterator[str]:
    """Texts of a plus, a country code and 1 to 17 random digits, for every country code; some
    start with 0, 00 or the region's national prefix (what the national-prefix strip looks at)."""
    rng = random.Random(seed)
    for code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        regions = COUNTRY_CODE_TO_REGION_CODE[code]
        meta = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(code, regions[0])
        starts = ["", "0", "00", (meta.national_prefix or "") if meta else ""]
        for n in range(per_code):
            start = starts[n % len(starts)]
            length = 1 + n % 17
            digits = start + "".join(rng.choice("0123456789") for _ in range(length))
            yield f"+{code}{digits}"


def test_the_table_display_of_every_region_and_type_is_the_library_format() -> None:
    texts = [text for text, _region in _examples() if text.startswith("+")]
    texts += [f"+{n.country_code}{phonenumbers.national_significant_number(n)}" for n in _nums()]
    wrong, handled = _international_differences([*texts, *_sweep()])
    assert wrong == []
    assert handled > 8_000


def _nums() -> Iterator[phonenumbers.PhoneNumber]:
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(PhoneNumberType.UNKNOWN):
            num = phonenumbers.example_number_for_type(region, kind)
            if num is not None:
                yield num


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+442079460958", "+44 20 7946 0958"),
        ("+12012009417", "+1 201-200-9417"),
        ("+390212345678", "+39 02 1234 5678"),
        ("+4915123456789", "+49 1512 3456789"),
        ("+80012345678", "+800 1234 5678"),  # a calling code of no region (001)
        ("+44207946095", "+44 207946095"),  # one digit short: no format fits, digits as they are
        ("+1 201 200 9417 ext 5", "+1 201-200-9417 ext. 5"),  # an extension: the library's way
    ],
)
def test_stored_phones_are_shown_as_the_library_formats_them(stored: str, shown: str) -> None:
    assert phone.format_phone(stored) == shown
    phone.FAST_PATH = False
    try:
        assert phone.format_phone(stored) == shown
    finally:
        phone.FAST_PATH = True


@pytest.mark.slow
def test_the_table_display_of_every_benchmark_number_is_the_library_format(
    tmp_path: Path,
) -> None:
    if BENCH_FILE:
        path = BENCH_FILE[0]
    else:
        from bench.generate import write_files

        path = tmp_path / "contacts.csv"
        write_files(path, 5_000, seed=1, dup_rate=0.1)
    numbers = itertools.islice(_file_numbers(path), 30_000)  # the local 100k file: a part
    stored = {phone.check_phone(n, r).e164 for n, r in numbers}
    wrong, handled = _international_differences(s for s in stored if s)
    assert wrong == []
    assert handled > 5_000
