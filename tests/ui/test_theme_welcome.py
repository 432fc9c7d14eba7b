"""Light/dark with the system, and the first-run welcome that opens a generated sample book."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from app.book import LeadBook
from ui.desktop import launch, theme, welcome
from ui.desktop.bar_chart import BarChart
from ui.desktop.recent_books import RecentBooks


@pytest.fixture
def app_palette(qapp) -> Iterator[None]:
    """Put the application palette back after a test that changes it."""
    before = QPalette(QGuiApplication.palette())
    yield
    QGuiApplication.setPalette(before)


def test_dark_scheme_gives_a_dark_palette_and_dark_status_colours(qtbot, app_palette) -> None:
    chart = BarChart("Emails")
    qtbot.addWidget(chart)
    chart.set_bars(
        [("valid", 5), ("invalid", 2), ("other", 1)], {"valid": "valid", "invalid": "invalid"}
    )
    theme.apply_scheme(Qt.ColorScheme.Dark)
    assert theme.is_dark()
    # Widgets take the new application palette when its change event reaches them.
    qtbot.waitUntil(lambda: theme.is_dark(chart.palette()))
    assert chart.palette().color(QPalette.ColorRole.Window) == QColor("#2b2d30")
    assert chart.bar_color("valid") == QColor(theme.DARK["valid"])
    assert chart.bar_color("accent") == QColor(theme.DARK["accent"])
    theme.apply_scheme(Qt.ColorScheme.Light)
    assert not theme.is_dark()
    qtbot.waitUntil(lambda: not theme.is_dark(chart.palette()))
    assert chart.bar_color("valid") == QColor(theme.LIGHT["valid"])
    assert chart.bar_color("#123456") == QColor("#123456")  # an explicit colour stays itself


def test_a_system_scheme_change_switches_the_palette(qapp, app_palette) -> None:
    follower = theme.SystemTheme()
    follower._on_hints_color_scheme_changed(Qt.ColorScheme.Dark)
    assert theme.is_dark()
    follower._on_hints_color_scheme_changed(Qt.ColorScheme.Light)
    assert not theme.is_dark()


def test_every_role_has_both_variants_and_readable_contrast() -> None:
    assert set(theme.LIGHT) == set(theme.DARK)
    dark_window = theme.dark_palette().color(QPalette.ColorRole.Window)
    for role in ("valid", "risky", "invalid", "muted", "accent"):
        # Text colours on the dark window must be much lighter than it.
        assert QColor(theme.DARK[role]).lightnessF() - dark_window.lightnessF() > 0.35, role


def test_first_run_is_when_no_book_was_ever_opened(tmp_path: Path) -> None:
    default = tmp_path / "leadsmith.db"
    assert welcome.is_first_run([], default)
    assert not welcome.is_first_run([tmp_path / "x.db"], default)
    default.write_bytes(b"")
    assert not welcome.is_first_run([], default)


def test_welcome_explores_a_sample_book(qtbot, tmp_path: Path) -> None:
    dialog = welcome.WelcomeDialog(sample_path=tmp_path / "Sample book.db")
    qtbot.addWidget(dialog)
    assert [b.text() for b in (dialog.sample_button, dialog.new_button, dialog.open_button)] == [
        "Explore a sample book", "New book", "Open a book…",
    ]  # fmt: skip
    dialog.sample_button.click()
    assert dialog.result() == welcome.WelcomeDialog.DialogCode.Accepted
    assert dialog.chosen == tmp_path / "Sample book.db"
    with LeadBook.open(dialog.chosen) as book:
        assert book.count() == 192
        assert [name for name, _n in book.lists()] == [
            "Fintech conference 2025", "LinkedIn — SaaS marketing",
        ]  # fmt: skip


def test_the_book_opened_last_reopens(monkeypatch, tmp_path: Path, settings: QSettings) -> None:
    monkeypatch.delenv("LEADSMITH_DB", raising=False)
    monkeypatch.setattr(launch, "default_book_path", lambda: tmp_path / "default.db")
    last = tmp_path / "last.db"
    last.write_bytes(b"")
    RecentBooks(settings).add(tmp_path / "deleted.db")
    RecentBooks(settings).add(last)
    RecentBooks(settings).add(tmp_path / "deleted-too.db")
    assert launch.choose_book(None, settings) == last  # the newest that still exists
    assert launch.choose_book(tmp_path / "given.db", settings) == tmp_path / "given.db"
    monkeypatch.setenv("LEADSMITH_DB", str(tmp_path / "env.db"))
    assert launch.choose_book(None, settings) == tmp_path / "default.db"


def test_first_run_shows_the_welcome(monkeypatch, tmp_path: Path, settings: QSettings) -> None:
    monkeypatch.delenv("LEADSMITH_DB", raising=False)
    monkeypatch.setattr(launch, "default_book_path", lambda: tmp_path / "default.db")
    monkeypatch.setattr(welcome, "default_book_path", lambda: tmp_path / "default.db")

    def pick_new(dialog: welcome.WelcomeDialog) -> int:
        dialog.new_button.click()
        return int(dialog.result())

    monkeypatch.setattr(welcome.WelcomeDialog, "exec", pick_new)
    assert launch.choose_book(None, settings) == tmp_path / "default.db"
    monkeypatch.setattr(welcome.WelcomeDialog, "exec", lambda dialog: 0)  # closed: nothing opens
    assert launch.choose_book(None, settings) is None
