"""Column mapping: synonyms in four languages, fuzzy matches, ties, duplicates and records."""

from __future__ import annotations

from pathlib import Path

import pytest

from importers.csv_reader import open_table
from importers.mapping import (
    ColumnMapping,
    MappingError,
    header_signature,
    mapping_from_json,
    suggest_mapping,
    to_record,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def fields(mapping: list[ColumnMapping]) -> dict[str, str | None]:
    return {m.column: m.field for m in mapping}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "european_semicolon.csv",
            {
                "Vorname": "first_name",
                "Nachname": "last_name",
                "Firma": "company",
                "Position": "job_title",
                "E-Mail": "email",
                "Telefon": "phone",
                "Handy": "mobile_phone",
                "Straße": "street",
                "PLZ": "postal_code",
                "Ort": "city",
                "Land": "country",
                "Umsatz": "annual_revenue",
            },
        ),
        (
            "sep_line_french.csv",
            {
                "Civilité": "prefix",
                "Prénom": "first_name",
                "Nom": "last_name",
                "Société": "company",
                "Poste": "job_title",
                "Courriel": "email",
                "Téléphone": "phone",
                "Portable": "mobile_phone",
                "Adresse": "street",
                "Code postal": "postal_code",
                "Ville": "city",
                "Pays": "country",
            },
        ),
        (
            "spanish_unicode.txt",
            {
                "Nombre": "first_name",
                "Apellidos": "last_name",
                "Empresa": "company",
                "Cargo": "job_title",
                "Correo electrónico": "email",
                "Teléfono": "phone",
                "Móvil": "mobile_phone",
                "Dirección": "street",
                "Código postal": "postal_code",
                "Ciudad": "city",
                "País": "country",
            },
        ),
        (
            "messy_prospects.csv",
            {
                "Full Name": "full_name",
                "Email": "email",
                "Company": "company",
                "Job Title": "job_title",
                "Notes": "notes",
            },
        ),
        (
            "pipe_delimited.txt",
            {
                "first_name": "first_name",
                "last_name": "last_name",
                "email": "email",
                "company": "company",
                "phone": "phone",
            },
        ),
    ],
)
def test_language_headers_map_exactly(name: str, expected: dict[str, str]) -> None:
    source = open_table(DATA / name)
    samples = [values for _, values in source.rows()]
    source.close()
    mapping = suggest_mapping(source.headers, samples, source.layout)
    assert fields(mapping) == expected
    assert {m.confidence for m in mapping} == {100}
    assert all(m.reason.startswith("synonym ") for m in mapping)


@pytest.mark.parametrize(
    ("header", "field", "confidence", "reason"),
    [
        ("E-Mail-Adresse", "email", 100, "synonym 'e-mail-adresse'"),
        ("  EMAIL ADDRESS ", "email", 100, "synonym 'email address'"),
        ("\ufeffVorname", "first_name", 100, "synonym 'vorname'"),
        ("Unternehmen", "company", 100, "synonym 'unternehmen'"),
        ("Entreprise", "company", 100, "synonym 'entreprise'"),
        ("Fonction", "job_title", 100, "synonym 'fonction'"),
        ("Apellido", "last_name", 100, "synonym 'apellido'"),
        ("Puesto", "job_title", 100, "synonym 'puesto'"),
        ("Telefono", "phone", 100, "synonym 'telefono'"),  # accents optional
        ("Email 3", "email", 95, "synonym 'email 3' (numbered)"),
        ("Emial Address", "email", 92, "fuzzy 92 'email address'"),
        ("Comapny Name", "company", 91, "fuzzy 91 'company name'"),
        ("Name First", "first_name", 99, "fuzzy 100 'first name'"),
        ("Phone / Mobile", None, 0, "ambiguous: could be phone or mobile_phone"),
        ("Telefon oder Handy", None, 0, "ambiguous: could be phone or mobile_phone"),
        ("Titre", None, 0, "ambiguous: could be job_title or prefix"),
        ("Company City", None, 0, "no matching field"),
        ("Favourite colour", None, 0, "no matching field"),
        ("", None, 0, "empty header"),
    ],
)
def test_single_header(header: str, field: str | None, confidence: int, reason: str) -> None:
    (m,) = suggest_mapping([header])
    assert (m.field, m.confidence, m.reason) == (field, confidence, reason)


@pytest.mark.parametrize(
    ("header", "values", "field", "reason"),
    [
        ("Titre", ["M.", "Mme", "Dr"], "prefix", "synonym 'titre'; values decide prefix"),
        (
            "Titre",
            ["Directeur commercial", "Head of Sales"],
            "job_title",
            "synonym 'titre'; values decide job_title",
        ),
        (
            "Kontakt",
            ["a@b.de", "c@d.de"],
            "email",
            "values are emails (header suggested full_name)",
        ),
        ("Spalte 7", ["a@b.de", "", "c@d.de"], "email", "values look like email"),
        (
            "Profil",
            ["https://www.linkedin.com/in/ana", "linkedin.com/in/bo"],
            "linkedin_url",
            "values look like linkedin url",
        ),
        ("", ["a@b.de"], "email", "values look like email"),
    ],
)
def test_sample_values_break_ties(header: str, values: list[str], field: str, reason: str) -> None:
    (m,) = suggest_mapping([header], [[v] for v in values])
    assert (m.field, m.reason) == (field, reason)


def test_two_columns_for_one_single_valued_field() -> None:
    mapping = suggest_mapping(["Company", "Firma", "Email", "E-Mail", "Phone 2"])
    assert fields(mapping) == {
        "Company": "company",
        "Firma": None,
        "Email": "email",
        "E-Mail": "email",
        "Phone 2": "phone",
    }
    assert mapping[1].reason == "duplicate target: 'Company' already maps to company"
    assert mapping[1].confidence == 0


def test_the_better_column_wins_a_single_valued_field() -> None:
    mapping = suggest_mapping(["Comapny Name", "Company"])
    assert fields(mapping) == {"Comapny Name": None, "Company": "company"}


def test_empty_and_repeated_headers_get_unique_names() -> None:
    mapping = suggest_mapping(["Email", "", "Email", "Notes"])
    assert [m.column for m in mapping] == ["Email", "column 2", "Email (2)", "Notes"]
    assert [m.index for m in mapping] == [0, 1, 2, 3]


def test_to_record_maps_pads_and_keeps_overflow() -> None:
    headers = ["First Name", "Email", "Hobby", "Email 2", "Notes"]
    mapping = suggest_mapping(headers)
    rec = to_record(7, ["Ana", " ana@x.io ", "Sailing", "", "", "late value", ""], headers, mapping)
    assert rec.row == 7
    assert {f: [(c.column, c.value) for c in cells] for f, cells in rec.cells.items()} == {
        "first_name": [("First Name", "Ana")],
        "email": [("Email", " ana@x.io ")],  # verbatim: cleaning happens later
    }
    assert rec.extra == {"Hobby": "Sailing", "column 6": "late value"}
    assert rec.raw == {
        "First Name": "Ana",
        "Email": " ana@x.io ",
        "Hobby": "Sailing",
        "Email 2": "",
        "Notes": "",
        "column 6": "late value",
        "column 7": "",
    }
    short = to_record(8, ["Bo"], headers, mapping)
    assert short.raw == {"First Name": "Bo", "Email": "", "Hobby": "", "Email 2": "", "Notes": ""}
    assert short.extra == {}
    assert list(short.cells) == ["first_name"]


def test_messy_file_to_records() -> None:
    source = open_table(DATA / "messy_prospects.csv")
    rows = list(source.rows())
    source.close()
    mapping = suggest_mapping(source.headers, [v for _, v in rows])
    records = [to_record(n, v, source.headers, mapping) for n, v in rows]
    assert [r.row for r in records] == [1, 2, 4]
    assert [r.first("full_name") for r in records] == ["Sarah O'Neill", "David Chen", "Priya Shah"]
    assert records[1].first("notes") == "Call back in Sept.\r\nPrefers mornings, not Fridays"
    assert "notes" not in records[2].cells


def test_mapping_from_json_overrides_and_keeps_the_rest() -> None:
    headers = ["Name", "Mail", "Firma", "Hobby"]
    mapping = mapping_from_json(headers, {"mail": "email", "Hobby": None, "Name": "last_name"})
    assert [(m.column, m.field, m.confidence, m.reason) for m in mapping] == [
        ("Name", "last_name", 100, "mapping file"),
        ("Mail", "email", 100, "mapping file"),
        ("Firma", "company", 100, "synonym 'firma'"),
        ("Hobby", None, 0, "mapping file: kept in extra"),
    ]


def test_mapping_from_json_gives_a_single_field_to_the_file_choice() -> None:
    mapping = mapping_from_json(["Company", "Account Name"], {"Account Name": "company"})
    assert fields(mapping) == {"Company": None, "Account Name": "company"}
    assert mapping[0].reason == "duplicate target: the mapping file sends 'Account Name' there"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"Email": "e_mail"}, "The mapping sends column 'Email' to unknown field 'e_mail'"),
        ({"Phone": "phone"}, "The mapping names column 'Phone', which is not in the file"),
        (
            {"Email": "company", "Firma": "company"},
            "The mapping sends both 'Email' and 'Firma' to company, which holds one value.",
        ),
        ({"Email": 3}, "unknown field 3"),
    ],
)
def test_mapping_from_json_errors(doc: dict[str, object], message: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping_from_json(["Email", "Firma"], doc)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_saved_mapping_round_trips() -> None:
    headers = ["Email", "", "Email", "Vorname"]
    saved = {m.column: m.field for m in suggest_mapping(headers)}
    again = mapping_from_json(headers, saved)
    assert fields(again) == {
        "Email": "email",
        "column 2": None,
        "Email (2)": "email",
        "Vorname": "first_name",
    }


def test_header_signature_is_stable_and_normalized() -> None:
    a = header_signature(["First Name", "E-mail"])
    assert a == header_signature(["\ufefffirst  name ", "E-MAIL"])
    assert a != header_signature(["E-mail", "First Name"])
    assert len(a) == 16
