"""Email addresses: split a cell into addresses, then normalize and validate each one offline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from app.clean.web import DOMAIN_DATA, is_disposable_domain, is_free_mail

ROLE_LOCAL_PARTS: frozenset[str] = frozenset(DOMAIN_DATA["role_local_parts"])


def is_role_address(address: str) -> bool:
    """True for a shared role mailbox (info@, sales@…; a +tag is ignored). Cheap: no validation."""
    local = address.rpartition("@")[0].casefold()
    return local.split("+", 1)[0] in ROLE_LOCAL_PARTS


TYPO_TARGETS: tuple[str, ...] = tuple(DOMAIN_DATA["typo_targets"])
TLD_TYPOS: dict[str, str] = dict(DOMAIN_DATA["tld_typos"])

# The strict ASCII fast path: a dot-atom local part and an LDH domain ending in an alphabetic TLD.
# Every address it accepts is one email-validator accepts with the same (lower-cased) result
# (tests/app/clean/test_email.py checks that); everything else goes to email-validator.
_ATEXT = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_FAST_RE = re.compile(
    rf"^(?P<local>{_ATEXT}+(?:\.{_ATEXT}+)*)@(?P<domain>(?:{_LABEL}\.)+(?P<tld>[a-z]{{2,63}}))\Z",
    re.IGNORECASE | re.ASCII,
)
# Names email-validator refuses as special-use (RFC 6761); the fast path must refuse them too.
_SPECIAL_USE_TLDS = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})

_MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)
_ANGLE_RE = re.compile(r"<([^<>]*@[^<>]*)>")
_QUOTED_NAME_RE = re.compile(r'"[^"]*"\s*(?=<)')
_SEPARATORS_RE = re.compile(r"\s+:::\s+|[;,\n\r\t]|\s/\s|\s\|\s")


@dataclass(frozen=True)
class EmailCheck:
    """The outcome of checking one address: normalized value, status and the flags dedupe needs."""

    raw: str
    value: (
        str | None
    )  # normalized, lower-cased address (IDN domain in Unicode form); None if invalid
    status: str  # valid | risky | invalid
    reason: str  # "" when valid; else a sentence a user understands
    is_role: bool  # info@, sales@ … (shared, never a dedupe key on its own)
    is_free: bool  # gmail.com, yahoo.co.uk, web.de …
    is_disposable: bool  # on the disposable-domains blocklist
    suggestion: str  # the corrected address for a likely domain typo, else ""


@dataclass(frozen=True)
class _DomainVerdict:
    is_free: bool
    is_disposable: bool
    typo_of: str  # the domain this one most likely meant, or ""


@lru_cache(maxsize=65536)
def _domain_verdict(domain: str) -> _DomainVerdict:
    """Domain-level facts, cached: a million addresses share a few thousand domains."""
    head, _, tld = domain.rpartition(".")
    if head and tld in TLD_TYPOS:
        # "hotmail.con" is neither free mail nor a company: it is a slip of ".com".
        return _DomainVerdict(False, is_disposable_domain(domain), f"{head}.{TLD_TYPOS[tld]}")
    free = is_free_mail(domain)
    # Typo domains are often registered as traps, so a blocklisted one still gets its suggestion.
    typo_of = "" if free else _typo_target(domain)
    return _DomainVerdict(free, is_disposable_domain(domain), typo_of)


def _typo_target(domain: str) -> str:
    """The common domain this one is one or two key slips away from, or ""."""
    if domain in TYPO_TARGETS:
        return ""
    # Short targets (aol.com) only at distance 1 of a long-enough name: "sol.com" is a real company.
    found = extractOne(domain, TYPO_TARGETS, scorer=OSA.distance, score_cutoff=2)
    if found is None:
        return ""
    target, distance, _ = found
    allowed = 2 if len(target) >= 10 else 1 if len(target) >= 8 else 0
    return target if distance <= allowed else ""


def _invalid(raw: str, reason: str) -> EmailCheck:
    return EmailCheck(raw, None, "invalid", reason, False, False, False, "")


def _syntax_reason(text: str) -> str:
    """A short reason for the most common mistakes, before asking email-validator."""
    if not text:
        return "empty"
    if "@" not in text:
        return "missing @"
    if text.count("@") > 1 and not text.startswith('"'):
        return "more than one @"
    local, _, domain = text.rpartition("@")
    if not local:
        return "nothing before the @"
    if not domain:
        return "nothing after the @"
    if any(ch.isspace() for ch in text):
        return "contains a space"
    return ""


def _normalize_slow(text: str) -> tuple[str | None, str]:
    """email-validator for everything the fast path does not take: (value, reason)."""
    try:
        result = validate_email(text, check_deliverability=False, strict=True)
    except EmailNotValidError as exc:
        return None, str(exc)
    return result.normalized.lower(), ""


def fast_path(text: str) -> str | None:
    """The lower-cased address when the strict ASCII fast path accepts it, else None."""
    match = _FAST_RE.match(text)
    if (
        match is None
        or len(match.group("local")) > 64
        or len(text) > 254
        or "--" in match.group("domain")
        or match.group("tld").lower() in _SPECIAL_USE_TLDS
    ):
        return None
    return text.lower()


def check_email(raw: str) -> EmailCheck:
    """Normalize and validate one address offline (no DNS): status, reason and flags."""
    text = _MAILTO_RE.sub("", raw.strip()).strip()
    fast = fast_path(text)
    if fast is not None:
        value = fast
    else:
        reason = _syntax_reason(text)
        if reason:
            return _invalid(raw, reason)
        normalized, reason = _normalize_slow(text)
        if normalized is None:
            return _invalid(raw, reason)
        value = normalized
    local, _, domain = value.rpartition("@")
    verdict = _domain_verdict(domain)
    is_role = local.split("+", 1)[0] in ROLE_LOCAL_PARTS
    status, reason, suggestion = "valid", "", ""
    if verdict.typo_of:
        status = "risky"
        reason = f"the domain '{domain}' looks like a typo of '{verdict.typo_of}'"
        suggestion = f"{local}@{verdict.typo_of}"
    elif verdict.is_disposable:
        status, reason = "risky", "disposable address"
    return EmailCheck(
        raw, value, status, reason, is_role, verdict.is_free, verdict.is_disposable, suggestion
    )


def _clean_piece(piece: str) -> str:
    piece = _MAILTO_RE.sub("", piece.strip()).strip()
    # mailto:a@x.com?subject=Hi: the query is not part of the address.
    if "?" in piece and "@" in piece.split("?", 1)[0] and "=" in piece.split("?", 1)[1]:
        piece = piece.split("?", 1)[0]
    return piece.strip().strip("'\"").strip()


def split_emails(cell: str) -> list[str]:
    """The addresses in one cell ("a@x.com; b@y.com", "Ana <ana@x.com>", "mailto:…"), in order."""
    text = cell.strip()
    if not text:
        return []
    pieces: list[str]
    if _ANGLE_RE.search(text):
        # "Ana <ana@x.com>, "López, Bo" <bo@y.com>": keep the bracketed addresses and any bare
        # address between them; the display names are not addresses.
        text = _QUOTED_NAME_RE.sub("", text)
        pieces = []
        for part in _SEPARATORS_RE.split(text):
            inside = _ANGLE_RE.search(part)
            if inside:
                pieces.append(inside.group(1))
            elif "@" in part:
                pieces.extend(tok for tok in part.split() if "@" in tok)
    else:
        pieces = []
        for part in _SEPARATORS_RE.split(text):
            tokens = part.split()
            # "a@x.com b@y.com": several addresses separated by spaces only.
            if len(tokens) > 1 and all("@" in tok for tok in tokens):
                pieces.extend(tokens)
            else:
                pieces.append(part)
    seen: set[str] = set()
    addresses: list[str] = []
    for piece in pieces:
        cleaned = _clean_piece(piece)
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            addresses.append(cleaned)
    return addresses


def email_domain(address: str) -> str:
    """The domain of an address, lower-cased, or "" when there is none."""
    if "@" not in address:
        return ""
    return address.rsplit("@", 1)[1].strip().strip(">").lower().rstrip(".")
