"""Legal basis default, provenance, per-contact history, and the privacy CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.book import LeadBook
from app.contact import RawRecord
from app.errors import NotFound
from importers.pipeline import ImportOptions, run_import
from ui import cli


def rec(**values: str) -> RawRecord:
    r = RawRecord(row=0)
    for field_name, value in values.items():
        r.add(field_name, field_name, value)
        r.raw[field_name] = value
    return r


def people_csv(tmp_path: Path, name: str = "fair.csv") -> Path:
    path = tmp_path / name
    path.write_text(
        "First Name,Last Name,Email\nAna,Lopez,ana@example.com\nLi,Wei,li@fine.org\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("given", "default", "expected"),
    [
        ("", "legitimate interest", "legitimate interest"),
        ("consent", "legitimate interest", "consent"),
        ("", "", ""),
    ],
)
def test_default_legal_basis_fills_imports_that_give_none(
    book: LeadBook, tmp_path: Path, given: str, default: str, expected: str
) -> None:
    book.default_legal_basis = default
    report = run_import(book, people_csv(tmp_path), ImportOptions(legal_basis=given))
    bases = {r[0] for r in book.conn.execute("SELECT legal_basis FROM contacts")}
    assert bases == {expected}
    stored = book.conn.execute(
        "SELECT legal_basis FROM imports WHERE id = ?", (report.import_id,)
    ).fetchone()[0]
    assert stored == expected


def test_default_legal_basis_on_a_merge_is_undone_with_the_import(
    book: LeadBook, tmp_path: Path
) -> None:
    cid = book.add_contact(rec(first_name="Ana", email="ana@example.com")).contact_id or 0
    book.default_legal_basis = "legitimate interest"
    run_import(book, people_csv(tmp_path), ImportOptions())
    assert book.get_contact(cid).legal_basis == "legitimate interest"
    book.undo()
    assert book.get_contact(cid).legal_basis == ""
    assert book.count() == 1


def test_provenance_lists_every_source_with_its_legal_basis(book: LeadBook, tmp_path: Path) -> None:
    run_import(
        book, people_csv(tmp_path), ImportOptions(source_label="Berlin fair", legal_basis="consent")
    )
    run_import(book, people_csv(tmp_path, "again.csv"), ImportOptions(source_label="Re-scan"))
    ana = book.contacts(limit=1)[0].id or 0
    rows = book.provenance(ana)
    assert [(r["file"], r["row"], r["action"], r["source"], r["legal_basis"]) for r in rows] == [
        ("fair.csv", 1, "added", "Berlin fair", "consent"),
        ("again.csv", 1, "merged", "Re-scan", "consent"),
    ]
    assert all(r["user"] == book.user and r["imported_at"] for r in rows)
    with pytest.raises(NotFound):
        book.provenance(999)


def test_contact_history_lists_every_change_touching_the_contact(book: LeadBook) -> None:
    a = book.add_contact(rec(first_name="Ana", email="ana@example.com")).contact_id or 0
    b = book.add_contact(rec(first_name="Bob", email="bob@example.com")).contact_id or 0
    book.update_contact(a, {"job_title": "CMO"})
    book.update_contact(b, {"job_title": "CEO"})
    book.set_do_not_contact([a], "requested")
    book.undo()
    got = [(c["kind"], c["table"], c["after"], c["undone"]) for c in book.contact_history(a)]
    assert got[0][0] == "add" and got[0][3] is False
    assert got[1:] == [
        ("edit", "contacts", {"job_title": "CMO", "updated_at": got[1][2]["updated_at"]}, False),  # type: ignore[index]
        ("dnc", "contacts", got[2][2], True),
    ]
    assert got[2][2]["dnc_reason"] == "requested"  # type: ignore[index]


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("ui.cli.EXTENSIONS", ("ui.cli_privacy",))
    code = cli.run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_suppress_erase_backup_restore(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    csv = people_csv(tmp_path)
    assert run(monkeypatch, capsys, "--db", db, "legal-basis", "consent")[1].strip() == (
        "default legal basis: consent"
    )
    assert run(
        monkeypatch, capsys, "--db", db, "suppress", "add", "li@fine.org", "--reason", "asked"
    )[1].strip() == ("suppressed 1 value(s); 0 already on the list")
    code, out, _ = run(monkeypatch, capsys, "--db", db, "import", str(csv), "--json")
    assert code == 0 and (json.loads(out)["added"], json.loads(out)["skipped"]) == (1, 1)
    code, out, _ = run(monkeypatch, capsys, "--db", db, "provenance", "1", "--json")
    assert [s["legal_basis"] for s in json.loads(out)["sources"]] == ["consent"]
    code, out, _ = run(monkeypatch, capsys, "--db", db, "backup", "--json")
    saved = json.loads(out)["backup"]
    code, out, _ = run(monkeypatch, capsys, "--db", db, "erase", "1", "--reason", "asked", "--json")
    assert json.loads(out) == {"erased": 1, "suppressed": 1, "log_id": 1, "physically_purged": True}
    code, out, _ = run(monkeypatch, capsys, "--db", db, "backup", "list", "--json")
    # newest first; the CLI also made the once-a-day backup when it first opened the book
    assert [b["reason"] for b in json.loads(out)["backups"]] == ["before-erase", "manual", "daily"]
    code, out, _ = run(monkeypatch, capsys, "--db", db, "restore", saved)
    assert code == 0 and out.startswith(f"restored {saved}; the previous book was saved to ")
    code, out, _ = run(monkeypatch, capsys, "--db", db, "list", "--json")
    assert json.loads(out)["total"] == 0  # Ana's erasure is re-applied to the restored copy
    code, out, _ = run(monkeypatch, capsys, "--db", db, "suppress", "list", "--json")
    assert sorted(e["origin"] for e in json.loads(out)["suppression"]) == ["erasure", "manual"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("erase", "42"), "leadsmith: no contact with id 42"),
        (("dnc", "set", "42"), "leadsmith: no contact with id 42"),
        (("suppress", "add", "nonsense@"), "is not an email address"),
        (("suppress", "add"), "leadsmith: suppress add: give at least one value"),
        (("restore", "/nonexistent/backup.db"), "no such backup"),
    ],
)
def test_cli_failures_are_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run(monkeypatch, capsys, "--db", str(tmp_path / "x.db"), *argv)
    assert code == 1 and out == ""
    assert message in err and err.count("\n") == 1
