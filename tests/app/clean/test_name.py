"""Name splitting and tidying: parts as written, Unicode and case untouched, nothing lost."""

from __future__ import annotations

import pytest

from app.clean.name import NameParts, clean_name_part, split_name


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Dr. Ana María López", NameParts("Dr.", "Ana", "María", "López", "")),
        ("López, Ana", NameParts("", "Ana", "", "López", "")),
        ("Prof. Dr. Hans Müller", NameParts("Prof. Dr.", "Hans", "", "Müller", "")),
        ("Jean-Luc Picard Jr.", NameParts("", "Jean-Luc", "", "Picard", "Jr.")),
        ("Madonna", NameParts("", "Madonna", "", "", "")),
        ("van der Berg, Jan", NameParts("", "Jan", "", "van der Berg", "")),
        ("Jan van der Berg", NameParts("", "Jan", "", "van der Berg", "")),
        ("José Ángel de la Fuente", NameParts("", "José", "Ángel", "de la Fuente", "")),
        ("Ms Chloé Dubois-Martin", NameParts("Ms", "Chloé", "", "Dubois-Martin", "")),
        ("Smith, John A., Jr.", NameParts("", "John", "A.", "Smith", "Jr.")),
        ("Hans-Peter Müller PhD", NameParts("", "Hans-Peter", "", "Müller", "PhD")),
        ("O'Brien, Seán", NameParts("", "Seán", "", "O'Brien", "")),
        ("MARY-JANE o'neil", NameParts("", "MARY-JANE", "", "o'neil", "")),
        ("  Łukasz\u00a0  Żółć ", NameParts("", "Łukasz", "", "Żółć", "")),
        ('Robert "Bob" Smith', NameParts("", "Robert", '"Bob"', "Smith", "")),
        ("Sir Elton John", NameParts("Sir", "Elton", "", "John", "")),
        ("", NameParts("", "", "", "", "")),
    ],
)
def test_split_name(full: str, parts: NameParts) -> None:
    assert split_name(full) == parts


@pytest.mark.parametrize(
    "full",
    [
        "Dr. Ana María López",
        'Robert "Bob" Smith',
        "Mr. and Mrs. Smith",
        "Anne-Sophie de Saint-Exupéry",
    ],
)
def test_split_name_keeps_every_word(full: str) -> None:
    parts = split_name(full)
    joined = " ".join(
        p for p in (parts.prefix, parts.first, parts.middle, parts.last, parts.suffix) if p
    )
    assert sorted(joined.replace('"', "").split()) == sorted(full.replace('"', "").split())


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("  Ana ", "Ana"),
        ("Ana   María", "Ana María"),
        ("Ana\u00a0María", "Ana María"),
        ("ÉLODIE", "ÉLODIE"),
        ("mcdonald", "mcdonald"),
        ("\tJürgen\n", "Jürgen"),
        ("", ""),
    ],
)
def test_clean_name_part_only_touches_whitespace(value: str, cleaned: str) -> None:
    assert clean_name_part(value) == cleaned
