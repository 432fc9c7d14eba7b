"""Sniffing real sample files: encoding, delimiter, sep= line, header row and preamble."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from importers.sniff import detect_delimiter, detect_encoding, detect_header_row, sniff_file

DATA = Path(__file__).resolve().parents[1] / "data" / "import"

LINKEDIN_NOTE = (
    "When exporting your connection data, you may notice that some of the email addresses are "
    "missing. You will only see email addresses for connections who have allowed their connections "
    "to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261"
)


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "header_row", "sep_line", "confidence"),
    [
        ("linkedin_connections.csv", "utf-8", ",", 3, False, "likely"),
        ("linkedin_connections_excel.csv", "utf-8-sig", ",", 3, False, "likely"),
        ("google_contacts.csv", "utf-8", ",", 0, False, "likely"),
        ("google_contacts_legacy.csv", "utf-16", ",", 0, False, "likely"),
        ("outlook.csv", "cp1252", ",", 0, False, "guess"),
        ("outlook_desktop.csv", "cp1252", ",", 0, False, "guess"),
        ("apollo_people.csv", "utf-8", ",", 0, False, "likely"),
        ("zoominfo_contacts.csv", "utf-8", ",", 0, False, "likely"),
        ("hubspot_contacts.csv", "utf-8", ",", 0, False, "likely"),
        ("salesforce_leads.csv", "utf-8", ",", 0, False, "likely"),
        ("european_semicolon.csv", "cp1252", ";", 0, False, "guess"),
        ("sep_line_french.csv", "utf-8", ";", 0, True, "likely"),
        ("spanish_unicode.txt", "utf-16", "\t", 0, False, "likely"),
        ("messy_prospects.csv", "utf-8-sig", ",", 2, False, "likely"),
        ("pipe_delimited.txt", "utf-8", "|", 0, False, "likely"),
        ("mixed_encoding.csv", "utf-8", ",", 0, False, "guess"),
    ],
)
def test_sniff_sample_files(
    name: str, encoding: str, delimiter: str, header_row: int, sep_line: bool, confidence: str
) -> None:
    sniffed = sniff_file(DATA / name)
    assert sniffed.encoding == encoding
    assert sniffed.delimiter == delimiter
    assert sniffed.header_row == header_row
    assert sniffed.skip_sep_line is sep_line
    assert sniffed.confidence == confidence


@pytest.mark.parametrize("name", ["linkedin_connections.csv", "linkedin_connections_excel.csv"])
def test_linkedin_preamble_is_reported(name: str) -> None:
    assert sniff_file(DATA / name).preamble == ("Notes:", LINKEDIN_NOTE, "")


def test_title_row_and_padded_row_are_the_preamble() -> None:
    sniffed = sniff_file(DATA / "messy_prospects.csv")
    assert sniffed.preamble == ("UK fintech CMOs – Q3 prospect list", "")


def test_overrides_win_over_the_guess() -> None:
    sniffed = sniff_file(
        DATA / "european_semicolon.csv", encoding="latin-1", delimiter=",", header_row=1
    )
    assert (sniffed.encoding, sniffed.delimiter, sniffed.header_row) == ("latin-1", ",", 1)
    assert sniffed.confidence == "certain"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "Name\nJosé\n".encode(), ("utf-8-sig", "certain")),
        (codecs.BOM_UTF16_LE + "Name\nJosé\n".encode("utf-16-le"), ("utf-16", "certain")),
        (codecs.BOM_UTF16_BE + "Name\nJosé\n".encode("utf-16-be"), ("utf-16", "certain")),
        ("Name,City\nAna,Lyon\n".encode("utf-16-le"), ("utf-16-le", "likely")),
        ("Name,City\nAna,Lyon\n".encode("utf-16-be"), ("utf-16-be", "likely")),
        ("Name;Stadt\nJürgen Weiß;München\n".encode(), ("utf-8", "likely")),
        (b"Name,City\nAna,Lyon\n", ("utf-8", "likely")),
        (
            "Name;Firma\nJürgen Weiß;Müller & Söhne\nJosé;Café “Ágil”\n".encode("cp1252"),
            ("cp1252", "guess"),
        ),
        ("Name\nSiobhán O’Brien – Banque de l’Ouest\n".encode("cp1252"), ("cp1252", "guess")),
        (
            "Imię;Firma\nŁukasz Żółć;Spółka z o.o.\nAgnieszka Wiśniewska;Bank Śląski\n".encode(
                "cp1250"
            ),
            ("cp1250", "guess"),
        ),
        (
            "Имя;Компания\nИван Петров;Газпром банк\nМария Иванова;Сбербанк России\n".encode(
                "cp1251"
            ),
            ("cp1251", "guess"),
        ),
        # Mostly UTF-8 with one cp1252 byte: UTF-8 (stray bytes mended), never "Ã©" everywhere.
        (
            "Renée,Société Générale,Créteil\n".encode() + "Café\n".encode("cp1252"),
            ("utf-8", "guess"),
        ),
    ],
)
def test_detect_encoding(data: bytes, expected: tuple[str, str]) -> None:
    assert detect_encoding(data) == expected


def test_a_sample_cut_inside_a_utf8_character_is_still_utf8(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    head = b"First Name,Last Name,City\n"
    line = b"Ana,Silva,Lisboa\n"
    count, rest = divmod((1 << 20) - 3 - len(head) - len(b"Bo,\n"), len(line))
    # Pad so "Zoë" starts 3 bytes before 1 MB: the sample ends between the two bytes of "ë".
    data = head + line * count + b"Bo," + b"x" * rest + b"\n" + "Zoë,Brandt,Köln\n".encode()
    path.write_bytes(data)
    assert data[(1 << 20) - 1 : (1 << 20) + 1] == "ë".encode()
    sniffed = sniff_file(path)
    assert (sniffed.encoding, sniffed.delimiter, sniffed.header_row) == ("utf-8", ",", 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n", ","),
        ("Name;Revenue;City\nA;1250000,5;Berlin\nB;980000,75;Bonn\n", ";"),
        ('name\tnote\nAna\t"a, b, c"\nBo\t"d, e"\n', "\t"),
        ('a|b\n"x|y"|z\nq|r\n', "|"),
        ('Name,Note\nAna,"line one\nline two; three; four"\nBo,ok\n', ","),
        ("emails\nana@example.com\nbo@example.com\n", ","),
    ],
)
def test_detect_delimiter(text: str, expected: str) -> None:
    assert detect_delimiter(text)[0] == expected


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        ([["First Name", "Last Name"], ["Ana", "Silva"]], 0),
        ([["Prospects 2025", ""], ["", ""], ["Name", "Email"], ["Ana", "ana@x.io"]], 2),
        ([["Notes:"], ["A long note about https://x"], [], ["First Name", "Last Name"]], 3),
        # No known header word anywhere: the first text-like row is the header.
        ([["", "", ""], ["Kolumna A", "Kolumna B", "Kolumna C"], ["1", "2", "3"]], 1),
        ([["Ana", "ana@x.io", "Lyon"], ["Name", "Email", "City"]], 1),
    ],
)
def test_detect_header_row(records: list[list[str]], expected: int) -> None:
    assert detect_header_row(records) == expected
