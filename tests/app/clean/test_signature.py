"""Pasted signatures and profile contact sections split into fields for review."""

from __future__ import annotations

import pytest

from app.clean.record import clean_record
from app.clean.signature import COLUMN, parse_text

SAMPLES: list[tuple[str, dict[str, list[str]], dict[str, str]]] = [
    (
        "Best regards,\n\nJane Smith\nHead of Marketing | Acme Ltd\n"
        "T: +44 20 7946 0958 | M: +44 7700 900123\n"
        "jane.smith@acme.co.uk | www.acme.co.uk\nlinkedin.com/in/janesmith\n",
        {
            "full_name": ["Jane Smith"],
            "job_title": ["Head of Marketing"],
            "company": ["Acme Ltd"],
            "phone": ["+44 20 7946 0958"],
            "mobile_phone": ["+44 7700 900123"],
            "email": ["jane.smith@acme.co.uk"],
            "website": ["www.acme.co.uk"],
            "linkedin_url": ["linkedin.com/in/janesmith"],
        },
        {},
    ),
    (
        "Thanks,\nJohn O'Neill\nVP of Sales at Globex Corporation\n"
        "Mobile: (415) 555-0132\nEmail: john@globex.com\n",
        {
            "full_name": ["John O'Neill"],
            "job_title": ["VP of Sales"],
            "company": ["Globex Corporation"],
            "mobile_phone": ["(415) 555-0132"],
            "email": ["john@globex.com"],
        },
        {},
    ),
    (
        "Sarah Connor · Chief Technology Officer · Cyberdyne Systems Inc.\n"
        "sarah.connor@cyberdyne.com · +1 212 555 0199\n"
        "https://www.linkedin.com/in/sarah-connor-42/\n",
        {
            "full_name": ["Sarah Connor"],
            "job_title": ["Chief Technology Officer"],
            "company": ["Cyberdyne Systems Inc."],
            "email": ["sarah.connor@cyberdyne.com"],
            "phone": ["+1 212 555 0199"],
            "linkedin_url": ["https://www.linkedin.com/in/sarah-connor-42/"],
        },
        {},
    ),
    (
        "Tom Brown, CFO @ Initech LLC\nDirect: +1 (312) 555-0100\nFax: +1 (312) 555-0101\n"
        "tom.brown@initech.com\n",
        {
            "full_name": ["Tom Brown"],
            "job_title": ["CFO"],
            "company": ["Initech LLC"],
            "phone": ["+1 (312) 555-0100"],
            "email": ["tom.brown@initech.com"],
        },
        {"Fax": "+1 (312) 555-0101"},
    ),
    (
        "Priya Patel | Senior Software Engineer | Hooli | +1 650 555 0147 | priya@hooli.com",
        {
            "full_name": ["Priya Patel"],
            "job_title": ["Senior Software Engineer"],
            "company": ["Hooli"],
            "phone": ["+1 650 555 0147"],
            "email": ["priya@hooli.com"],
        },
        {},
    ),
    (
        "Contact Info\nEmma Wilson\nEmma's Profile\nlinkedin.com/in/emma-wilson\nWebsite\n"
        "https://emmawilson.dev (Personal)\nEmail\nemma.wilson@example.com\nPhone\n"
        "+44 7700 900456 (Mobile)\n",
        {
            "full_name": ["Emma Wilson"],
            "linkedin_url": ["linkedin.com/in/emma-wilson"],
            "website": ["https://emmawilson.dev"],
            "email": ["emma.wilson@example.com"],
            "mobile_phone": ["+44 7700 900456"],
        },
        {},
    ),
    (
        "Mit freundlichen Grüßen\n\nDr. Klaus Müller\nLeiter Vertrieb\nBeispiel GmbH\n"
        "Musterstraße 12, 10115 Berlin\nTel.: +49 30 1234567\nMobil: +49 171 2345678\n"
        "E-Mail: k.mueller@beispiel.de\nwww.beispiel.de\n",
        {
            "full_name": ["Dr. Klaus Müller"],
            "job_title": ["Leiter Vertrieb"],
            "company": ["Beispiel GmbH"],
            "phone": ["+49 30 1234567"],
            "mobile_phone": ["+49 171 2345678"],
            "email": ["k.mueller@beispiel.de"],
            "website": ["www.beispiel.de"],
        },
        {"Other text": "Musterstraße 12, 10115 Berlin"},
    ),
    (
        "Viele Grüße\nAnna Schmidt – Geschäftsführerin bei Muster AG\n"
        "Telefon: 030 98765432 | Handy: 0172 1234567\nanna.schmidt@muster.de",
        {
            "full_name": ["Anna Schmidt"],
            "job_title": ["Geschäftsführerin"],
            "company": ["Muster AG"],
            "phone": ["030 98765432"],
            "mobile_phone": ["0172 1234567"],
            "email": ["anna.schmidt@muster.de"],
        },
        {},
    ),
    (
        "Cordialement,\nMarie Dupont\nDirectrice Commerciale – Société Exemple SAS\n"
        "Tél : +33 1 23 45 67 89\nPortable : +33 6 12 34 56 78\nmarie.dupont@exemple.fr\n",
        {
            "full_name": ["Marie Dupont"],
            "job_title": ["Directrice Commerciale"],
            "company": ["Société Exemple SAS"],
            "phone": ["+33 1 23 45 67 89"],
            "mobile_phone": ["+33 6 12 34 56 78"],
            "email": ["marie.dupont@exemple.fr"],
        },
        {},
    ),
    (
        "Pierre de la Fontaine | Responsable Marketing chez Exemple SARL | "
        "pierre.delafontaine@exemple.fr",
        {
            "full_name": ["Pierre de la Fontaine"],
            "job_title": ["Responsable Marketing"],
            "company": ["Exemple SARL"],
            "email": ["pierre.delafontaine@exemple.fr"],
        },
        {},
    ),
    (
        "Un saludo,\nCarlos García López\nDirector de Ventas\nEjemplo S.L.\n"
        "Tel. +34 91 123 45 67\nMóvil: +34 612 34 56 78\ncarlos.garcia@ejemplo.es\n",
        {
            "full_name": ["Carlos García López"],
            "job_title": ["Director de Ventas"],
            "company": ["Ejemplo S.L."],
            "phone": ["+34 91 123 45 67"],
            "mobile_phone": ["+34 612 34 56 78"],
            "email": ["carlos.garcia@ejemplo.es"],
        },
        {},
    ),
    (
        "Lucía Fernández · Gerente de Marketing · Empresa Ejemplo S.A. · lucia@empresa.es",
        {
            "full_name": ["Lucía Fernández"],
            "job_title": ["Gerente de Marketing"],
            "company": ["Empresa Ejemplo S.A."],
            "email": ["lucia@empresa.es"],
        },
        {},
    ),
    (
        "--\nOliver Twist\nHead of Growth\nOrphan Labs\nP: 020 7946 0123\n"
        "Innovating since 1837\noliver@orphanlabs.io",
        {
            "full_name": ["Oliver Twist"],
            "job_title": ["Head of Growth"],
            "company": ["Orphan Labs"],
            "phone": ["020 7946 0123"],
            "email": ["oliver@orphanlabs.io"],
        },
        {"Other text": "Innovating since 1837"},
    ),
]


@pytest.mark.parametrize(("text", "fields", "extra"), SAMPLES)
def test_parse_text_splits_a_signature_into_fields(
    text: str, fields: dict[str, list[str]], extra: dict[str, str]
) -> None:
    rec = parse_text(text)
    assert {name: [c.value for c in cells] for name, cells in rec.cells.items()} == fields
    assert rec.extra == extra
    assert rec.raw == {COLUMN: text}


def test_a_parsed_signature_cleans_into_a_contact() -> None:
    result = clean_record(parse_text(SAMPLES[0][0]), "GB")
    c = result.contact
    assert (c.first_name, c.last_name, c.job_title) == ("Jane", "Smith", "Head of Marketing")
    assert c.company.name == "Acme Ltd"
    assert [p.value for p in c.phones] == ["+442079460958", "+447700900123"]
    assert c.linkedin_url == "https://www.linkedin.com/in/janesmith"


@pytest.mark.parametrize("text", ["", "   \n\n", "Best regards,\n--\n"])
def test_empty_paste_gives_an_empty_record(text: str) -> None:
    rec = parse_text(text)
    assert (rec.cells, rec.extra) == ({}, {})
