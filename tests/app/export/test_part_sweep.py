"""Hidden `.part` files a killed export left behind are swept by the next export to that target."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.contact import Company, Contact
from app.export import Preset, write_export
from app.export.sinks import STALE_PART_SECONDS, remove_stale_parts


def _leftover(folder: Path, name: str, age: float) -> Path:
    """A file as a SIGKILLed export leaves it, last written `age` seconds ago."""
    path = folder / name
    path.write_text("First Name,Email\nAna,ana@example.com\n", encoding="utf-8")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


@pytest.mark.parametrize(
    ("name", "age", "swept"),
    [
        (".leads.csv.0a1b2c3d4e5f.part", STALE_PART_SECONDS + 60, True),  # killed a while ago
        (".leads.csv.0a1b2c3d4e5f.part", 5, False),  # may belong to a live export
        (".other.csv.0a1b2c3d4e5f.part", 3600, False),  # another target's part
        (".leads.csv.notes.part", 3600, False),  # not our random-token pattern
        ("leads.csv.0a1b2c3d4e5f.part", 3600, False),  # not hidden: not written by an export
        (".leads.csv.0a1b2c3d4e5f.part.bak", 3600, False),
        (".leadsXcsv.0a1b2c3d4e5f.part", 3600, False),  # the dot in the name is literal
    ],
)
def test_only_stale_parts_of_the_same_target_are_swept(
    presets: dict[str, Preset], tmp_path: Path, name: str, age: float, swept: bool
) -> None:
    leftover = _leftover(tmp_path, name, age)
    contact = Contact(id=1, last_name="Lopez", company=Company(name="Acme"))
    result = write_export(presets["salesforce-wizard"], [contact], tmp_path / "leads.csv")
    assert result.rows == 1
    assert leftover.exists() is not swept
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["leads.csv"] + ([] if swept else [name])
    )


def test_sweep_reports_what_it_removed_and_keeps_other_files(tmp_path: Path) -> None:
    old_parts = [
        _leftover(tmp_path, ".leads.csv.aaaaaaaaaaaa.part", 120),
        _leftover(tmp_path, ".leads.csv.bbbbbbbbbbbb.part", 7200),
    ]
    fresh = _leftover(tmp_path, ".leads.csv.cccccccccccc.part", 0)
    target = _leftover(tmp_path, "leads.csv", 7200)
    removed = remove_stale_parts(tmp_path / "leads.csv")
    assert sorted(removed) == sorted(old_parts)
    assert sorted(tmp_path.iterdir()) == sorted([fresh, target])


def test_the_age_limit_is_measured_from_now(tmp_path: Path) -> None:
    part = _leftover(tmp_path, ".leads.csv.abcdefabcdef.part", 0)
    stamp = part.stat().st_mtime
    assert remove_stale_parts(tmp_path / "leads.csv", now=stamp + 59) == []
    assert remove_stale_parts(tmp_path / "leads.csv", now=stamp + 61) == [part]
    assert not part.exists()


def test_a_folder_of_a_part_is_never_removed(tmp_path: Path) -> None:
    folder = tmp_path / ".leads.csv.abcdefabcdef.part"
    folder.mkdir()
    stamp = time.time() - 3600
    os.utime(folder, (stamp, stamp))
    assert remove_stale_parts(tmp_path / "leads.csv") == []
    assert folder.is_dir()


def test_a_live_split_export_keeps_its_finished_parts_fresh(
    presets: dict[str, Preset], tmp_path: Path
) -> None:
    out = tmp_path / "leads.csv"
    preset = dataclasses.replace(presets["salesforce-wizard"], max_rows=1000)
    swept: list[Path] = []

    def contacts() -> Iterator[Contact]:
        for i in range(1, 3001):
            if i == 1500:  # part 1 is finished: make every part look abandoned long ago
                for part in tmp_path.glob(".leads.csv.*.part"):
                    os.utime(part, (time.time() - 3600, time.time() - 3600))
            if i == 2500:  # a second export to the same target starts while this one runs
                swept.extend(remove_stale_parts(out))
            yield Contact(id=i, last_name=f"Last{i}", company=Company(name="Acme"))

    result = write_export(preset, contacts(), out)
    assert swept == []
    assert [p.name for p in result.files] == ["leads-1.csv", "leads-2.csv", "leads-3.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "leads-1.csv",
        "leads-2.csv",
        "leads-3.csv",
    ]
