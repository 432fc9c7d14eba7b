"""Domains and URLs: free-mail and disposable domains, LinkedIn profile URLs, websites."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from disposable_email_domains import blocklist as _DISPOSABLE_BLOCKLIST

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def _load_domain_data() -> dict[str, Any]:
    with (RESOURCES / "email_domains.toml").open("rb") as fh:
        return tomllib.load(fh)


DOMAIN_DATA: dict[str, Any] = _load_domain_data()

FREE_MAIL_DOMAINS: frozenset[str] = frozenset(DOMAIN_DATA["free"])
FREE_MAIL_BRANDS: frozenset[str] = frozenset(DOMAIN_DATA["free_brands"])
SOCIAL_HOSTS: frozenset[str] = frozenset(DOMAIN_DATA["social_hosts"])
DISPOSABLE_DOMAINS: frozenset[str] = frozenset(_DISPOSABLE_BLOCKLIST)

# A host name as it appears in a URL: LDH labels (Unicode letters allowed for IDNs), at least one dot.
_HOST_RE = re.compile(r"^(?:[\w](?:[\w-]{0,61}[\w])?\.)+[\w-]{2,63}$", re.UNICODE)
_SPACE_RE = re.compile(r"\s")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_COUNTRY_SUFFIX_RE = re.compile(r"^(?:co\.|com\.)?[a-z]{2,3}$")
_LINKEDIN_PROFILE_RE = re.compile(r"^/(?:mwlite/)?in/([^/?#]+)")
_PROFILE_PREFIX = "https://www.linkedin.com/in/"
# The common shapes of a profile URL in printable ASCII: scheme and host in any case (both are
# case-insensitive), the path as LinkedIn writes it (the parse matches it case-sensitively), an
# ASCII slug, then at most a slash, a query and a fragment. Anything else takes the full parse.
_LINKEDIN_FAST_RE = re.compile(
    r"(?:https?://)?(?:www\.|[a-z]{2}\.)?linkedin\.com(?-i:/(?:mwlite/)?in/([A-Za-z0-9_-]+))/?"
    r"(?:[?#][!-~]*)?",
    re.IGNORECASE | re.ASCII,
)


@lru_cache(maxsize=65536)
def is_free_mail(domain: str) -> bool:
    """True for consumer mail providers (gmail.com, yahoo.co.uk, gmx.de, orange.fr …)."""
    domain = domain.strip().lower().rstrip(".")
    if not domain:
        return False
    if domain in FREE_MAIL_DOMAINS:
        return True
    # yahoo.fr, hotmail.co.uk, gmx.at: one brand, many country suffixes.
    first, _, rest = domain.partition(".")
    return first in FREE_MAIL_BRANDS and bool(_COUNTRY_SUFFIX_RE.match(rest))


@lru_cache(maxsize=65536)
def is_disposable_domain(domain: str) -> bool:
    """True when the domain (or a parent domain) is on the disposable-address blocklist."""
    labels = domain.strip().lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in DISPOSABLE_DOMAINS for i in range(len(labels) - 1))


def _split(url: str) -> tuple[str, str, str, str, str] | None:
    """urlsplit with https:// assumed when the scheme is missing; None when there is no host."""
    text = url.strip()
    if not text or _SPACE_RE.search(text):
        return None
    if not _SCHEME_RE.match(text):
        if text.startswith("//"):
            text = "https:" + text
        elif ":" in text.split("/", 1)[0] and not re.match(r"^[^:/]+:\d+(?:/|$)", text):
            return None  # mailto:, tel:, javascript: … are not web addresses
        else:
            text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST_RE.match(host):
        return None
    netloc = host.lower() + (f":{port}" if port else "")
    return parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment


@lru_cache(maxsize=65536)
def normalize_url(url: str) -> str | None:
    """The URL with https:// added when missing, the host lower-cased and the fragment dropped."""
    parts = _split(url)
    if parts is None:
        return None
    scheme, netloc, path, query, _fragment = parts
    return urlunsplit((scheme, netloc, path, query, ""))


def _host_without_www(netloc: str) -> str:
    host = netloc.split(":", 1)[0]
    return re.sub(r"^www\d*\.", "", host)


@lru_cache(maxsize=65536)
def website_domain(url: str) -> str:
    """The registrable-looking host of a website ("https://www.Acme.co.uk/about" -> "acme.co.uk")."""
    text = url.strip()
    if "@" in text and "/" not in text:
        return ""  # an email address in a website column is not a website
    parts = _split(text)
    return _host_without_www(parts[1]) if parts else ""


def canonical_linkedin(url: str) -> str | None:
    """The canonical form of a LinkedIn person-profile URL; None for anything else."""
    if "linkedin" not in url.lower():
        return None  # the common case for a website column, decided without parsing
    text = url.strip()
    if text.isascii():
        # Nearly every file writes one of a few shapes: one match decides those (~1 µs against
        # ~12 µs for the parse below, which gives the same answer: tests/app/clean/test_web.py).
        fast = _LINKEDIN_FAST_RE.fullmatch(text)
        if fast is not None:
            return _PROFILE_PREFIX + fast.group(1).lower()
    return parsed_linkedin(url)


def parsed_linkedin(url: str) -> str | None:
    """`canonical_linkedin` by parsing the URL: any shape, any script."""
    parts = _split(url)
    if parts is None:
        return None
    host = _host_without_www(parts[1])
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    match = _LINKEDIN_PROFILE_RE.match(parts[2])
    if not match:
        return None  # /company/…, /pub/…, /sales/… are not person profiles we can key on
    # Decoded and lower-cased so "J%C3%BCrgen" and "jürgen" give one key.
    slug = unquote(match.group(1)).strip().lower()
    if not slug or "/" in slug or any(ch.isspace() for ch in slug):
        return None
    return _PROFILE_PREFIX + slug


def is_social_host(domain: str) -> bool:
    """True for social networks (linkedin.com, facebook.com …), which are never a company domain."""
    labels = domain.lower().split(".")
    return any(".".join(labels[i:]) in SOCIAL_HOSTS for i in range(len(labels) - 1))


def company_domain(website: str = "", email: str = "") -> str:
    """The company's domain: the website's, else the email's unless free-mail or disposable."""
    domain = website_domain(website) if website else ""
    if domain and not is_social_host(domain):
        return domain
    if "@" in email:
        mail_domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
        if mail_domain and not is_free_mail(mail_domain) and not is_disposable_domain(mail_domain):
            return mail_domain
    return ""
