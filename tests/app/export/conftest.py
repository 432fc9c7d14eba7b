"""Fixtures of the export tests: one fully filled contact and the loaded presets."""

from __future__ import annotations

import pytest

from app.contact import Company, Contact, ContactPoint, SourceRef
from app.export import Preset, load_presets


def make_contact() -> Contact:
    """Ana María López, SQL at a UK fintech, with a valid and an invalid email."""
    return Contact(
        id=42,
        prefix="Dr",
        first_name="Ana María",
        last_name="López",
        job_title="Chief Marketing Officer",
        seniority="C-level",
        department="Marketing",
        company=Company(
            name="Northwind Analytics, Inc.",
            domain="northwind.example",
            website="https://northwind.example",
            industry="Financial Services",
            employees=250,
            annual_revenue=12500000.0,
            phone="+442079460000",
            country="GB",
        ),
        street="1 King's Road",
        city="London",
        region="Greater London",
        postal_code="SW3 4XX",
        country="GB",
        lead_source="Purchased List",
        status="SQL",
        score=87,
        grade="A",
        legal_basis="legitimate interest",
        notes="Met at Money20/20",
        points=[
            ContactPoint(
                "email",
                "Ana.Lopez@Northwind.example",
                "ana.lopez@northwind.example",
                "work",
                is_primary=True,
                status="valid",
            ),
            ContactPoint(
                "email", "ana@@home", None, "home", status="invalid", reason="two @ signs"
            ),
            ContactPoint("phone", "020 7946 0123", "+442079460123", "work", status="valid"),
            ContactPoint("phone", "07700 900123", "+447700900123", "mobile", status="valid"),
            ContactPoint(
                "url",
                "linkedin.com/in/ana-lopez",
                "https://www.linkedin.com/in/ana-lopez",
                "linkedin",
                status="valid",
            ),
        ],
        tags=["fintech", "cmo"],
        lists=["UK fintech CMOs"],
        extra={"Connected On": "08 Feb 2026"},
        sources=[SourceRef(3, "Connections.csv", 7)],
        created_at="2026-02-08T10:15:00+00:00",
        updated_at="2026-02-09T11:00:00+00:00",
    )


@pytest.fixture
def contact() -> Contact:
    """A fully filled sample contact."""
    return make_contact()


@pytest.fixture(scope="session")
def presets() -> dict[str, Preset]:
    """Every preset in resources/crm/."""
    return load_presets()
