"""Normalize and validate every value of a contact: emails, phones, names, URLs, companies, countries."""

from __future__ import annotations

from app.clean.company import normalize_company
from app.clean.country import normalize_country
from app.clean.email import EmailCheck, check_email, email_domain, split_emails
from app.clean.name import NameParts, clean_name_part, split_name
from app.clean.phone import PhoneCheck, check_phone, format_phone, split_phones
from app.clean.record import CleanResult, clean_record
from app.clean.web import (
    FREE_MAIL_DOMAINS,
    canonical_linkedin,
    company_domain,
    is_free_mail,
    normalize_url,
    website_domain,
)

__all__ = [
    "FREE_MAIL_DOMAINS",
    "CleanResult",
    "EmailCheck",
    "NameParts",
    "PhoneCheck",
    "canonical_linkedin",
    "check_email",
    "check_phone",
    "clean_name_part",
    "clean_record",
    "company_domain",
    "email_domain",
    "format_phone",
    "is_free_mail",
    "normalize_company",
    "normalize_country",
    "normalize_url",
    "split_emails",
    "split_name",
    "split_phones",
    "website_domain",
]
