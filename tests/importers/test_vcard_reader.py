"""vCard 2.1/3.0/4.0 files read as one row per card, then imported with exact field values."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.book import LeadBook
from app.errors import InvalidFile
from importers.mapping import suggest_mapping
from importers.pipeline import run_import
from importers.source import open_table
from importers.vcard_reader import logical_lines, open_vcard, parse_line, split_escaped, unescape

DATA = Path(__file__).resolve().parents[1] / "data" / "import" / "vcard"


def cards(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Headers, and each card as {column: value} without its empty columns."""
    source = open_table(path)
    try:
        assert (source.format, source.layout) == ("vcard", "vcard")
        rows = [
            (n, {h: v for h, v in zip(source.headers, r, strict=True) if v})
            for n, r in source.rows()
        ]
        return source.headers, rows
    finally:
        source.close()


def test_vcard_21_quoted_printable_and_bare_parameters() -> None:
    headers, rows = cards(DATA / "android_21.vcf")
    assert headers == [
        "FN", "N:prefix", "N:given", "N:family", "ORG", "ORG:unit", "TITLE", "EMAIL 1",
        "EMAIL 1 type", "TEL cell 1", "TEL fax 1", "TEL work 1", "ADR type", "ADR:street",
        "ADR:city", "ADR:postal_code", "ADR:country", "NOTE", "PHOTO", "X-ANDROID-CUSTOM",
    ]  # fmt: skip
    assert rows == [
        (
            1,
            {
                "FN": "Dr. Jürgen Müller",
                "N:prefix": "Dr.",
                "N:given": "Jürgen",
                "N:family": "Müller",
                "ORG": "Siemens AG",
                "ORG:unit": "Einkauf",
                "TITLE": "Leiter Einkauf",
                "EMAIL 1": "juergen.mueller@siemens.com",
                "EMAIL 1 type": "work",
                "TEL cell 1": "+49 151 23456789",
                "TEL fax 1": "+49 89 1234567",
                "TEL work 1": "+49 89 636 00",
                # "=" soft line break in the middle of "Freitag", "=0D=0A" a real one.
                "NOTE": "Trifft sich gern früh. Keine Anrufe am Freitag;\nbevorzugt E-Mail.",
                "PHOTO": "photo not imported (JPEG, about 93 bytes)",
            },
        ),
        (
            2,
            {
                "FN": "Małgorzata Świątek",
                "N:given": "Małgorzata",
                "N:family": "Świątek",
                "EMAIL 1": "gosia.swiatek@wp.pl",
                "EMAIL 1 type": "home",
                "TEL cell 1": "+48 601 234 567",
                "ADR type": "work",
                "ADR:street": "ul. Świętego Marcina 2",
                # The soft line break falls inside the two bytes of "ł".
                "ADR:city": "Wrocław",
                "ADR:postal_code": "50-001",
                "ADR:country": "Poland",
                "X-ANDROID-CUSTOM": "vnd.android.cursor.item/nickname;Gosia;1;;;;;;;;;;;;;",
            },
        ),
    ]


def test_vcard_30_folding_escapes_and_apple_groups() -> None:
    headers, rows = cards(DATA / "apple_30.vcf")
    assert headers[:7] == ["FN", "N:given", "N:additional", "N:family", "ORG", "ORG:unit", "TITLE"]
    assert headers[-1] == "CATEGORIES"
    sarah = rows[0][1]
    assert sarah == {
        "FN": "Sarah Jane O'Neill",
        "N:given": "Sarah",
        "N:additional": "Jane",
        "N:family": "O'Neill",
        "ORG": "Revolut Ltd, UK",
        "ORG:unit": "Marketing",
        "TITLE": "Chief Marketing Officer",
        "EMAIL 1": "sarah.oneill@revolut.com",
        "EMAIL 1 type": "work",
        "EMAIL 2": "sarah@oneill.me",
        "EMAIL 2 type": "home",
        "TEL 1": "+44 20 3322 8352",
        "TEL 1 label": "Assistant",
        "TEL cell 1": "+44 7700 900123",
        "ADR type": "work",
        "ADR:street": "7 Westferry Circus\nCanary Wharf",
        "ADR:city": "London",
        "ADR:postal_code": "E14 4HD",
        "ADR:country": "United Kingdom",
        "URL 1": "https://www.revolut.com",
        "LinkedIn URL": "https://www.linkedin.com/in/sarahoneill",
        "NOTE": "Met at Money20/20, Amsterdam.\nPrefers mornings; not Fridays. Path C:\\notes",
        "PRODID": "-//Apple Inc.//iPhone OS 17.0//EN",
        "X-ABADR": "gb",
        "BDAY": "1985-04-12",
        "NICKNAME": "Sadie",
        "PHOTO": "photo not imported (JPEG, about 93 bytes)",
        "CATEGORIES": "Fintech, Conference 2024",
    }
    # X-ABShowAs:COMPANY: an organization, so its FN is the company, not a person's name.
    assert rows[1] == (
        2,
        {
            "ORG": "Monzo Bank",
            "TEL work 1": "+44 20 3872 0620",
            "URL 1": "https://monzo.com",
            "X-ABSHOWAS": "COMPANY",
        },
    )


def test_vcard_40_uri_values_and_organization_cards() -> None:
    headers, rows = cards(DATA / "rfc_40.vcf")
    assert "FN (organization card)" in headers
    assert rows[0][1] == {
        "FN": "Ana María López",
        "N:given": "Ana",
        "N:additional": "María",
        "N:family": "López",
        "ORG": "Telefónica",
        "TITLE": "Directora de Marketing",
        "EMAIL 1": "ana.lopez@telefonica.es",
        "EMAIL 1 type": "work",
        "EMAIL 2": "ana.maria@gmail.com",
        "EMAIL 2 type": "home",
        "TEL cell 1": "+34-612-345-678",
        "TEL work 1": "+34-91-482-3800 ext. 102",
        "ADR type": "work",
        "ADR:street": "Gran Vía 28",
        "ADR:city": "Madrid",
        "ADR:region": "Madrid",
        "ADR:postal_code": "28013",
        "ADR:country": "Spain",
        "URL 1": "https://telefonica.com",
        "KIND": "individual",
        "GENDER": "F",
        "PHOTO": "photo not imported (JPEG, about 20 bytes)",
        "UID": "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
    }
    assert rows[1] == (
        2,
        {
            "FN (organization card)": "Banco Bilbao Vizcaya Argentaria",
            "ORG": "BBVA",
            "EMAIL 1": "info@bbva.com",
            "TEL work 1": "+34-91-374-6000",
            "URL 1": "https://www.bbva.com",
            "KIND": "org",
        },
    )


def test_every_vcard_column_maps_through_the_layout() -> None:
    source = open_table(DATA / "apple_30.vcf")
    mapping = {
        m.column: (m.field, m.confidence) for m in suggest_mapping(source.headers, layout="vcard")
    }
    assert mapping["FN"] == ("full_name", 100)
    assert mapping["N:given"] == ("first_name", 100)
    assert mapping["EMAIL 2"] == ("email", 100)
    assert mapping["TEL 1"] == ("phone", 100)
    assert mapping["TEL cell 1"] == ("mobile_phone", 100)
    assert mapping["LinkedIn URL"] == ("linkedin_url", 100)
    assert mapping["CATEGORIES"] == ("tags", 100)
    assert mapping["NICKNAME"] == (None, 0)


def test_photo_left_out_is_reported() -> None:
    source = open_vcard(DATA / "android_21.vcf")
    assert [(i.row, i.column, i.message) for i in source.issues] == [
        (1, "PHOTO", "photo not imported (JPEG, about 93 bytes)")
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("NOTE:a\r\n b\r\n\tc\r\n", ["NOTE:abc"]),
        (
            "FN;ENCODING=QUOTED-PRINTABLE:A=\r\nB=\r\nC\r\nTEL:1\r\n",
            ["FN;ENCODING=QUOTED-PRINTABLE:ABC", "TEL:1"],
        ),
        ("NOTE:first line\nsecond line\nTEL:1\n", ["NOTE:first line\nsecond line", "TEL:1"]),
        ("FN:x=\r\nTEL:1\r\n", ["FN:x=", "TEL:1"]),  # "=" ends a plain line: not a soft break
    ],
)
def test_logical_lines(text: str, lines: list[str]) -> None:
    assert list(logical_lines(text)) == lines


@pytest.mark.parametrize(
    ("line", "group", "name", "params", "value"),
    [
        ("TEL;CELL;PREF:+1 555", "", "TEL", {"TYPE": ["CELL", "PREF"]}, "+1 555"),
        (
            'TEL;VALUE=uri;TYPE="cell,voice":tel:+1-5',
            "",
            "TEL",
            {"VALUE": ["uri"], "TYPE": ["cell", "voice"]},
            "tel:+1-5",
        ),
        ("item1.EMAIL;type=INTERNET:a@b.co", "item1", "EMAIL", {"TYPE": ["INTERNET"]}, "a@b.co"),
        ("N;QUOTED-PRINTABLE:x", "", "N", {"ENCODING": ["QUOTED-PRINTABLE"]}, "x"),
    ],
)
def test_parse_line(
    line: str, group: str, name: str, params: dict[str, list[str]], value: str
) -> None:
    prop = parse_line(line)
    assert prop is not None
    assert (prop.group, prop.name, prop.params, prop.value) == (group, name, params, value)


def test_escapes() -> None:
    assert unescape(r"a\, b\; c\nd\\e\Nf") == "a, b; c\nd\\e\nf"
    assert split_escaped(r"O\;Brien;Ann\,Marie;;", ";") == ["O;Brien", "Ann,Marie", "", ""]


def test_junk_between_and_after_cards(tmp_path: Path) -> None:
    path = tmp_path / "junk.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Liam Byrne\nEMAIL:liam@stripe.com\nEND:VCARD\n"
        "some text a tool left here\n"
        'BEGIN:VCARD\nFN:Aoife Kelly\nX-CUSTOM;weird="a:b":value:with:colons\n',  # never ended
        encoding="utf-8",
    )
    headers, rows = cards(path)
    assert headers == ["FN", "EMAIL 1", "X-CUSTOM"]
    assert rows == [
        (1, {"FN": "Liam Byrne", "EMAIL 1": "liam@stripe.com"}),
        (2, {"FN": "Aoife Kelly", "X-CUSTOM": "value:with:colons"}),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.vcf", "Name,Email\n", "this .vcf file does not start with BEGIN:VCARD."),
        (
            "y.vcf",
            "BEGIN:VCARD\nEND:VCARD\n",
            "no BEGIN:VCARD ... END:VCARD card with a value was found.",
        ),
    ],
)
def test_bad_vcard_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        open_table(path)
    assert str(caught.value) == f"{path}: {message}"


def test_import_vcards_end_to_end(book: LeadBook) -> None:
    for name in ("android_21.vcf", "apple_30.vcf", "rfc_40.vcf"):
        report = run_import(book, DATA / name)
        assert (report.format, report.rows, report.added) == ("vcard", 2, 2)
    people = {c.company.name if not c.last_name else c.last_name: c for c in book.contacts()}
    assert sorted(people) == ["BBVA", "López", "Monzo Bank", "Müller", "O'Neill", "Świątek"]
    jurgen = people["Müller"]
    assert (jurgen.prefix, jurgen.first_name, jurgen.job_title, jurgen.department) == (
        "Dr.", "Jürgen", "Leiter Einkauf", "Einkauf"
    )  # fmt: skip
    assert jurgen.notes == "Trifft sich gern früh. Keine Anrufe am Freitag;\nbevorzugt E-Mail."
    assert [(p.value, p.label) for p in jurgen.phones] == [
        ("+498963600", "work"),
        ("+4915123456789", "mobile"),
    ]
    assert jurgen.extra["TEL fax 1"] == "+49 89 1234567"  # a fax is kept, not dialled
    gosia = people["Świątek"]
    assert (gosia.first_name, gosia.street, gosia.city, gosia.postal_code, gosia.country) == (
        "Małgorzata", "ul. Świętego Marcina 2", "Wrocław", "50-001", "PL"
    )  # fmt: skip
    sarah = people["O'Neill"]
    assert (sarah.first_name, sarah.middle_name, sarah.company.name) == (
        "Sarah",
        "Jane",
        "Revolut Ltd, UK",
    )
    assert [p.value for p in sarah.emails] == ["sarah.oneill@revolut.com", "sarah@oneill.me"]
    assert sarah.linkedin_url == "https://www.linkedin.com/in/sarahoneill"
    assert sarah.company.website == "https://www.revolut.com"
    assert sorted(sarah.tags) == ["Conference 2024", "Fintech"]
    assert (sarah.street, sarah.city, sarah.country) == (
        "7 Westferry Circus\nCanary Wharf",
        "London",
        "GB",
    )
    assert sarah.extra["NICKNAME"] == "Sadie"
    assert sarah.extra["PHOTO"] == "photo not imported (JPEG, about 93 bytes)"
    monzo = people["Monzo Bank"]
    assert (monzo.first_name, monzo.last_name, monzo.primary_phone) == ("", "", "+442038720620")
    ana = people["López"]
    assert (ana.first_name, ana.middle_name, ana.company.name) == ("Ana", "María", "Telefónica")
    assert [(p.value, p.label) for p in ana.phones] == [
        ("+34914823800", "work"),
        ("+34612345678", "mobile"),
    ]
    bbva = people["BBVA"]
    assert (bbva.first_name, bbva.last_name, bbva.primary_email) == ("", "", "info@bbva.com")
    assert bbva.extra["FN (organization card)"] == "Banco Bilbao Vizcaya Argentaria"


def test_an_empty_card_is_reported_and_keeps_the_numbering(tmp_path: Path) -> None:
    path = tmp_path / "gap.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Aoife Kelly\nEND:VCARD\n",
        encoding="utf-8",
    )
    source = open_table(path)
    assert list(source.rows()) == [(2, ["Aoife Kelly"])]
    assert source.skipped_rows == [(1, "empty card")]
