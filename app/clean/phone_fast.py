"""A fast path for the common phone shapes, step for step the same as phonenumbers' own.

`phonenumbers.parse` spends most of its ~40-60 µs preparing the text (Unicode digit mapping one
character at a time, viability and extension regexes) and `_number_type_helper` looks every
metadata pattern up again through `re`'s cache. For a number written with ASCII digits, an
optional leading "+" and the usual punctuation (spaces, "()", ".", "/", "-"), that preparation
reduces to "keep the digits"; what follows (international prefix, country code, national prefix,
possible lengths, leading zeros) is done here in the library's order with the library's own
helpers and metadata. Anything else (letters, extensions, other characters, "+0…") is left to
the library: `parse` returns UNHANDLED. tests/app/clean/test_phone_fast.py proves the results
equal to the library's over every number of the benchmark file and a sweep of every region.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final

from phonenumbers import SUPPORTED_REGIONS, PhoneMetadata, PhoneNumber, PhoneNumberType
from phonenumbers import ValidationResult as _VR
from phonenumbers.phonemetadata import NumberFormat, PhoneNumberDesc
from phonenumbers.phonenumberutil import (
    COUNTRY_CODE_TO_REGION_CODE,
    _extract_country_code,
    _maybe_strip_national_prefix_carrier_code,
    _test_number_length,
    region_code_for_country_code,
)


class _Unhandled(Enum):
    UNHANDLED = "unhandled"


UNHANDLED: Final = _Unhandled.UNHANDLED  # not a shape this module answers for: ask the library
# One leading "+" (or none), an optional "(", a digit, then digits and ASCII punctuation only.
# No letters, "#", "," or ";": those are where extensions and RFC 3966 parameters start.
_SHAPE_RE = re.compile(r"\+?\(?[0-9][0-9 ()./\-]*")
_NON_DIGITS_RE = re.compile(r"[^0-9]+")
_MIN_NSN, _MAX_NSN, _MAX_INPUT = 2, 17, 250
_SHORT = (_VR.TOO_SHORT, _VR.IS_POSSIBLE_LOCAL_ONLY, _VR.INVALID_LENGTH)
_patterns: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _patterns.get(pattern)
    if found is None:
        found = _patterns[pattern] = re.compile(pattern)
    return found


def _matches(number: str, desc: PhoneNumberDesc | None) -> bool:
    """phonenumbers' `_match_national_number(number, desc, False)`: a full match of the pattern."""
    if desc is None or not desc.national_number_pattern:
        return False
    return _compiled(desc.national_number_pattern).fullmatch(number) is not None


def parse(text: str, region: str | None) -> PhoneNumber | _Unhandled | None:
    """`phonenumbers.parse(text, region)` (None where it raises), or UNHANDLED for other shapes."""
    found = _split(text, region)
    if found is None or found is UNHANDLED:
        return found
    country_code, national = found
    num = PhoneNumber(country_code=country_code)
    if len(national) > 1 and national[0] == "0":
        num.italian_leading_zero = True
        zeros = 1
        while zeros < len(national) - 1 and national[zeros] == "0":
            zeros += 1
        if zeros != 1:
            num.number_of_leading_zeros = zeros
    num.national_number = int(national)
    return num


def format_international(text: str) -> str | _Unhandled | None:
    """`format_number(parse(text, None), INTERNATIONAL)` for a number written with a "+" (the
    table's display of a stored E.164 phone): None where parse raises, UNHANDLED for other shapes.

    The national significant number `format_number` formats is the national number `parse`
    keeps (leading zeros and all), so this goes from `_split` to the region's formats directly.
    """
    if text[:1] != "+":
        return UNHANDLED
    found = _split(text, None)
    if found is None or found is UNHANDLED:
        return found
    country_code, national = found
    for leading, pattern, rule, pieces in _international_formats(country_code):
        # `_choose_formatting_pattern_for_number`, then `_format_nsn_using_pattern`'s re.sub.
        if (leading is None or leading.match(national)) and pattern.fullmatch(national):
            first = pattern.match(national) if pieces is not None else None
            if pieces is not None and first is not None and first.end() == len(national):
                # re.sub's answer when its first match is the whole text (and the pattern cannot
                # match "" after it): the rule with the groups put in, without re's templates.
                shown = "".join(
                    [p if p.__class__ is str else (first.group(p) or "") for p in pieces]
                )
                return f"+{country_code} {shown}"
            return f"+{country_code} {pattern.sub(rule, national)}"
    return f"+{country_code} {national}"


# Per country code: (last leading-digits pattern or None, pattern, rule, rule's pieces) of each
# format `_format_nsn` tries for the INTERNATIONAL format, in its order, compiled once. The
# pieces are the rule's literal texts and group numbers; None when only re.sub will do.
_Format = tuple[re.Pattern[str] | None, re.Pattern[str], str, list[str | int] | None]
_formats: dict[int, list[_Format]] = {}
_RULE_GROUP = re.compile(r"\\([1-9])")


def _rule_pieces(pattern: re.Pattern[str], rule: str) -> list[str | int] | None:
    """A substitution rule ("\\1 \\2") as literal texts and group numbers, or None when the rule
    holds any other escape or the pattern can match an empty text."""
    if pattern.fullmatch("") is not None:
        return None
    parts = _RULE_GROUP.split(rule)
    literals = parts[::2]
    if any("\\" in text for text in literals):
        return None
    pieces: list[str | int] = []
    for k, part in enumerate(parts):
        if k % 2:
            pieces.append(int(part))
        elif part:
            pieces.append(part)
    return pieces


def _international_formats(country_code: int) -> list[_Format]:
    formats = _formats.get(country_code)
    if formats is None:
        region = region_code_for_country_code(country_code)
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region.upper())
        available = (metadata.intl_number_format or metadata.number_format) if metadata else []
        formats = _formats[country_code] = [_format(f) for f in available]
    return formats


def _format(number_format: NumberFormat) -> _Format:
    leading = number_format.leading_digits_pattern
    pattern, rule = number_format.pattern, number_format.format
    assert pattern is not None and rule is not None  # every format of the metadata has both
    compiled = _compiled(pattern)
    return (
        _compiled(leading[-1]) if leading else None,
        compiled,
        rule,
        _rule_pieces(compiled, rule),
    )


def _split(text: str, region: str | None) -> tuple[int, str] | _Unhandled | None:
    """The country code and national number `parse` would keep; None where it raises."""
    if len(text) > _MAX_INPUT or not text.isascii() or not _SHAPE_RE.fullmatch(text):
        return UNHANDLED
    if region is not None and region not in SUPPORTED_REGIONS:
        return UNHANDLED
    digits = _NON_DIGITS_RE.sub("", text)
    if len(digits) < 3:
        return UNHANDLED  # the library's viability test decides these
    metadata = PhoneMetadata.metadata_for_region(region, None) if region else None
    if text[0] == "+":
        if len(digits) <= _MIN_NSN:
            return None  # TOO_SHORT_AFTER_IDD
        country_code, national = _extract_country_code(digits)
        if country_code == 0:
            return UNHANDLED  # "+0…": the library retries past the plus sign
    else:
        if metadata is None:
            return UNHANDLED  # the library refuses a national number without a valid region
        found = _from_national(digits, metadata)
        if found is None:
            return None
        country_code, national = found
    if country_code != 0:
        regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code)
        number_region = regions[0] if regions else "ZZ"
        if number_region != region:
            metadata = PhoneMetadata.metadata_for_region_or_calling_code(
                country_code, number_region
            )
    else:
        national = digits
        assert metadata is not None  # a national number was only accepted with a region
        country_code = metadata.country_code or 0
    if len(national) < _MIN_NSN:
        return None
    # The library's strip changes nothing unless the national prefix matches at the start.
    prefix = metadata.national_prefix_for_parsing if metadata is not None else None
    if prefix and metadata is not None and _compiled(prefix).match(national):
        _, potential, _ = _maybe_strip_national_prefix_carrier_code(national, metadata)
        if _test_number_length(potential, metadata) not in _SHORT:
            national = potential
    if len(national) < _MIN_NSN or len(national) > _MAX_NSN:
        return None
    return country_code, national


def _from_national(digits: str, metadata: PhoneMetadata) -> tuple[int, str] | None:
    """phonenumbers' `_maybe_extract_country_code` for digits written without a "+".

    (country code, national number) when an international prefix or the region's own country
    code was written (0 and "" when neither), None where the library raises.
    """
    idd = metadata.international_prefix
    if idd is not None:
        match = _compiled(idd).match(digits)
        # The library's _parse_prefix_as_idd: a prefix followed by a 0 is not a prefix.
        if match and not digits[match.end() :].startswith("0"):
            rest = digits[match.end() :]
            if len(rest) <= _MIN_NSN:
                return None  # TOO_SHORT_AFTER_IDD
            country_code, rest = _extract_country_code(rest)
            return (country_code, rest) if country_code != 0 else None
    own = str(metadata.country_code)
    if digits.startswith(own):
        potential = digits[len(own) :]
        general = metadata.general_desc
        _, potential, _ = _maybe_strip_national_prefix_carrier_code(potential, metadata)
        if (not _matches(digits, general) and _matches(potential, general)) or (
            _test_number_length(digits, metadata) == _VR.TOO_LONG
        ):
            return metadata.country_code or 0, potential
    return 0, ""


def number_type(national: str, metadata: PhoneMetadata) -> int:
    """phonenumbers' `_number_type_helper`, with the metadata's patterns compiled once."""
    plan = _plans.get(id(metadata))
    if plan is None or plan[0] is not metadata:
        plan = _plans[id(metadata)] = (metadata, _plan(metadata))
    general, special, fixed, mobile, same = plan[1]
    length = len(national)
    if not _fits(national, length, general):
        return PhoneNumberType.UNKNOWN
    for desc, kind in special:
        if _fits(national, length, desc):
            return kind
    if _fits(national, length, fixed):
        if same or _fits(national, length, mobile):
            return PhoneNumberType.FIXED_LINE_OR_MOBILE
        return PhoneNumberType.FIXED_LINE
    if not same and _fits(national, length, mobile):
        return PhoneNumberType.MOBILE
    return PhoneNumberType.UNKNOWN


# A desc as (possible lengths or None for any, compiled pattern or None for "never matches").
_Desc = tuple[frozenset[int] | None, re.Pattern[str] | None] | None
_Plan = tuple[_Desc, tuple[tuple[_Desc, int], ...], _Desc, _Desc, bool]
_plans: dict[int, tuple[PhoneMetadata, _Plan]] = {}


def _plan(metadata: PhoneMetadata) -> _Plan:
    """The metadata's descs in the order `_number_type_helper` tries them."""
    special = (
        (metadata.premium_rate, PhoneNumberType.PREMIUM_RATE),
        (metadata.toll_free, PhoneNumberType.TOLL_FREE),
        (metadata.shared_cost, PhoneNumberType.SHARED_COST),
        (metadata.voip, PhoneNumberType.VOIP),
        (metadata.personal_number, PhoneNumberType.PERSONAL_NUMBER),
        (metadata.pager, PhoneNumberType.PAGER),
        (metadata.uan, PhoneNumberType.UAN),
        (metadata.voicemail, PhoneNumberType.VOICEMAIL),
    )
    return (
        _desc(metadata.general_desc),
        tuple((_desc(d), kind) for d, kind in special if d is not None),
        _desc(metadata.fixed_line),
        _desc(metadata.mobile),
        bool(metadata.same_mobile_and_fixed_line_pattern),
    )


def _desc(desc: PhoneNumberDesc | None) -> _Desc:
    if desc is None:
        return None
    lengths = frozenset(desc.possible_length) if desc.possible_length else None
    pattern = desc.national_number_pattern
    return lengths, (_compiled(pattern) if pattern else None)


def _fits(national: str, length: int, desc: _Desc) -> bool:
    """phonenumbers' `_is_number_matching_desc`: the possible lengths, then a full match."""
    if desc is None:
        return False
    lengths, pattern = desc
    if lengths is not None and length not in lengths:
        return False
    return pattern is not None and pattern.fullmatch(national) is not None


def leading_digits_match(pattern: str, national: str) -> bool:
    """`re.match(pattern, national)`, the pattern compiled once."""
    return _compiled(pattern).match(national) is not None
