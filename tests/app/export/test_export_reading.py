"""The flat path's cheaper reads and lines still write the Contact path's bytes, in one process or two."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_export_flat import _same, _slow_export, varied  # noqa: F401  (fixture)
from test_export_parallel import _both

from app.book import LeadBook
from app.query import ContactFilter

WEBSITE_PRESETS = ["dynamics365", "hubspot", "salesforce-dataloader", "salesforce-wizard", "zoho"]


def _both_ways(book: LeadBook, tmp_path: Path, name: str) -> None:
    (tmp_path / "fast").mkdir()
    (tmp_path / "slow").mkdir()
    fast = book.export(name, tmp_path / "fast" / "out.csv")
    slow = _slow_export(book, name, tmp_path / "slow" / "out.csv", ContactFilter(), True)
    _same(fast, slow)


@pytest.mark.parametrize("name", WEBSITE_PRESETS)
def test_the_website_column_falls_back_to_the_domain_as_the_contact_path_does(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    name: str,
) -> None:
    # Companies with a website, with only a domain, with neither, and contacts with no company.
    conn = varied.conn
    conn.execute("UPDATE companies SET website = 'https://w.example', domain = 'w.example'")
    conn.execute("UPDATE companies SET website = '', domain = 'd.example' WHERE id % 3 = 1")
    conn.execute("UPDATE companies SET website = '', domain = '' WHERE id % 3 = 2")
    conn.execute("UPDATE contacts SET company_id = NULL WHERE id % 4 = 0")
    _both_ways(varied, tmp_path, name)
    text = (tmp_path / "fast" / "out.csv").read_text(encoding="utf-8-sig")
    assert "https://w.example" in text
    if name == "hubspot":
        assert ",d.example," in text  # the domain of a company without a website


@pytest.mark.parametrize("name", ["hubspot", "salesforce-wizard", "google-csv"])
def test_commas_quotes_and_line_breaks_in_several_columns_are_quoted_as_csv_does(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    name: str,
) -> None:
    conn = varied.conn
    conn.execute("UPDATE contacts SET first_name = 'Ana \"AJ\"' WHERE id % 5 = 0")
    conn.execute("UPDATE contacts SET city = 'Paris, TX' WHERE id % 6 = 0")
    conn.execute(
        "UPDATE contacts SET job_title = 'Head' || char(13) || 'of Sales' WHERE id % 7 = 0"
    )
    conn.execute("UPDATE companies SET name = 'Acme, Inc.' WHERE id % 2 = 0")
    _both_ways(varied, tmp_path, name)
    assert b'"Ana ""AJ"""' in (tmp_path / "fast" / "out.csv").read_bytes()


@pytest.mark.parametrize("spare", [-1, 0, 1, 1000])
def test_a_max_rows_at_or_past_the_selection_writes_the_serial_files_in_two_processes(
    varied: LeadBook,  # noqa: F811
    tmp_path: Path,
    spare: int,
) -> None:
    # At or past the snapshot's size no file can split: the workers record no row ends and their
    # parts are copied whole. One less: row ends are recorded and a split may happen.
    live = len(varied.snapshot(varied.export_selection(ContactFilter(), "hubspot")))
    overrides = {"hubspot": {"max_rows": live + spare}}
    varied.set_setting("export_overrides", json.dumps(overrides))
    serial, two = _both(varied, tmp_path, "hubspot")
    _same(two, serial)
    assert len(two.files) == 1 and two.rows > 30
