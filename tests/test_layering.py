"""The one-way rule (DESIGN §4): app/ and importers/ never import Qt; the CLI never imports the desktop."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("app", ("PySide6", "shiboken6", "importers", "ui")),
        ("importers", ("PySide6", "shiboken6", "ui")),
    ],
)
def test_core_packages_do_not_import_front_ends(package: str, forbidden: tuple[str, ...]) -> None:
    offenders = [
        f"{py.relative_to(ROOT)} imports {name}"
        for py in (ROOT / package).rglob("*.py")
        for name in imported_modules(py)
        if name.split(".")[0] in forbidden or name.startswith(forbidden)
    ]
    assert offenders == []


def test_cli_does_not_import_qt() -> None:
    names = imported_modules(ROOT / "ui" / "cli.py")
    assert not [n for n in names if n.startswith(("PySide6", "ui.desktop"))]
