"""`leadsmith audience|tag|status|lists|economics|review` JSON shapes, exit codes and messages."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from ui.cli import run


@pytest.fixture
def cli(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    people: list[list[str]],
) -> Any:
    """Run `leadsmith ARGS --db BOOK`; returns (exit code, JSON or text, stderr)."""
    monkeypatch.setattr("ui.cli.EXTENSIONS", ("ui.cli_audience",))
    db = tmp_path / "book.db"
    path = tmp_path / "people.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "First Name",
                "Last Name",
                "Email",
                "Phone",
                "Title",
                "Company",
                "Industry",
                "Employees",
                "Country",
            ]
        )
        w.writerows(people)

    def call(*args: str) -> tuple[int, Any, str]:
        code = run([*args, "--db", str(db)])
        out, err = capsys.readouterr()
        return code, json.loads(out) if "--json" in args and code == 0 else out, err

    code, _out, err = call("import", str(path), "--list", "Q3 fintech", "--json")
    assert code == 0, err
    return call


def test_audience_save_apply_list_explain(cli: Any) -> None:
    code, saved, _ = cli(
        "audience",
        "save",
        "UK fintech CMOs",
        "--title-keyword",
        "marketing",
        "--seniority",
        "C-level",
        "--industry",
        "Fintech",
        "--size",
        "51-200",
        "--country",
        "GB",
        "--exclude-domain",
        "rival.com",
        "--threshold",
        "60",
        "--weight",
        "country=20",
        "--json",
    )
    assert code == 0
    assert saved == {
        "id": 1,
        "name": "UK fintech CMOs",
        "criteria": {
            "title_keywords": ["marketing"],
            "seniorities": ["C-level"],
            "departments": [],
            "industries": ["Finance"],
            "sizes": ["51-200"],
            "countries": ["GB"],
            "require_email": False,
            "require_phone": False,
            "exclude_domains": ["rival.com"],
        },
        "weights": {
            "title": 25,
            "seniority": 20,
            "department": 15,
            "industry": 15,
            "size": 15,
            "country": 20,
        },
        "threshold": 60,
        "auto_apply": True,
        "matching": 1,
    }
    assert cli("audience", "apply", "UK fintech CMOs", "--json")[1] == {
        "audience": "UK fintech CMOs",
        "scored": 4,
        "matched": 1,
        "tagged": 1,
        "untagged": 0,
        "promoted": 2,
    }
    listed = cli("audience", "list", "--json")[1]
    assert [(a["name"], a["matching"]) for a in listed["audiences"]] == [("UK fintech CMOs", 1)]
    fit = cli("audience", "explain", "UK fintech CMOs", "4", "--json")[1]
    assert (fit["score"], fit["grade"], fit["matched"]) == (79, "B", False)  # 75 of 95
    assert cli("audience", "count", "--country", "FR", "--json")[1] == {"matching": 1}
    code, _out, err = cli("audience", "apply", "Nobody")
    assert (code, err) == (1, "leadsmith: no audience called 'Nobody'\n")


def test_tag_and_status_commands(cli: Any) -> None:
    assert cli("tag", "add", "hot", "1", "2", "--json")[1] == {
        "tag": "hot",
        "action": "add",
        "changed": 2,
        "ids": [1, 2],
    }
    assert cli("tag", "remove", "hot", "2", "--json")[1]["changed"] == 1
    assert cli("status", "set", "sal", "1", "--json")[1] == {
        "status": "SAL",
        "moved": 1,
        "ids": [1],
    }
    code, _out, err = cli("status", "set", "SQL", "1", "--budget", "50k")
    assert code == 1
    assert err == (
        "leadsmith: cannot move contact #1 to SQL: BANT is incomplete, missing authority, need, "
        "timeline. Fill in each of budget, authority, need and timeline (a value or an evidence "
        "note).\n"
    )
    code, doc, _ = cli(
        "status",
        "set",
        "SQL",
        "1",
        "--budget",
        "50k",
        "--authority",
        "CMO",
        "--need",
        "churn",
        "--timeline",
        "Q3",
        "--json",
    )
    assert (code, doc) == (0, {"status": "SQL", "moved": 1, "ids": [1]})
    code, _out, err = cli("status", "set", "Customer", "2")
    assert code == 1 and "from New to Customer" in err


def test_lists_and_economics(cli: Any) -> None:
    assert cli("lists", "create", "Events", "--cost", "40", "--json")[1] == {
        "id": 2,
        "list": "Events",
        "cost": 40.0,
    }
    assert cli("lists", "cost", "Q3 fintech", "200", "--json")[1] == {
        "list": "Q3 fintech",
        "cost": 200.0,
    }
    assert cli("lists", "show", "--json")[1] == {
        "lists": [
            {"name": "Events", "members": 0, "cost": 40.0},
            {"name": "Q3 fintech", "members": 4, "cost": 200.0},
        ]
    }
    cli("review", "accept", "1", "2")
    doc = cli("economics", "--list", "Q3 fintech", "--json")[1]
    assert (doc["leads"], doc["sal"], doc["cost_per_lead"], doc["cost_per_sal"]) == (
        4,
        2,
        50.0,
        100.0,
    )
    whole = cli("economics", "--json")[1]
    assert sorted(whole) == ["imports", "lists", "total"]
    assert whole["total"]["cost"] == 240.0
    assert cli("lists", "import-cost", "1", "10", "--json")[1] == {"import_id": 1, "cost": 10.0}


def test_review_commands(cli: Any) -> None:
    assert cli("review", "progress", "--json")[1] == {"reviewed": 0, "total": 4}
    nxt = cli("review", "next", "--list", "Q3 fintech", "--json")[1]
    assert (nxt["contact"]["first_name"], nxt["reviewed"], nxt["total"]) == ("Ann", 0, 4)
    assert cli("review", "reject", "1", "--reason", "competitor", "--json")[1] == {
        "rejected": [1],
        "status": "Disqualified",
        "reason": "competitor",
    }
    assert cli("review", "note", "2", "call back", "--json")[1]["notes"].endswith("call back")
    assert cli("review", "progress", "--json")[1] == {"reviewed": 1, "total": 4}
    assert cli("classify-titles", "--json")[1] == {"classified": 0}
