"""Company names as matching sees them: "Acme, Inc." and "ACME Inc" are the same company."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal forms, written without dots or spaces ("S.A." -> "sa", "L.L.C." -> "llc"); dropped from the end
# of a name, several in a row ("GmbH & Co. KG", "Pty Ltd").
LEGAL_SUFFIXES: frozenset[str] = frozenset(
    {
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "plc", "gmbh", "mbh", "ag",
        "sa", "sas", "sasu", "sarl", "sl", "slu", "bv", "nv", "pty", "co", "corp", "corporation",
        "company", "kg", "kgaa", "ohg", "ug", "eg", "ev", "oy", "oyj", "ab", "aps", "as", "asa",
        "spa", "srl", "sro", "sp", "zoo", "kft", "se", "ltda", "sca", "scs", "cv", "kk", "pte",
        "pvt", "bhd", "sdn", "holding", "holdings",
    }
)  # fmt: skip
# Connectors left dangling once a suffix is gone ("Smith & Co" -> "smith and" -> "smith").
_CONNECTORS = frozenset({"and", "und", "et", "y"})
_SPACE_PUNCT_RE = re.compile(r"[\s,;:/\\|()\[\]{}<>\-–—_+!?*\"“”„«»]+")
_JOIN_PUNCT_RE = re.compile(r"[.'’`´]")


@lru_cache(maxsize=65536)
def normalize_company(name: str) -> str:
    """A key for matching company names: casefolded, accents stripped, legal suffixes dropped."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("ß", "ss")
    text = _JOIN_PUNCT_RE.sub("", text)  # "L.L.C." -> "llc", "McDonald's" -> "mcdonalds"
    words = _SPACE_PUNCT_RE.sub(" ", text).split()
    while len(words) > 1 and (words[-1] in LEGAL_SUFFIXES or words[-1] in _CONNECTORS):
        words.pop()
    # "S. r. l." and "B V" spelled with spaces: try the last two or three words glued together.
    for size in (3, 2):
        if len(words) > size and "".join(words[-size:]) in LEGAL_SUFFIXES:
            del words[-size:]
            while len(words) > 1 and (words[-1] in LEGAL_SUFFIXES or words[-1] in _CONNECTORS):
                words.pop()
    return " ".join(words)
