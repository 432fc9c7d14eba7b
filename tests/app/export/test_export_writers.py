"""Writers: CSV framing, the 50,000-row split, atomic writes, cancel, progress, XLSX and JSON."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app.contact import Company, Contact
from app.errors import JobCancelled
from app.export import LEADSMITH_CSV_COLUMNS, Preset, load_presets, write_export


def cheap_contacts(n: int) -> Iterator[Contact]:
    """n minimal contacts Salesforce accepts."""
    for i in range(1, n + 1):
        yield Contact(id=i, last_name=f"Last{i}", company=Company(name="Acme"))


def _rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.reader(fh))


def test_salesforce_wizard_splits_at_50000_rows(presets: dict[str, Preset], tmp_path: Path) -> None:
    out = tmp_path / "leads.csv"
    result = write_export(presets["salesforce-wizard"], cheap_contacts(50_001), out)
    assert result.files == [tmp_path / "leads-1.csv", tmp_path / "leads-2.csv"]
    assert result.rows == 50_001
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads-1.csv", "leads-2.csv"]
    first, second = _rows(result.files[0]), _rows(result.files[1])
    assert first[0] == second[0] == presets["salesforce-wizard"].headers
    assert (len(first) - 1, len(second) - 1) == (50_000, 1)
    assert (first[-1][2], second[1][2]) == ("Last50000", "Last50001")


@pytest.mark.parametrize(
    ("count", "files"), [(3, ["leads.csv"]), (4, ["leads-1.csv", "leads-2.csv"])]
)
def test_a_full_last_part_is_not_split(count: int, files: list[str], tmp_path: Path) -> None:
    preset = load_presets({"salesforce-wizard": {"max_rows": 3}})["salesforce-wizard"]
    result = write_export(preset, cheap_contacts(count), tmp_path / "leads.csv")
    assert [p.name for p in result.files] == files
    assert sum(len(_rows(p)) - 1 for p in result.files) == count


def test_csv_is_crlf_and_crm_files_have_no_bom(
    presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    out = tmp_path / "leads.csv"
    write_export(presets["salesforce-wizard"], [contact], out)
    data = out.read_bytes()
    assert data.startswith(b"Salutation,First Name,")
    assert data.count(b"\r\n") == 2 and b"\n" not in data.replace(b"\r\n", b"")


def test_invalid_rows_are_skipped_and_reported(presets: dict[str, Preset], tmp_path: Path) -> None:
    contacts = [
        Contact(id=1, last_name="Ng", company=Company("Acme")),
        Contact(id=2, last_name="Ho"),
    ]
    out = tmp_path / "leads.csv"
    result = write_export(presets["salesforce-wizard"], contacts, out)
    assert (result.rows, [(p.contact_id, p.message) for p in result.skipped]) == (
        1, [(2, "Company is required by Salesforce")],
    )  # fmt: skip
    assert [r[2] for r in _rows(out)[1:]] == ["Ng"]


def test_skip_invalid_false_writes_every_row(presets: dict[str, Preset], tmp_path: Path) -> None:
    out = tmp_path / "leads.csv"
    result = write_export(
        presets["salesforce-wizard"], [Contact(id=2, last_name="Ho")], out, skip_invalid=False
    )
    assert (result.rows, result.skipped, len(_rows(out))) == (1, [], 2)
    assert [p.message for p in result.warnings] == ["Company is required by Salesforce"]


def test_progress_is_reported_per_chunk(presets: dict[str, Preset], tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_export(
        presets["hubspot"], cheap_contacts(2_500), tmp_path / "h.csv",
        progress=lambda done, total: seen.append((done, total)), total=2_500,
    )  # fmt: skip
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]


@pytest.mark.parametrize("name", ["salesforce-wizard", "csv", "xlsx", "vcard4", "json"])
def test_cancel_leaves_no_file_and_keeps_the_old_one(
    name: str, presets: dict[str, Preset], tmp_path: Path
) -> None:
    out = tmp_path / "leads.out"
    out.write_text("previous export", encoding="utf-8")
    calls = iter([False, False, True])  # the start, the first chunk, then cancel at the second
    with pytest.raises(JobCancelled):
        write_export(presets[name], cheap_contacts(2_500), out, cancelled=lambda: next(calls))
    assert [p.name for p in tmp_path.iterdir()] == ["leads.out"]
    assert out.read_text(encoding="utf-8") == "previous export"


def test_an_error_mid_export_leaves_no_partial_file(
    presets: dict[str, Preset], tmp_path: Path
) -> None:
    def broken() -> Iterator[Contact]:
        yield from cheap_contacts(1100)
        raise OSError("disk full")

    for name in ("salesforce-wizard", "xlsx", "vcard3", "json"):
        with pytest.raises(OSError, match="disk full"):
            write_export(presets[name], broken(), tmp_path / f"out.{name}")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_export_still_has_its_header(presets: dict[str, Preset], tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    result = write_export(presets["zoho"], [], out)
    assert (result.files, result.rows, _rows(out)) == ([out], 0, [presets["zoho"].headers])


def test_generic_csv_has_bom_crlf_and_extra_columns(
    presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    out = tmp_path / "all.csv"
    write_export(presets["csv"], [contact], out, extra_keys=["Connected On", "Badge"])
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfLeadsmith ID,Prefix,First Name,")
    assert data.endswith(b"\r\n")
    header, row = _rows(out, "utf-8-sig")
    assert header == [*LEADSMITH_CSV_COLUMNS, "Connected On", "Badge"]
    assert row[-2:] == ["08 Feb 2026", ""]


def test_xlsx_keeps_phones_as_text_and_numbers_as_numbers(
    presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    contact.notes = '=HYPERLINK("http://evil")'
    out = tmp_path / "all.xlsx"
    write_export(presets["xlsx"], [contact], out, extra_keys=["Connected On"])
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header, row = list(sheet.iter_rows())
    assert [c.value for c in header] == [*LEADSMITH_CSV_COLUMNS, "Connected On"]
    cells = {h.value: c for h, c in zip(header, row, strict=True)}
    assert (cells["Mobile Phone"].value, cells["Mobile Phone"].data_type) == ("+447700900123", "s")
    assert (cells["Employees"].value, cells["Leadsmith ID"].value) == (250, 42)
    notes = cells["Notes"]
    assert (notes.value, notes.data_type, notes.quotePrefix) == (contact.notes, "s", True)
    assert cells["Connected On"].value == "08 Feb 2026"


def test_json_is_one_document_with_the_contact_shape(
    presets: dict[str, Preset], contact: Contact, tmp_path: Path
) -> None:
    out = tmp_path / "all.json"
    result = write_export(presets["json"], [contact, Contact(id=43, last_name="Ng")], out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert result.rows == 2 and [c["id"] for c in doc["contacts"]] == [42, 43]
    first = doc["contacts"][0]
    assert first["company"] == "Northwind Analytics, Inc."
    assert first["emails"][1]["value"] is None and first["emails"][1]["raw"] == "ana@@home"
    assert [p["e164"] for p in first["phones"]] == ["+442079460123", "+447700900123"]
    assert first["sources"] == [{"import_id": 3, "file": "Connections.csv", "row": 7}]
    assert first["extra"] == {"Connected On": "08 Feb 2026"}
    assert first["company_details"]["employees"] == 250 and first["grade"] == "A"


def test_json_of_nothing_is_still_valid(presets: dict[str, Preset], tmp_path: Path) -> None:
    out = tmp_path / "none.json"
    write_export(presets["json"], [], out)
    assert json.loads(out.read_text(encoding="utf-8")) == {"contacts": []}


def test_xlsx_reports_control_characters_it_cannot_store(
    presets: dict[str, Preset], tmp_path: Path
) -> None:
    contact = Contact(id=5, last_name="Ng\x07")
    result = write_export(presets["xlsx"], [contact], tmp_path / "x.xlsx")
    assert [(p.column, p.severity) for p in result.warnings] == [("Last Name", "warning")]
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert sheet is not None and sheet.cell(2, 5).value == "Ng"


def test_exported_files_are_not_private_to_the_writer(
    presets: dict[str, Preset], tmp_path: Path
) -> None:
    out, saved_by_hand = tmp_path / "leads.csv", tmp_path / "hand.csv"
    write_export(presets["hubspot"], [], out)
    saved_by_hand.write_text("", encoding="utf-8")
    assert out.stat().st_mode == saved_by_hand.stat().st_mode  # not mkstemp's private 0600
