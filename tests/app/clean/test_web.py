"""URLs and domains: LinkedIn profile keys, website normalization, company domains, free mail."""

from __future__ import annotations

import pytest

from app.clean.web import (
    FREE_MAIL_DOMAINS,
    canonical_linkedin,
    company_domain,
    is_free_mail,
    normalize_url,
    parsed_linkedin,
    website_domain,
)


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://www.linkedin.com/in/ana-lopez-123", "https://www.linkedin.com/in/ana-lopez-123"),
        ("https://www.linkedin.com/in/ana-lopez-123/", "https://www.linkedin.com/in/ana-lopez-123"),
        ("http://www.linkedin.com/in/Ana-Lopez", "https://www.linkedin.com/in/ana-lopez"),
        ("http://linkedin.com/in/ana-lopez", "https://www.linkedin.com/in/ana-lopez"),
        ("https://uk.linkedin.com/in/jsmith", "https://www.linkedin.com/in/jsmith"),
        (
            "https://de.linkedin.com/in/jsmith/?originalSubdomain=de",
            "https://www.linkedin.com/in/jsmith",
        ),
        ("linkedin.com/in/jsmith", "https://www.linkedin.com/in/jsmith"),
        ("www.linkedin.com/in/jsmith?trk=public_profile", "https://www.linkedin.com/in/jsmith"),
        (
            "https://www.linkedin.com/in/jsmith/details/experience/",
            "https://www.linkedin.com/in/jsmith",
        ),
        ("https://www.linkedin.com/in/jsmith#about", "https://www.linkedin.com/in/jsmith"),
        ("https://m.linkedin.com/in/jsmith", "https://www.linkedin.com/in/jsmith"),
        ("  https://www.linkedin.com/in/jsmith  ", "https://www.linkedin.com/in/jsmith"),
        (
            "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-4a5b6c",
            "https://www.linkedin.com/in/jürgen-müller-4a5b6c",
        ),
        ("https://www.linkedin.com/in/J%C3%BCrgen", "https://www.linkedin.com/in/jürgen"),
        ("https://www.linkedin.com/company/acme", None),
        ("https://www.linkedin.com/company/acme/", None),
        ("https://www.linkedin.com/pub/john-smith/1/2/3", None),
        ("https://www.linkedin.com/in/", None),
        ("https://www.notlinkedin.com/in/jsmith", None),
        ("https://example.com/in/jsmith", None),
        ("jsmith", None),
        ("", None),
    ],
)
def test_canonical_linkedin(url: str, canonical: str | None) -> None:
    assert canonical_linkedin(url) == canonical


def _linkedin_shapes() -> list[str]:
    """Profile URLs built from the parts files write, each part also in shapes the fast path refuses."""
    schemes = ["", "http://", "HTTPS://", "ftp://", "//", "mailto:"]
    hosts = [
        "linkedin.com", "WWW.LinkedIn.COM", "de.linkedin.com", "www2.linkedin.com",
        "uk.linkedin.com.", "linkedin.com:443", "x.y.linkedin.com", "notlinkedin.com",
        "user@linkedin.com", "linkedin.com.evil.org", "lin\u212aedin.com",
    ]  # fmt: skip
    paths = ["/in/", "/IN/", "/mwlite/in/", "/MWLITE/in/", "/pub/", "/in", "//in/"]
    slugs = ["ana-lopez-123", "Ana_Lopez", "J%C3%BCrgen", "jürgen", "a b", "", "x%2Fy", "Kim"]
    tails = [
        "", "/", "?trk=1", "/?originalSubdomain=de", "#about", "/details/", " x", "?q=\u00a0",
        "\x1f", ":8080", "?[x]",
    ]  # fmt: skip
    return [
        f"{pad}{scheme}{host}{path}{slug}{tail}{pad}"
        for scheme in schemes
        for host in hosts
        for path in paths
        for slug in slugs
        for tail in tails
        for pad in ("", " \n")[: 1 + (scheme == "" and tail == "")]
    ]


def test_canonical_linkedin_agrees_with_the_full_parse_on_every_shape() -> None:
    # canonical_linkedin decides common shapes with one regular expression; the full parse is the
    # reference. Every combination of parts, accepted and refused, must give the same key.
    shapes = _linkedin_shapes()
    assert len(shapes) > 30_000
    differ = [u for u in shapes if canonical_linkedin(u) != parsed_linkedin(u)]
    assert differ == []
    assert sum(canonical_linkedin(u) is not None for u in shapes) > 3_000


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("acme.com", "https://acme.com"),
        ("www.acme.com/about", "https://www.acme.com/about"),
        ("https://www.Acme.co.uk/about#team", "https://www.acme.co.uk/about"),
        ("HTTP://WWW.ACME.COM/Path?q=1", "http://www.acme.com/Path?q=1"),
        ("www.acme.com:8080/x", "https://www.acme.com:8080/x"),
        ("//acme.com", "https://acme.com"),
        ("https://müller.de", "https://müller.de"),
        ("not a url", None),
        ("mailto:ana@acme.com", None),
        ("localhost", None),
        ("", None),
    ],
)
def test_normalize_url(url: str, normalized: str | None) -> None:
    assert normalize_url(url) == normalized


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Acme.co.uk/about", "acme.co.uk"),
        ("acme.com", "acme.com"),
        ("http://www2.acme.com", "acme.com"),
        ("https://shop.acme.com/x", "shop.acme.com"),
        ("ana@acme.com", ""),
        ("n/a", ""),
        ("", ""),
    ],
)
def test_website_domain(url: str, domain: str) -> None:
    assert website_domain(url) == domain


@pytest.mark.parametrize(
    ("website", "email", "domain"),
    [
        ("https://www.acme.io", "ana@other.com", "acme.io"),
        ("", "ana@acme.com", "acme.com"),
        ("", "Ana@Acme.COM", "acme.com"),
        ("", "ana@gmail.com", ""),
        ("", "ana@yahoo.co.uk", ""),
        ("", "ana@mailinator.com", ""),
        ("https://www.linkedin.com/company/acme", "ana@acme.com", "acme.com"),
        ("https://www.facebook.com/acme", "", ""),
        ("", "", ""),
    ],
)
def test_company_domain(website: str, email: str, domain: str) -> None:
    assert company_domain(website, email) == domain


@pytest.mark.parametrize(
    ("domain", "free"),
    [
        ("gmail.com", True),
        ("GMAIL.com", True),
        ("outlook.com", True),
        ("yahoo.com", True),
        ("yahoo.co.uk", True),
        ("yahoo.fr", True),
        ("hotmail.de", True),
        ("gmx.at", True),
        ("web.de", True),
        ("orange.fr", True),
        ("acme.com", False),
        ("yahoo.acme.com", False),
        ("gmail.co", False),
        ("", False),
    ],
)
def test_is_free_mail(domain: str, free: bool) -> None:
    assert is_free_mail(domain) is free


def test_free_mail_list_is_loaded_from_resources() -> None:
    assert {"gmail.com", "web.de", "orange.fr", "icloud.com"} <= FREE_MAIL_DOMAINS
