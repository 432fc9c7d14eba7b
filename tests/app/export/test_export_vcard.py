"""vCard 3.0 / 4.0: read back with vobject; CRLF, folding at 75 octets, escaping (RFC 6350)."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from app.contact import Company, Contact, ContactPoint
from app.export import Preset, write_export
from app.export.vcard import escape_text, fold_line, vcard_text

LONG_NAME = "Zoë Łukasiewicz-Müller " * 6


def _write(preset: Preset, contacts: list[Contact], tmp_path: Path) -> bytes:
    out = tmp_path / "contacts.vcf"
    write_export(preset, contacts, out)
    return out.read_bytes()


@pytest.mark.parametrize("version", ["3", "4"])
def test_vobject_reads_back_every_field(
    version: str, presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    data = _write(presets[f"vcard{version}"], [contact], tmp_path)
    card = vobject.readOne(data.decode("utf-8"))
    assert card.version.value == f"{version}.0"
    assert card.fn.value == "Dr Ana María López"
    assert (card.n.value.family, card.n.value.given, card.n.value.prefix) == (
        "López",
        "Ana María",
        "Dr",
    )
    assert card.org.value == ["Northwind Analytics, Inc.", "Marketing"]
    assert card.title.value == "Chief Marketing Officer"
    assert [e.value for e in card.contents["email"]] == ["ana.lopez@northwind.example", "ana@@home"]
    tels = [t.value for t in card.contents["tel"]]
    prefix = "tel:" if version == "4" else ""
    assert tels == [prefix + "+442079460123", prefix + "+447700900123"]
    assert card.contents["url"][0].value == "https://www.linkedin.com/in/ana-lopez"
    assert card.note.value == "Met at Money20/20"


def test_version_4_comes_right_after_begin(presets: dict[str, Preset], tmp_path: Path) -> None:
    data = _write(presets["vcard4"], [Contact(first_name="Ana")], tmp_path)
    assert data.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ana\r\nN:;Ana;;;\r\n")
    assert data.endswith(b"END:VCARD\r\n")


def test_version_3_always_has_n_and_fn(presets: dict[str, Preset], tmp_path: Path) -> None:
    data = _write(presets["vcard3"], [Contact(company=Company("Acme"))], tmp_path)
    assert data == b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Acme\r\nN:;;;;\r\nORG:Acme\r\nEND:VCARD\r\n"


@pytest.mark.parametrize("version", ["3", "4"])
def test_long_multibyte_lines_fold_at_75_octets(
    version: str, presets: dict[str, Preset], tmp_path: Path
) -> None:
    contact = Contact(first_name=LONG_NAME.strip(), notes=LONG_NAME * 3)
    data = _write(presets[f"vcard{version}"], [contact], tmp_path)
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")  # every physical line is whole UTF-8: nothing split mid-character
    card = vobject.readOne(data.decode("utf-8"))
    assert card.fn.value == LONG_NAME.strip()
    assert card.note.value == LONG_NAME * 3


def test_fold_line_backs_off_before_a_multibyte_character() -> None:
    line = "FN:" + "a" * 71 + "ë" + "b"  # "ë" would straddle octets 75 and 76
    assert fold_line(line) == "FN:" + "a" * 71 + "\r\n ëb"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("Acme, Inc.", "Acme\\, Inc."),
        ("a;b", "a\\;b"),
        ("C:\\temp", "C:\\\\temp"),
        ("line 1\nline 2\r\nline 3", "line 1\\nline 2\\nline 3"),
    ],
)
def test_escape_text(value: str, escaped: str) -> None:
    assert escape_text(value) == escaped


@pytest.mark.parametrize("version", ["3", "4"])
def test_commas_semicolons_and_newlines_survive(
    version: str, presets: dict[str, Preset], tmp_path: Path
) -> None:
    contact = Contact(
        first_name="Jo;Anne",
        last_name="O'Neil, Jr",
        job_title="Head of Sales; EMEA",
        notes="Call back Monday,\nafter 10:00; ask for Ana",
        company=Company("Smith, Jones; Partners"),
        tags=["fintech, uk", "cmo"],
    )
    data = _write(presets[f"vcard{version}"], [contact], tmp_path)
    text = data.decode("utf-8")
    assert "N:O'Neil\\, Jr;Jo\\;Anne;;;\r\n" in text
    assert "CATEGORIES:fintech\\, uk,cmo\r\n" in text
    card = vobject.readOne(text)
    assert (card.n.value.family, card.n.value.given) == ("O'Neil, Jr", "Jo;Anne")
    assert card.title.value == "Head of Sales; EMEA"
    assert card.note.value == "Call back Monday,\nafter 10:00; ask for Ana"
    assert card.org.value == ["Smith, Jones; Partners"]
    assert card.categories.value == ["fintech, uk", "cmo"]


def test_unnormalized_phone_in_4_0_is_text(tmp_path: Path) -> None:
    contact = Contact(first_name="Ana", points=[ContactPoint("phone", "ext. 12", None, "work")])
    assert "TEL;VALUE=text;TYPE=work,voice:ext. 12\r\n" in vcard_text(contact, "4.0")
    assert "TEL;TYPE=WORK,VOICE:ext. 12\r\n" in vcard_text(contact, "3.0")


def test_many_cards_in_one_file(presets: dict[str, Preset], tmp_path: Path) -> None:
    contacts = [Contact(id=i, first_name=f"P{i}") for i in range(3)]
    data = _write(presets["vcard3"], contacts, tmp_path)
    cards = list(vobject.readComponents(data.decode("utf-8")))
    assert [c.fn.value for c in cards] == ["P0", "P1", "P2"]
    assert len({c.uid.value for c in cards}) == 3
