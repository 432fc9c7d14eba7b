"""Company names for matching: legal forms, case, accents and punctuation do not matter."""

from __future__ import annotations

import pytest

from app.clean.company import normalize_company


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Acme", "acme"),
        ("Acme, Inc.", "acme"),
        ("ACME Inc", "acme"),
        ("Acme Incorporated", "acme"),
        ("Acme LLC", "acme"),
        ("Acme L.L.C.", "acme"),
        ("Acme Ltd", "acme"),
        ("Acme Limited", "acme"),
        ("Acme PLC", "acme"),
        ("Acme GmbH", "acme"),
        ("Acme AG", "acme"),
        ("Acme SA", "acme"),
        ("Acme S.A.", "acme"),
        ("Acme SAS", "acme"),
        ("Acme SARL", "acme"),
        ("Acme S.L.", "acme"),
        ("Acme S.L.U.", "acme"),
        ("Acme S. L. U.", "acme"),
        ("Acme BV", "acme"),
        ("Acme B.V.", "acme"),
        ("Acme NV", "acme"),
        ("Acme Pty Ltd", "acme"),
        ("Acme Co.", "acme"),
        ("Acme Corp", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme KG", "acme"),
        ("Acme Oy", "acme"),
        ("Acme AB", "acme"),
        ("Acme ApS", "acme"),
        ("Acme SpA", "acme"),
        ("Acme S.r.l.", "acme"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Société Générale S.A.", "societe generale"),
        ("Procter & Gamble", "procter and gamble"),
        ("Procter and Gamble Co.", "procter and gamble"),
        ("Smith & Co", "smith"),
        ("McDonald's Corporation", "mcdonalds"),
        ("  Northwind   Analytics,  Inc. ", "northwind analytics"),
        ("Straße AG", "strasse"),
        ("AB", "ab"),
        ("", ""),
    ],
)
def test_normalize_company(name: str, key: str) -> None:
    assert normalize_company(name) == key


@pytest.mark.parametrize(
    "variants",
    [
        ("Acme, Inc.", "ACME Inc", "Acme", "acme inc."),
        ("Zürich Insurance AG", "Zurich Insurance", "ZURICH INSURANCE A.G."),
        ("Northwind Analytics, Inc.", "Northwind Analytics Inc", "northwind-analytics"),
    ],
)
def test_variants_of_one_company_share_a_key(variants: tuple[str, ...]) -> None:
    assert len({normalize_company(v) for v in variants}) == 1
