"""Person names as matching sees them: folded skeletons and first-name equivalences (nicknames).

"Müller", "Mueller" and "MULLER" share the skeleton "muler"; "Bob" and "Robert" share a nickname
group. The groups are data: resources/nicknames.toml.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

NICKNAMES_PATH = Path(__file__).resolve().parents[2] / "resources" / "nicknames.toml"

# Letters NFKD does not decompose into an ASCII base plus an accent.
_SPECIAL = str.maketrans(
    {"ß": "ss", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
# German transliteration writes ä/ö/ü as ae/oe/ue; stripping the accent gives a/o/u. Collapsing
# the digraphs on both sides makes the three spellings one skeleton ("samuel" becomes "samul" on
# both sides too, which is harmless: skeletons are only ever compared with skeletons).
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_NON_LETTERS = re.compile(r"[^a-z ]+")
_PREFIXES = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "sir",
        "dame",
        "herr",
        "frau",
        "sr",
        "sra",
        "srta",
        "don",
        "dona",
        "m",
        "mme",
        "mlle",
        "ing",
        "dipl",
        "mag",
    ]
)
# Surname particles: "de Vries" and "Vries", "van der Berg" and "Berg" keep one skeleton.
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "du",
        "del",
        "della",
        "des",
        "dos",
        "das",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "bin",
        "al",
        "el",
        "st",
    ]
)


def fold(text: str) -> str:
    """Casefolded, accents stripped, special letters spelled in ASCII ("Łukasz" -> "lukasz")."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_SPECIAL)


@lru_cache(maxsize=262_144)
def skeleton(name: str, *, first: bool = False) -> str:
    """A name reduced for comparison: folded, letters only, no titles, particles or digraphs."""
    words = _NON_LETTERS.sub(" ", fold(name).replace("-", " ").replace("'", "")).split()
    if first:
        while len(words) > 1 and words[0] in _PREFIXES:
            words.pop(0)
        # "van Dijk" in the first-name field is a surname given the other way round: compare
        # it as one ("dijk"), so the swapped-names rule can find "Lotte van Dijk" again.
        while len(words) > 1 and words[0] in _PARTICLES:
            words.pop(0)
        words = words[:1]  # a middle name given in the first-name field does not count
    else:
        while len(words) > 1 and words[0] in _PARTICLES:
            words.pop(0)
    text = "".join(words)
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    return text


@lru_cache(maxsize=1)
def nickname_groups() -> dict[str, frozenset[int]]:
    """Folded first-name skeleton -> the ids of every group it belongs to."""
    return load_nicknames(NICKNAMES_PATH)


def load_nicknames(path: Path) -> dict[str, frozenset[int]]:
    """Read a nicknames TOML file (tables of `groups = [[formal, variant, …], …]`)."""
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    found: dict[str, set[int]] = {}
    group_id = 0
    for table in data.values():
        for group in table.get("groups", ()):
            group_id += 1
            for name in group:
                found.setdefault(skeleton(str(name), first=True), set()).add(group_id)
    return {name: frozenset(ids) for name, ids in found.items()}


def same_first_name(a: str, b: str) -> bool:
    """True when two first-name skeletons are equal or nicknames of each other."""
    if a == b:
        return True
    groups = nickname_groups()
    ga, gb = groups.get(a), groups.get(b)
    return bool(ga and gb and ga & gb)


def first_initial(first_skeleton: str) -> str:
    """The initial a blocking key uses: that of the formal name when the first name is a nickname."""
    if not first_skeleton:
        return ""
    return _formal_initial(first_skeleton)


@lru_cache(maxsize=65_536)
def _formal_initial(first_skeleton: str) -> str:
    groups = nickname_groups().get(first_skeleton)
    if not groups:
        return first_skeleton[0]
    return _group_initials()[min(groups)]


@lru_cache(maxsize=1)
def _group_initials() -> dict[int, str]:
    """Group id -> the initial of its formal (first listed) name."""
    initials: dict[int, str] = {}
    with NICKNAMES_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    gid = 0
    for table in data.values():
        for group in table.get("groups", ()):
            gid += 1
            initials[gid] = skeleton(str(group[0]), first=True)[:1]
    return initials
