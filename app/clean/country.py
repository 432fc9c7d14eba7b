"""Countries: ISO 3166 alpha-2 from codes, English names, aliases and names in other languages."""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache, lru_cache

import pycountry

# Languages whose country names are recognized, besides English (translations ship with pycountry).
NAME_LANGUAGES: tuple[str, ...] = ("de", "fr", "es", "it", "nl", "pt", "sv", "da", "pl")

# What people write that is not an ISO name. Checked before translations, so these win.
ALIASES: dict[str, str] = {
    # Sports/IOC-style three-letter codes people type that are not ISO alpha-3 and not ambiguous.
    "ger": "DE", "eng": "GB", "sco": "GB", "wal": "GB", "nir": "GB", "sui": "CH", "ned": "NL",
    "hol": "NL", "por": "PT", "den": "DK", "rsa": "ZA", "ksa": "SA", "cro": "HR", "gre": "GR",
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom of great britain": "GB",
    "grossbritannien": "GB", "angleterre": "GB", "inglaterra": "GB", "england uk": "GB",
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US", "the united states": "US", "estados unidos": "US",
    "etats unis": "US", "vereinigte staaten": "US", "eeuu": "US", "ee uu": "US",
    "holland": "NL", "the netherlands": "NL", "russia": "RU", "south korea": "KR",
    "republic of korea": "KR", "korea": "KR", "north korea": "KP", "vietnam": "VN",
    "czech republic": "CZ", "czechia": "CZ", "turkey": "TR", "turkiye": "TR", "uae": "AE",
    "u a e": "AE", "emirates": "AE", "ivory coast": "CI", "cote d ivoire": "CI",
    "macedonia": "MK", "swaziland": "SZ", "burma": "MM", "cape verde": "CV",
    "hong kong sar": "HK", "macau": "MO", "palestine": "PS", "vatican": "VA",
    "the bahamas": "BS", "the gambia": "GM", "bosnia": "BA", "kosovo": "XK",
    "deutschland": "DE", "brd": "DE", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
    "osterreich": "AT", "espana": "ES", "espagne": "ES", "italia": "IT", "sverige": "SE",
    "norge": "NO", "danmark": "DK", "suomi": "FI", "polska": "PL", "eire": "IE",
    "belgie": "BE", "belgique": "BE", "nederland": "NL", "brasil": "BR", "mexico": "MX",
}  # fmt: skip

_PUNCT_RE = re.compile(r"[.,'’()\-–/&]+")


def _fold(text: str) -> str:
    """Case, accents, dots and punctuation folded away: "Côte d’Ivoire" -> "cote d ivoire"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("ß", "ss").replace(".", "")
    return " ".join(_PUNCT_RE.sub(" ", text).split())


@cache
def _name_table() -> dict[str, str]:
    """Folded name -> alpha-2, built once: English names, aliases, then other languages."""
    table: dict[str, str] = {}
    countries = list(pycountry.countries)
    for country in countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(_fold(value), country.alpha_2)
                # "Korea, Republic of" is also written "Republic of Korea".
                if ", " in value:
                    head, _, tail = value.partition(", ")
                    table.setdefault(_fold(f"{tail} {head}"), country.alpha_2)
    table.update(ALIASES)
    for language in NAME_LANGUAGES:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
            )
        except OSError:
            continue  # a pycountry without this language: English still works
        for country in countries:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    table.setdefault(_fold(translation.gettext(value)), country.alpha_2)
    return table


@lru_cache(maxsize=4096)
def normalize_country(text: str) -> str | None:
    """ISO 3166 alpha-2 for a code, an English name, an alias or a de/fr/es/it/nl… name; else None."""
    stripped = text.strip()
    if not stripped:
        return None
    if len(stripped) == 2 and stripped.isalpha() and stripped.isascii():
        found = pycountry.countries.get(alpha_2=stripped.upper())
        if found is not None:
            return str(found.alpha_2)
    if len(stripped) == 3 and stripped.isalpha() and stripped.isascii():
        found = pycountry.countries.get(alpha_3=stripped.upper())
        if found is not None:
            return str(found.alpha_2)
    return _name_table().get(_fold(stripped))
