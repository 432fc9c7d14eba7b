"""Countries to ISO alpha-2 from codes and names in English, German, French and Spanish."""

from __future__ import annotations

import pytest

from app.clean.country import normalize_country


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("DE", "DE"), ("de", "DE"), ("DEU", "DE"), ("Germany", "DE"), ("Deutschland", "DE"),
        ("Allemagne", "DE"), ("Alemania", "DE"), ("GERMANY", "DE"),
        ("GB", "GB"), ("GBR", "GB"), ("United Kingdom", "GB"), ("UK", "GB"), ("U.K.", "GB"),
        ("Great Britain", "GB"), ("England", "GB"), ("Scotland", "GB"), ("Royaume-Uni", "GB"),
        ("Reino Unido", "GB"), ("Vereinigtes Königreich", "GB"), ("Großbritannien", "GB"),
        ("US", "US"), ("USA", "US"), ("U.S.", "US"), ("U.S.A.", "US"), ("United States", "US"),
        ("United States of America", "US"), ("Estados Unidos", "US"), ("États-Unis", "US"),
        ("Vereinigte Staaten", "US"),
        ("España", "ES"), ("Espana", "ES"), ("Spain", "ES"), ("Espagne", "ES"), ("Spanien", "ES"),
        ("France", "FR"), ("Frankreich", "FR"), ("Francia", "FR"),
        ("Switzerland", "CH"), ("Schweiz", "CH"), ("Suisse", "CH"), ("Suiza", "CH"),
        ("Austria", "AT"), ("Österreich", "AT"), ("Osterreich", "AT"), ("Autriche", "AT"),
        ("Italy", "IT"), ("Italia", "IT"), ("Italien", "IT"), ("Italie", "IT"),
        ("Netherlands", "NL"), ("The Netherlands", "NL"), ("Niederlande", "NL"), ("Pays-Bas", "NL"),
        ("Países Bajos", "NL"), ("Holland", "NL"),
        ("Belgium", "BE"), ("Belgien", "BE"), ("Belgique", "BE"), ("Bélgica", "BE"),
        ("Australia", "AU"), ("Australien", "AU"), ("Australie", "AU"),
        ("South Korea", "KR"), ("Korea, Republic of", "KR"), ("Viet Nam", "VN"), ("Vietnam", "VN"),
        ("Russia", "RU"), ("Czech Republic", "CZ"), ("Côte d’Ivoire", "CI"), ("Türkiye", "TR"),
        ("México", "MX"), ("Brasil", "BR"), ("  ireland  ", "IE"),
    ],
)  # fmt: skip
def test_normalize_country(text: str, code: str) -> None:
    assert normalize_country(text) == code


@pytest.mark.parametrize("text", ["Narnia", "", "   ", "XX", "ZZZ", "Europe", "123"])
def test_unknown_countries_are_none(text: str) -> None:
    assert normalize_country(text) is None


@pytest.mark.parametrize(
    ("text", "code"), [("GER", "DE"), ("ENG", "GB"), ("SUI", "CH"), ("NED", "NL"), ("RSA", "ZA")]
)
def test_common_non_iso_three_letter_codes(text: str, code: str) -> None:
    assert normalize_country(text) == code
