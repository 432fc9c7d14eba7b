"""Person names: split a full name into parts, tidy whitespace, never change case or accents."""

from __future__ import annotations

from dataclasses import dataclass

from nameparser import HumanName


@dataclass(frozen=True)
class NameParts:
    """A person's name in parts, each exactly as written (case and accents untouched)."""

    prefix: str
    first: str
    middle: str
    last: str
    suffix: str


def clean_name_part(value: str) -> str:
    """Strip and collapse inner whitespace (including non-breaking spaces); nothing else."""
    return " ".join(value.split())


def split_name(full: str) -> NameParts:
    """Split "Dr. Ana María López", "López, Ana", "Jean-Luc Picard Jr." into parts.

    A single word ("Madonna") becomes the first name. A nickname in quotes or parentheses is
    kept at the end of the middle name, so no part of what the user typed is lost.
    """
    text = clean_name_part(full)
    if not text:
        return NameParts("", "", "", "", "")
    parsed = HumanName(text)
    prefix, first, middle = parsed.title, parsed.first, parsed.middle
    last, suffix = parsed.last, parsed.suffix
    if parsed.nickname:
        middle = clean_name_part(f'{middle} "{parsed.nickname}"')
    if not first and last and not prefix and not suffix and " " not in last:
        first, last = last, ""  # one word: a first name (or an alias) rather than a surname
    parts = NameParts(*(clean_name_part(p) for p in (prefix, first, middle, last, suffix)))
    if not _keeps_every_word(text, parts):
        # nameparser dropped something (an odd conjunction or punctuation): keep the words as given.
        return _fallback(text)
    return parts


def _words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").replace('"', " ").split() if w]


def _keeps_every_word(text: str, parts: NameParts) -> bool:
    joined = " ".join((parts.prefix, parts.first, parts.middle, parts.last, parts.suffix))
    return sorted(_words(text)) == sorted(_words(joined))


def _fallback(text: str) -> NameParts:
    """Last, First when there is one comma; else first word, middle words, last word."""
    if text.count(",") == 1:
        last, first = (clean_name_part(p) for p in text.split(","))
        return NameParts("", first, "", last, "")
    words = text.split()
    if len(words) == 1:
        return NameParts("", words[0], "", "", "")
    return NameParts("", words[0], " ".join(words[1:-1]), words[-1], "")
