"""`leadsmith merge-book | parse-text | verify-emails` through the real CLI runner."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ui.cli import run

SIGNATURE = (
    "Kind regards,\nJane Smith\nHead of Marketing | Acme Ltd\n"
    "T: +44 20 7946 0958 | jane.smith@acme.co.uk\n"
)


@pytest.fixture(autouse=True)
def _extension(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ui.cli.EXTENSIONS", ("ui.cli_import_extra",))
    monkeypatch.setenv("LEADSMITH_DB", "")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_parse_text_from_a_file_then_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "book.db")
    sig = tmp_path / "sig.txt"
    sig.write_text(SIGNATURE, encoding="utf-8")
    code, out, _ = cli(capsys, "parse-text", "--db", db, "--file", str(sig), "--json")
    assert code == 0
    assert json.loads(out) == {
        "fields": {
            "full_name": ["Jane Smith"],
            "job_title": ["Head of Marketing"],
            "company": ["Acme Ltd"],
            "phone": ["+44 20 7946 0958"],
            "email": ["jane.smith@acme.co.uk"],
        },
        "extra": {},
    }
    code, out, _ = cli(capsys, "parse-text", "--db", db, "--file", str(sig), "--add")
    assert code == 0
    assert out.splitlines()[-1] == "added contact #1"


def test_parse_text_reads_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(SIGNATURE))
    code, out, _ = cli(capsys, "parse-text", "--db", str(tmp_path / "b.db"))
    assert code == 0
    assert sorted(out.splitlines()) == [
        "company: Acme Ltd",
        "email: jane.smith@acme.co.uk",
        "full_name: Jane Smith",
        "job_title: Head of Marketing",
        "phone: +44 20 7946 0958",
    ]


def test_merge_book_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other, mine = str(tmp_path / "other.db"), str(tmp_path / "mine.db")
    sig = tmp_path / "sig.txt"
    sig.write_text(SIGNATURE, encoding="utf-8")
    assert cli(capsys, "parse-text", "--db", other, "--file", str(sig), "--add")[0] == 0
    code, out, _ = cli(capsys, "merge-book", other, "--db", mine, "--source", "Other", "--json")
    assert code == 0
    doc = json.loads(out)
    assert (doc["rows"], doc["added"], doc["merged"], doc["skipped"]) == (1, 1, 0, 0)
    code, out, _ = cli(capsys, "merge-book", other, "--db", mine)
    assert (code, out.strip()) == (
        0,
        f"other.db: 1 contacts read, 0 added, 1 merged, 0 skipped (import #{doc['import_id'] + 1})",
    )
    code, _, err = cli(capsys, "merge-book", str(tmp_path / "nope.db"), "--db", mine)
    assert code == 1
    assert err.startswith("leadsmith: ") and "no such book file" in err
    assert len(err.strip().splitlines()) == 1


def test_verify_emails_with_no_addresses_and_a_bad_nameserver(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "book.db")
    code, out, _ = cli(
        capsys, "verify-emails", "--db", db, "--nameserver", "127.0.0.1:53", "--json"
    )
    assert code == 0
    assert json.loads(out) == {
        "checked": 0,
        "deliverable": 0,
        "undeliverable": 0,
        "unknown": 0,
        "op_id": None,
    }
    code, _, err = cli(capsys, "verify-emails", "--db", db, "--nameserver", "127.0.0.1:port")
    assert code == 1
    assert err.startswith("leadsmith: --nameserver")
