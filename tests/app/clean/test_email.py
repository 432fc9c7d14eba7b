"""Email checking: normalized values, statuses and reasons, cell splitting, and the fast path."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from app.clean.email import check_email, email_domain, fast_path, split_emails


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("ana@acme.com", "ana@acme.com"),
        ("Ana.Lopez@Acme.COM", "ana.lopez@acme.com"),
        ("  ana@acme.com  ", "ana@acme.com"),
        ("mailto:ana@acme.com", "ana@acme.com"),
        ("ana+newsletter@acme.com", "ana+newsletter@acme.com"),
        ("o'brien@acme.ie", "o'brien@acme.ie"),
        ("first_last-2@sub.acme.co.uk", "first_last-2@sub.acme.co.uk"),
        ("jürgen@müller.de", "jürgen@müller.de"),
        ("j@xn--mller-kva.de", "j@müller.de"),
        ("ana@gmail.com", "ana@gmail.com"),
        ("bob@yahoo.co.uk", "bob@yahoo.co.uk"),
        ("x@123.com", "x@123.com"),
    ],
)
def test_valid_addresses_are_normalized(raw: str, value: str) -> None:
    check = check_email(raw)
    assert (check.status, check.value, check.reason, check.raw) == ("valid", value, "", raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("ana.acme.com", "missing @"),
        ("ana@@acme.com", "more than one @"),
        ("@acme.com", "nothing before the @"),
        ("ana@", "nothing after the @"),
        ("ana lopez@acme.com", "contains a space"),
        ("ana..lopez@acme.com", "An email address cannot have two periods in a row."),
        ("ana@acme", "The part after the @-sign is not valid. It should have a period."),
        ("ana@acme..com", "An email address cannot have two periods in a row."),
        (".ana@acme.com", "An email address cannot start with a period."),
        ("ana@-acme.com", "An email address cannot have a hyphen immediately after the @-sign."),
        ("ana@acme_corp.com", "The part after the @-sign contains invalid characters: '_'."),
        (
            "ana@printer.local",
            "The part after the @-sign is a special-use or reserved name that cannot be used with email.",
        ),
    ],
)
def test_invalid_addresses_keep_raw_and_say_why(raw: str, reason: str) -> None:
    check = check_email(raw)
    assert (check.status, check.value, check.reason, check.raw) == ("invalid", None, reason, raw)


@pytest.mark.parametrize(
    ("raw", "reason", "suggestion"),
    [
        (
            "ana@gmial.com",
            "the domain 'gmial.com' looks like a typo of 'gmail.com'",
            "ana@gmail.com",
        ),
        ("ana@gmai.com", "the domain 'gmai.com' looks like a typo of 'gmail.com'", "ana@gmail.com"),
        (
            "ana@gmail.con",
            "the domain 'gmail.con' looks like a typo of 'gmail.com'",
            "ana@gmail.com",
        ),
        ("ana@acme.con", "the domain 'acme.con' looks like a typo of 'acme.com'", "ana@acme.com"),
        (
            "Bo@Hotmial.com",
            "the domain 'hotmial.com' looks like a typo of 'hotmail.com'",
            "bo@hotmail.com",
        ),
        (
            "bo@outlok.com",
            "the domain 'outlok.com' looks like a typo of 'outlook.com'",
            "bo@outlook.com",
        ),
        ("bo@yaho.com", "the domain 'yaho.com' looks like a typo of 'yahoo.com'", "bo@yahoo.com"),
        (
            "bo@icloud.co",
            "the domain 'icloud.co' looks like a typo of 'icloud.com'",
            "bo@icloud.com",
        ),
    ],
)
def test_likely_domain_typos_are_risky_with_a_suggestion(
    raw: str, reason: str, suggestion: str
) -> None:
    check = check_email(raw)
    assert (check.status, check.reason, check.suggestion) == ("risky", reason, suggestion)
    assert check.value == raw.lower()


@pytest.mark.parametrize(
    "domain",
    [
        "gmail.com",
        "ymail.com",
        "email.com",
        "mail.com",
        "sol.com",
        "yahoo.ca",
        "gmx.de",
        "live.com",
        "acme.com",
    ],
)
def test_real_domains_near_common_ones_are_not_typos(domain: str) -> None:
    check = check_email(f"ana@{domain}")
    assert (check.status, check.suggestion) == ("valid", "")


@pytest.mark.parametrize("domain", ["mailinator.com", "guerrillamail.com", "10minutemail.com"])
def test_disposable_addresses_are_risky(domain: str) -> None:
    check = check_email(f"someone@{domain}")
    assert (check.status, check.reason, check.is_disposable) == (
        "risky",
        "disposable address",
        True,
    )


@pytest.mark.parametrize(
    ("raw", "is_role", "is_free"),
    [
        ("info@acme.com", True, False),
        ("Sales@acme.com", True, False),
        ("support+eu@acme.com", True, False),
        ("hello@acme.io", True, False),
        ("ana@acme.com", False, False),
        ("ana@gmail.com", False, True),
        ("ana@web.de", False, True),
        ("ana@orange.fr", False, True),
        ("ana@yahoo.fr", False, True),
        ("ana@gmx.at", False, True),
        ("contact@outlook.com", True, True),
    ],
)
def test_role_and_free_flags(raw: str, is_role: bool, is_free: bool) -> None:
    check = check_email(raw)
    assert (check.status, check.is_role, check.is_free) == ("valid", is_role, is_free)


@pytest.mark.parametrize(
    ("cell", "addresses"),
    [
        ("a@x.com", ["a@x.com"]),
        ("a@x.com; b@y.com", ["a@x.com", "b@y.com"]),
        ("a@x.com, b@y.com", ["a@x.com", "b@y.com"]),
        ("a@x.com ::: b@y.com", ["a@x.com", "b@y.com"]),
        ("a@x.com\nb@y.com", ["a@x.com", "b@y.com"]),
        ("a@x.com b@y.com", ["a@x.com", "b@y.com"]),
        ("mailto:a@x.com", ["a@x.com"]),
        ("mailto:a@x.com?subject=Hello", ["a@x.com"]),
        ("Ana <ana@x.com>", ["ana@x.com"]),
        ('"López, Ana" <ana@x.com>, bo@y.com', ["ana@x.com", "bo@y.com"]),
        ("Ana <ana@x.com>; Bo <bo@y.com>", ["ana@x.com", "bo@y.com"]),
        ("a@x.com; A@x.com", ["a@x.com"]),
        ("not an email", ["not an email"]),
        ("a@x.com; junk", ["a@x.com", "junk"]),
        ("   ", []),
    ],
)
def test_split_emails(cell: str, addresses: list[str]) -> None:
    assert split_emails(cell) == addresses


@pytest.mark.parametrize(
    ("address", "domain"),
    [("ana@Acme.com", "acme.com"), ("ana", ""), ("a@b@c.org", "c.org"), ("", "")],
)
def test_email_domain(address: str, domain: str) -> None:
    assert email_domain(address) == domain


_ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
_local = st.text(alphabet=_ATEXT + ".", min_size=0, max_size=70)
_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-", min_size=0, max_size=12)
_tld = st.sampled_from(["com", "de", "io", "x", "c0m", "test", "local", "museum", "co", "1"])
_domain = st.builds(
    lambda labels, tld: ".".join([*labels, tld]), st.lists(_label, min_size=0, max_size=4), _tld
)
_address = st.builds(lambda local, domain: f"{local}@{domain}", _local, _domain)


@settings(max_examples=600, deadline=None)
@given(_address)
def test_fast_path_agrees_with_email_validator(address: str) -> None:
    fast = fast_path(address)
    try:
        expected: str | None = validate_email(
            address, check_deliverability=False, strict=True
        ).normalized.lower()
    except EmailNotValidError:
        expected = None
    if fast is not None:
        assert fast == expected
    # Whatever the path, check_email gives email-validator's verdict.
    check = check_email(address)
    assert check.value == expected


def test_fast_path_takes_the_common_shapes() -> None:
    assert fast_path("First.Last@Example.co.uk") == "first.last@example.co.uk"
    assert fast_path("ana+tag@acme.com") == "ana+tag@acme.com"
    assert fast_path("ana@müller.de") is None  # IDN: left to email-validator


_atom = st.text(alphabet=_ATEXT, min_size=1, max_size=20)
_good_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_likely_valid = st.builds(
    lambda atoms, labels, tld: ".".join(atoms) + "@" + ".".join([*labels, tld]),
    st.lists(_atom, min_size=1, max_size=4),
    st.lists(_good_label, min_size=1, max_size=3),
    st.sampled_from(["com", "org", "de", "co", "museum", "Info"]),
)


@settings(max_examples=400, deadline=None)
@given(_likely_valid)
def test_fast_path_accepts_well_formed_addresses_exactly_as_email_validator(address: str) -> None:
    fast = fast_path(address)
    try:
        expected: str | None = validate_email(
            address, check_deliverability=False, strict=True
        ).normalized.lower()
    except EmailNotValidError:
        expected = None
    assert fast == expected or (fast is None and "--" in address.split("@")[1])
