"""The CLI contract of DESIGN §8: JSON shapes, exit codes, one-line errors, idempotent re-import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import run

ROOT = Path(__file__).resolve().parents[2]

CSV = (
    "\ufeffFirst Name,Last Name,Email,Phone,Company,Title,Country,LinkedIn,Favourite colour\r\n"
    "Ana María,López,Ana.Lopez@Acme.com,+34 612 345 678,Acme S.L.,CMO,Spain,"
    "http://es.linkedin.com/in/ana-lopez/,blue\r\n"
    "Jürgen,Müller,jm@nordwind.de,030 1234567,Nordwind GmbH,Marketingleiter,Deutschland,,\r\n"
    "Bad,Email,bad@,12,,,,,red\r\n"
)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8", newline="")
    return path


def test_import_then_list_prints_the_design_shapes(
    tmp_path: Path, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.db")
    code, out, _ = cli(capsys, "--db", db, "import", str(people), "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"import_id", "rows", "added", "merged", "skipped", "invalid", "issues"}
    assert (report["rows"], report["added"], report["merged"], report["invalid"]) == (3, 3, 0, 1)
    assert {"row": 3, "column": "Email", "value": "bad@"}.items() <= report["issues"][0].items()

    code, out, _ = cli(capsys, "--db", db, "list", "--json")
    doc = json.loads(out)
    assert doc["total"] == 3
    ana = doc["contacts"][0]
    assert {
        "id",
        "first_name",
        "last_name",
        "company",
        "job_title",
        "seniority",
        "department",
        "country",
        "linkedin_url",
        "emails",
        "phones",
        "tags",
        "status",
        "score",
        "sources",
        "extra",
    } <= set(ana)
    assert ana["first_name"] == "Ana María"
    assert ana["emails"] == [
        {
            "value": "ana.lopez@acme.com",
            "raw": "Ana.Lopez@Acme.com",
            "status": "valid",
            "reason": "",
        }
    ]
    assert ana["phones"][0]["e164"] == "+34612345678"
    assert ana["linkedin_url"] == "https://www.linkedin.com/in/ana-lopez"
    assert ana["country"] == "ES"
    assert ana["extra"] == {"Favourite colour": "blue"}
    assert ana["sources"] == [{"import_id": report["import_id"], "file": "people.csv", "row": 1}]
    bad = doc["contacts"][2]
    assert bad["phones"] == [
        {
            "e164": None,
            "raw": "12",
            "status": "invalid",
            "label": "work",
            "reason": bad["phones"][0]["reason"],
        }
    ]


def test_importing_the_same_file_twice_adds_nothing(
    tmp_path: Path, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.db")
    cli(capsys, "--db", db, "import", str(people), "--json")
    code, out, _ = cli(capsys, "import", str(people), "--db", db, "--json")
    again = json.loads(out)
    assert (code, again["added"], again["merged"]) == (0, 0, 3)
    _, out, _ = cli(capsys, "--db", db, "list", "--json")
    assert json.loads(out)["total"] == 3


def test_add_show_and_merge_by_email(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "b.db")
    code, out, _ = cli(
        capsys,
        "--db",
        db,
        "add",
        "--first-name",
        "Zoë",
        "--last-name",
        "Brandt",
        "--email",
        "zoe@brandt.io",
        "--country",
        "DE",
        "--phone",
        "0151 23456789",
        "--json",
    )
    added = json.loads(out)
    assert (code, added["action"]) == (0, "added")
    assert added["contact"]["phones"][0]["e164"] == "+4915123456789"
    code, out, _ = cli(
        capsys, "--db", db, "add", "--email", "ZOE@brandt.io", "--title", "CTO", "--json"
    )
    merged = json.loads(out)
    assert merged["action"] == "merged" and merged["contact"]["id"] == added["contact"]["id"]
    code, out, _ = cli(capsys, "--db", db, "show", str(added["contact"]["id"]), "--json")
    shown = json.loads(out)
    assert (shown["first_name"], shown["job_title"]) == ("Zoë", "CTO")


def test_list_search_and_filters(
    tmp_path: Path, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.db")
    cli(capsys, "--db", db, "import", str(people), "--list", "Fintech CMOs")
    _, out, _ = cli(capsys, "--db", db, "list", "müll", "--json")
    assert [c["last_name"] for c in json.loads(out)["contacts"]] == ["Müller"]
    _, out, _ = cli(capsys, "--db", db, "list", "--list", "Fintech CMOs", "--limit", "1", "--json")
    doc = json.loads(out)
    assert (len(doc["contacts"]), doc["total"]) == (1, 3)


def test_dry_run_writes_nothing(
    tmp_path: Path, people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "b.db")
    code, out, _ = cli(capsys, "--db", db, "import", str(people), "--dry-run", "--json")
    assert (code, json.loads(out)["added"]) == (0, 3)
    _, out, _ = cli(capsys, "--db", db, "stats", "--json")
    assert json.loads(out)["contacts"] == 0


def test_undo_and_history(tmp_path: Path, people: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "b.db")
    cli(capsys, "--db", db, "import", str(people))
    code, out, _ = cli(capsys, "--db", db, "undo", "--json")
    assert code == 0 and json.loads(out)["undone"]["kind"] == "import"
    _, out, _ = cli(capsys, "--db", db, "history", "--json")
    ops = json.loads(out)["operations"]
    assert ops[0]["label"] == "Import people.csv" and ops[0]["undone_at"]
    code, _, err = cli(capsys, "--db", db, "undo")
    assert code == 1 and err.strip() == "leadsmith: nothing to undo"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "42"], "no contact with id 42"),
        (["import", "missing.csv"], "missing.csv: no such file"),
        (["list", "--status", "Hot"], "unknown status 'Hot'"),
        (["add"], "nothing to add"),
    ],
)
def test_failures_exit_non_zero_with_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, "--db", str(tmp_path / "b.db"), *args)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_default_book_comes_from_the_environment(tmp_path: Path, people: Path) -> None:
    env = {**os.environ, "LEADSMITH_DB": str(tmp_path / "env.db")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(people), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 3
    assert (tmp_path / "env.db").exists()
    assert (
        "PySide6"
        not in subprocess.run(
            [sys.executable, "-c", "import sys, ui.cli; print(sorted(sys.modules))"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    )


def test_footer_rows_are_reported_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(
        "Prospects for Q3,,\nName,Email,Company\nAna López,ana@acme.com,Acme\n,,\n"
        "Bob Ray,bob@beta.io,Beta\nTotal: 2 prospects,,\n",
        encoding="utf-8",
    )
    code, out, _ = cli(capsys, "--db", str(tmp_path / "b.db"), "import", str(path), "--json")
    report = json.loads(out)
    assert (code, report["added"], report["skipped"]) == (0, 2, 1)
    _, out, _ = cli(capsys, "--db", str(tmp_path / "b.db"), "list", "--json")
    names = sorted((c["first_name"], c["last_name"]) for c in json.loads(out)["contacts"])
    assert names == [("Ana", "López"), ("Bob", "Ray")]
