"""Phone numbers: split a cell, repair what spreadsheets break, normalize to E.164 and classify."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
    PhoneNumberType,
)
from phonenumbers import ValidationResult as _VR
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE, _number_type_helper

from app.clean import phone_fast

_LINE_TYPES: dict[int, str] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.UNKNOWN: "unknown",
}

# "1.4E+10", "4,47400123456E+11" (German Excel): the digits past the 15th are gone for good.
_SCIENTIFIC_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
# "447400123456.0": a number cell read as a float.
_FLOAT_RE = re.compile(r"^(\+?\d+)\.0+$")
# A label in front of the number ("Tel: …", "tel:+44…", "M. 0612…").
_LABEL_RE = re.compile(r"^(?:tel|phone|mobile|mob|cell|fax|t|m|p)\s*[.:]\s*", re.IGNORECASE)
# An extension at the end ("x123", "ext. 45", "extension 7", "#12", "Durchwahl 3").
_EXTENSION_RE = re.compile(
    r"\s*(?:,|;)?\s*(?:ext(?:ension)?\.?|x|#|durchwahl|dw\.?|poste)\s*:?\s*(\d{1,7})\s*$",
    re.IGNORECASE,
)
_ALLOWED_RE = re.compile(r"^[\d\s()./+\-\u2010-\u2015\u00a0]+$")
# Once _ALLOWED_RE has matched, its \d characters are exactly those str.isdigit() counts.
_NON_DIGITS_RE = re.compile(r"\D+")
# Cells holding several numbers: " ::: ", ";", newline, "|" ; "/" and "," only between full numbers.
_HARD_SPLIT_RE = re.compile(r"\s+:::\s+|[;\n\r|]")
_SOFT_SPLIT_RE = re.compile(r"\s*[/,]\s*")


@dataclass(frozen=True)
class PhoneCheck:
    """The outcome of checking one phone number: E.164 key, status, reason, region, line type."""

    raw: str
    e164: str | None  # "+447400123456"; None when it could not be normalized
    status: str  # valid | risky (possible but not a valid number) | invalid
    reason: str  # "" or why it is invalid, risky, or what was repaired ("recovered: …")
    region: str  # ISO alpha-2 region of the number, or ""
    line_type: str  # mobile | fixed | fixed_or_mobile | toll_free | voip | other | unknown


def _invalid(raw: str, reason: str) -> PhoneCheck:
    return PhoneCheck(raw, None, "invalid", reason, "", "unknown")


# The fast path answers the common shapes exactly as the library does (app/clean/phone_fast.py);
# the equality tests switch it off to get the library's own answer for the same inputs.
FAST_PATH = True


def _parse(text: str, region: str | None) -> PhoneNumber | None:
    if FAST_PATH:
        found = phone_fast.parse(text, region)
        if found is not phone_fast.UNHANDLED:
            return found
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as exc:
        _forget_frames(exc)
        return None


def _forget_frames(exc: BaseException | None) -> None:
    """Drop the tracebacks of a caught exception and of the ones it was raised during.

    phonenumbers keeps what it catches in locals (`_, e, _ = sys.exc_info()`: the traceback of
    the frame holding them), a reference cycle that kept the frames up the stack alive, and with
    them the whole row being cleaned, until a full collection. In a cleaning worker ~9 % of rows
    left such a cycle, and the collections they caused cost about as much as the cleaning itself
    by 300,000 rows. Clearing the frames' locals breaks the cycle (our own frame, still running,
    is left as it is).
    """
    while exc is not None:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        exc = exc.__context__


def _national_prefix(region: str | None) -> str:
    meta = PhoneMetadata.metadata_for_region(region) if region else None
    return (meta.national_prefix or "") if meta else ""


def _possible_reason(num: PhoneNumber | None, region: str | None) -> str:
    """Why a number that is not even possible was refused, in words."""
    where = region or "any country"
    if num is None:
        return f"not a phone number for {where}"
    where = _region_of(num) or "any country"
    result = phonenumbers.is_possible_number_with_reason(num)
    if result == _VR.INVALID_COUNTRY_CODE:
        return "unknown country code"
    if result in (_VR.TOO_SHORT, _VR.INVALID_LENGTH):
        return f"too short for {where}"
    if result == _VR.TOO_LONG:
        return f"too long for {where}"
    return f"not a valid number for {where}"


def _region_of(num: PhoneNumber) -> str:
    """The number's region; for an invalid number, the main region of its country code."""
    region = phonenumbers.region_code_for_number(num) or phonenumbers.region_code_for_country_code(
        num.country_code or 0
    )
    return region if region and region.isalpha() and region != "ZZ" else ""


def _valid(num: PhoneNumber, hint: str | None = None) -> tuple[str, int] | None:
    """(region, number type) when the number is valid, else None.

    is_valid_number, number_type and region_code_for_number each scan the metadata again, and
    region_code_for_number tries every region sharing the calling code (+44: GB, GG, IM, JE).
    The row's own region (or the code's main region) is tried first, so a valid number costs one
    type check; only when it fails are the other regions scanned.
    """
    cc = num.country_code or 0
    nsn = phonenumbers.national_significant_number(num)
    regions = COUNTRY_CODE_TO_REGION_CODE.get(cc, ())
    first = hint if hint in regions else (regions[0] if regions else None)
    if first is not None:
        meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, first)
        if meta is not None and (meta.leading_digits is None or _leads(meta.leading_digits, nsn)):
            ntype = _type(nsn, meta)
            if ntype != PhoneNumberType.UNKNOWN:
                return ("" if first == "001" else first), ntype
    if len(regions) <= 1:
        return None
    region = phonenumbers.region_code_for_number(num)
    if region is None or region == first:
        return None
    meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
    if meta is None:
        return None
    ntype = _type(nsn, meta)
    if ntype == PhoneNumberType.UNKNOWN:
        return None
    return ("" if region == "001" else region), ntype


def _leads(pattern: str, nsn: str) -> bool:
    if FAST_PATH:
        return phone_fast.leading_digits_match(pattern, nsn)
    return re.match(pattern, nsn) is not None


def _type(nsn: str, meta: PhoneMetadata) -> int:
    if FAST_PATH:
        return phone_fast.number_type(nsn, meta)
    return int(_number_type_helper(nsn, meta))


def _result(
    raw: str, num: PhoneNumber, status: str, reason: str, facts: tuple[str, int] | None = None
) -> PhoneCheck:
    e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
    if facts is None:
        return PhoneCheck(raw, e164, status, reason, _region_of(num), "unknown")
    region, ntype = facts
    return PhoneCheck(raw, e164, status, reason, region, _LINE_TYPES.get(ntype, "other"))


def _prepare(raw: str) -> tuple[str, str, str]:
    """Undo spreadsheet damage and labels: (text to parse, extension, reason if it is not a number)."""
    text = raw.strip().strip("\u200e\u200f\ufeff")
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]  # Excel's ="0612345678" trick to keep a leading zero
    text = text.lstrip("'").strip()
    text = _LABEL_RE.sub("", text)
    if _SCIENTIFIC_RE.match(text):
        return (
            "",
            "",
            (f"Excel turned this number into scientific notation ({text}); digits were lost"),
        )
    float_match = _FLOAT_RE.match(text)
    if float_match:
        text = float_match.group(1)
    extension = ""
    ext_match = _EXTENSION_RE.search(text)
    if ext_match and ext_match.start() > 0:
        extension = ext_match.group(1)
        text = text[: ext_match.start()]
    if not text or not _ALLOWED_RE.match(text) or len(_NON_DIGITS_RE.sub("", text)) < 3:
        return "", "", "not a phone number"
    return text, extension, ""


# A company's switchboard is on every colleague's row (~15 % of a file's numbers repeat), and
# phonenumbers costs ~100 µs a number; the result is frozen, so sharing it is safe.
@lru_cache(maxsize=1 << 17)
def check_phone(raw: str, region: str | None) -> PhoneCheck:
    """Normalize one phone number to E.164 using the row's region; repair lost + and lost 0."""
    text, extension, bad = _prepare(raw)
    if bad:
        return _invalid(raw, bad)
    region = (region or "").strip().upper() or None
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        region = None
    digits = _NON_DIGITS_RE.sub("", text)
    international = text.startswith("+")
    if not international and digits.startswith("00") and not digits.startswith("000"):
        text, digits, international = "+" + digits[2:], digits[2:], True
    note = (
        f"the extension {extension} is kept in the raw value but left out of the number"
        if extension
        else ""
    )

    if international:
        num = _parse(text, None)
        if num is not None and (facts := _valid(num, region)):
            return _result(raw, num, "valid", note, facts)
        return _fallback(raw, num, None, note)

    num = _parse(text, region) if region else None
    if num is not None and (facts := _valid(num, region)):
        repair = _repair_note(num, digits, region)
        if repair.startswith("recovered: the leading 0") and digits.startswith(
            str(num.country_code)
        ):
            # "4915123456789" in DE reads as a national number without its 0, or as +49 151…
            # without its +. Excel drops the + far more often, so that reading wins when valid
            # (only for the row's own country code: "1512…" in DE is not a US number).
            plus = _parse("+" + digits, None)
            if plus is not None and (plus_facts := _valid(plus)):
                return _result(raw, plus, "valid", _join(_lost_plus_note(), note), plus_facts)
        return _result(raw, num, "valid", _join(repair, note), facts)
    # Not valid as written: try the two things spreadsheets do to numbers, the row's region first.
    # (Italy keeps its 0 inside the number, so the 0 is tried for any region, not only "0" prefixes.)
    if region and not digits.startswith("0"):
        fixed = _parse("0" + digits, region)
        if fixed is not None and (facts := _valid(fixed, region)):
            return _result(raw, fixed, "valid", _join(_lost_zero_note(fixed), note), facts)
    plus = _parse("+" + digits, None)
    if plus is not None and (facts := _valid(plus)):
        return _result(raw, plus, "valid", _join(_lost_plus_note(), note), facts)
    if region is None and num is None:
        if plus is not None and phonenumbers.is_possible_number(plus):
            return _result(raw, plus, "risky", _join("not a valid number for any country", note))
        return _invalid(raw, "no country code, and no country for this row to read it in")
    return _fallback(raw, num, region, note)


def _fallback(raw: str, num: PhoneNumber | None, region: str | None, note: str) -> PhoneCheck:
    """A number that is not valid: risky when it is at least possible, else invalid."""
    if num is not None and phonenumbers.is_possible_number(num):
        where = _region_of(num) or "any country"
        return _result(raw, num, "risky", _join(f"not a valid number for {where}", note))
    if num is None and region is None:
        return _invalid(raw, "unknown country code")
    return _invalid(raw, _possible_reason(num, region))


def _repair_note(num: PhoneNumber, digits: str, region: str | None) -> str:
    """Explain a repair phonenumbers made silently while parsing a valid national number."""
    prefix = _national_prefix(region)
    nsn = phonenumbers.national_significant_number(num)
    cc = str(num.country_code)
    if digits == cc + nsn and prefix != cc:
        return _lost_plus_note()
    if prefix == "0" and digits == nsn and not digits.startswith("0"):
        national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
        if national.startswith("0"):
            return _lost_zero_note(num)
    return ""


def _lost_zero_note(num: PhoneNumber) -> str:
    national = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
    return f"recovered: the leading 0 was missing (a spreadsheet drops it); read as {national}"


def _lost_plus_note() -> str:
    return "recovered: the leading + was missing (a spreadsheet drops it); read as an international number"


def _join(first: str, second: str) -> str:
    return "; ".join(part for part in (first, second) if part)


def split_phones(cell: str) -> list[str]:
    """The numbers in one cell; splits on " ::: ", ";", newlines, and "/" or "," between full numbers."""
    numbers: list[str] = []
    for part in _HARD_SPLIT_RE.split(cell):
        part = part.strip()
        if not part:
            continue
        pieces = _SOFT_SPLIT_RE.split(part)
        # "030/1234567" is one German number; "+49 30 1234567 / +49 171 1234567" is two.
        if len(pieces) > 1 and all(sum(ch.isdigit() for ch in p) >= 7 for p in pieces):
            numbers.extend(p.strip() for p in pieces if p.strip())
        else:
            numbers.append(part)
    return numbers


def format_phone(e164: str, style: str = "international") -> str:
    """An E.164 number for display: "international" (+44 7400 123456) or "national" (07400 123456)."""
    if FAST_PATH and style == "international":  # the table's phone column, ~5x faster
        shown = phone_fast.format_international(e164)
        if shown is not phone_fast.UNHANDLED:
            return e164 if shown is None else shown
    num = _parse(e164, None)
    if num is None:
        return e164
    fmt = PhoneNumberFormat.NATIONAL if style == "national" else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(num, fmt)
