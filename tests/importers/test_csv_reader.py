"""Reading real files row by row: exact headers, row numbers and values, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import InvalidFile
from importers.csv_reader import is_footer, open_csv, open_table
from importers.sniff import sniff_file

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


def read(name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    source = open_table(DATA / name)
    try:
        return source.headers, list(source.rows())
    finally:
        source.close()


def test_messy_file_numbers_rows_as_a_user_counts_them() -> None:
    source = open_table(DATA / "messy_prospects.csv")
    rows = list(source.rows())
    source.close()
    assert source.headers == ["Full Name", "Email", "Company", "Job Title", "Notes"]
    assert rows == [
        (1, ["Sarah O'Neill", "sarah.oneill@revolut.com", "Revolut", "CMO", "Met at Money20/20"]),
        (
            2,
            [
                "David Chen",
                "david@monzo.com",
                "Monzo",
                "VP Marketing",
                "Call back in Sept.\r\nPrefers mornings, not Fridays",
            ],
        ),
        (
            4,
            [
                "Priya Shah",
                "priya.shah@starlingbank.com",
                "Starling Bank",
                "Chief Marketing Officer",
                "",
            ],
        ),
    ]
    assert source.skipped_rows == [(5, "footer row 'Total: 9 prospects'")]
    assert source.format == "csv"
    assert source.layout == ""


@pytest.mark.parametrize("name", ["linkedin_connections.csv", "linkedin_connections_excel.csv"])
def test_linkedin_rows_after_the_preamble(name: str) -> None:
    headers, rows = read(name)
    assert headers == [
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    ]
    assert rows[0] == (
        1,
        [
            "Ines",
            "Okafor-Lindqvist",
            "https://www.linkedin.com/in/ines-okafor",
            "",
            "Northwind Analytics, Inc.",
            "Director of People Ops",
            "08 Feb 2026" if name == "linkedin_connections.csv" else "08/02/2026",
        ],
    )
    assert rows[1][0] == 2
    assert rows[1][1][:4] == [
        "Mateo",
        "García",
        "https://www.linkedin.com/in/mateo-garcia-7b2",
        "mateo@finlytics.io",
    ]


@pytest.mark.parametrize(
    ("name", "row", "first_values"),
    [
        ("european_semicolon.csv", 1, ["Jürgen", "Weiß", "Müller & Söhne GmbH", "Geschäftsführer"]),
        ("outlook.csv", 2, ["Françoise", "", "Lefèvre", ""]),
        ("outlook_desktop.csv", 2, ["", "Björn", "", "Åberg"]),
        ("google_contacts_legacy.csv", 1, ["Łukasz Nowak", "Łukasz", "", "Nowak"]),
        ("spanish_unicode.txt", 1, ["Begoña", "Ibáñez Ruiz", "PagoÁgil", "Directora de Marketing"]),
        ("sep_line_french.csv", 1, ["Mme", "Élodie", "Fournier", "Crédit Mutuel Arkéa"]),
        ("pipe_delimited.txt", 1, ["Ana", "Silva", "ana.silva@nubank.com.br", "Nu | Pagamentos"]),
        ("mixed_encoding.csv", 2, ["Andre Lemaitre", "Café Finance", "Lyon"]),
        ("mixed_encoding.csv", 1, ["Renée Dupont", "Société Générale", "Créteil"]),
    ],
)
def test_values_decode_without_mojibake(name: str, row: int, first_values: list[str]) -> None:
    _, rows = read(name)
    values = dict(rows)[row]
    assert values[: len(first_values)] == first_values


def test_decimal_commas_stay_inside_their_cell() -> None:
    headers, rows = read("european_semicolon.csv")
    assert headers[-1] == "Umsatz"
    assert [values[-1] for _, values in rows] == ["1250000,5", "980000,75"]
    assert [values[7] for _, values in rows] == ["Hauptstraße 5", "Königsallee 12"]


def test_sep_line_is_not_the_header() -> None:
    headers, rows = read("sep_line_french.csv")
    assert headers[:3] == ["Civilité", "Prénom", "Nom"]
    assert len(headers) == 12
    assert [n for n, _ in rows] == [1, 2]


def test_tab_file_is_tsv() -> None:
    source = open_table(DATA / "spanish_unicode.txt")
    source.close()
    assert (source.format, source.encoding, source.delimiter) == ("tsv", "utf-16", "\t")
    assert source.headers[4] == "Correo electrónico"


def test_quoted_newline_in_google_address_is_one_cell() -> None:
    headers, rows = read("google_contacts.csv")
    values = dict(rows)[1]
    assert values[headers.index("Address 1 - Formatted")] == "1 Poultry\nLondon EC2R 8EJ"
    assert [n for n, _ in rows] == [1, 2]


def test_progress_reaches_the_file_size() -> None:
    path = DATA / "apollo_people.csv"
    source = open_table(path)
    list(source.rows())
    assert source.progress() == (path.stat().st_size, path.stat().st_size)
    source.close()
    assert source.progress() == (path.stat().st_size, path.stat().st_size)


def test_large_file_streams_with_exact_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Email,Company\r\n")
        for i in range(1, 60_001):
            fh.write(f"user{i}@example.com,Firma {i}\r\n" if i % 1000 else ",\r\n")
        fh.write("Naïve Café,Ünïcode\r\n")  # after the 1 MB sample: still UTF-8
    source = open_table(path)
    seen = 0
    last: tuple[int, list[str]] = (0, [])
    for number, values in source.rows():
        seen += 1
        last = (number, values)
        if number == 59_999:
            assert values == ["user59999@example.com", "Firma 59999"]
    source.close()
    assert seen == 60_001 - 60  # every 1000th row was padded ",": counted, not returned
    assert last == (60_001, ["Naïve Café", "Ünïcode"])


def test_cp1252_bytes_beyond_the_sample_are_mended(tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    body = b"Name,City\n" + b"Ana Silva,Lisboa\n" * 70_000
    path.write_bytes(body + "Zoë Müller,Köln\n".encode("cp1252"))
    assert sniff_file(path).encoding == "utf-8"
    source = open_table(path)
    *_, last = source.rows()
    source.close()
    assert last == (70_001, ["Zoë Müller", "Köln"])


def test_overrides_reach_the_reader() -> None:
    source = open_csv(DATA / "european_semicolon.csv", encoding="cp1252", delimiter="semicolon")
    rows = list(source.rows())
    source.close()
    assert source.delimiter == ";"
    assert rows[1][1][:2] == ["Anna", "Groß"]


def test_header_row_override_reads_from_there() -> None:
    source = open_table(DATA / "messy_prospects.csv", header_row=3)
    rows = list(source.rows())
    source.close()
    assert source.headers[0] == "Sarah O'Neill"
    assert rows[0] == (
        1,
        [
            "David Chen",
            "david@monzo.com",
            "Monzo",
            "VP Marketing",
            "Call back in Sept.\r\nPrefers mornings, not Fridays",
        ],
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty."),
        (b"\r\n\r\n  \n", "the file is empty."),
        (b",,,,\r\n,,,,\r\n", "the header row is empty: no column names were found."),
        (b"PK\x03\x04\x14\x00\x06\x00", "this is an Excel workbook or ZIP archive (.xlsx/.zip)"),
        (b"%PDF-1.7\n%\xe2\xe3", "this is a PDF document, not a contacts table"),
        (bytes(range(256)) * 8, "this is binary data, not a text table of contacts."),
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n",
            "no BEGIN:VCARD ... END:VCARD card with a value was found.",
        ),
    ],
)
def test_unreadable_files_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidFile) as caught:
        open_table(path)
    text = str(caught.value)
    assert text.startswith(str(path) + ": ")
    assert message in text


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match=r"missing\.csv: the file does not exist\."):
        open_table(tmp_path / "missing.csv")
    with pytest.raises(InvalidFile, match="this is a folder, not a file"):
        open_table(tmp_path)


def test_unclosed_quote_stops_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(b'Name,Email\nAna,ana@x.io\n"Bo,bo@x.io\nCy,cy@x.io\nDi,di@x.io\n')
    source = open_table(path)
    with pytest.raises(InvalidFile) as caught:
        list(source.rows())
    source.close()
    assert caught.value.row == 2
    assert caught.value.column == "Name"
    assert "never closed" in str(caught.value)


def test_unclosed_quote_in_a_big_file_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "broken_big.csv"
    rows = "".join(f"User {i},user{i}@x.io\n" for i in range(1, 11))
    path.write_text("Name,Email\n" + rows + '"Broken,b@x.io\n' + "Later,l@x.io\n" * 20_000)
    source = open_table(path)
    with pytest.raises(InvalidFile) as caught:
        list(source.rows())
    source.close()
    assert caught.value.row == 11
    assert 'a quote (") is probably never closed' in str(caught.value)


def test_unknown_encoding_override_is_a_clear_error() -> None:
    with pytest.raises(InvalidFile, match="unknown encoding 'klingon'"):
        open_table(DATA / "pipe_delimited.txt", encoding="klingon")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["Total: 9 prospects", "", ""], True),
        (["Total prospects: 9", "", ""], True),
        (["Summe: 12", ""], True),
        (["128 contacts", ""], True),
        (["Generated By:  Sam Lee  2/3/2024 10:15 AM", ""], True),
        (["Confidential Information - Do Not Distribute"], True),
        (["Total Solutions 2000", ""], False),
        (["Total: 9", "x"], False),
        (["Anna", ""], False),
    ],
)
def test_is_footer(cells: list[str], expected: bool) -> None:
    assert is_footer(cells) is expected
