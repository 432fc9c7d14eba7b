"""The Linux preflight that runs before Qt: missing X libraries and a missing display."""

from __future__ import annotations

import pytest

from ui.desktop.preflight import XCB_LIBRARIES, missing_libraries, preflight


def all_found(name: str) -> str | None:
    return f"lib{name}.so"


def none_found(name: str) -> str | None:
    return None


def no_cursor(name: str) -> str | None:
    return None if name == "xcb-cursor" else f"lib{name}.so"


def test_missing_library_message_names_it_and_gives_one_apt_line() -> None:
    message = preflight({"DISPLAY": ":0"}, platform="linux", find=no_cursor)
    assert message is not None
    assert "\n" not in message
    assert "(xcb-cursor)" in message
    assert "sudo apt-get install -y libxcb-cursor0 libxcb-icccm4" in message
    assert message.endswith("libfontconfig1 libdbus-1-3")


def test_every_library_missing_is_listed() -> None:
    assert missing_libraries(none_found) == list(XCB_LIBRARIES)
    message = preflight({"DISPLAY": ":0"}, platform="linux", find=none_found)
    assert message is not None and "apt-get install" in message
    assert "xcb-cursor, xkbcommon-x11, xcb-icccm" in message


def test_no_display_suggests_xvfb() -> None:
    message = preflight({}, platform="linux", find=all_found)
    assert message is not None
    assert "no display" in message
    assert "xvfb-run -a leadsmith" in message


@pytest.mark.parametrize(
    ("env", "platform", "find"),
    [
        ({"DISPLAY": ":0"}, "linux", all_found),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", all_found),
        ({"DISPLAY": ":1", "QT_QPA_PLATFORM": "xcb"}, "linux", all_found),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", none_found),  # the user chose a platform
        ({"QT_QPA_PLATFORM": "wayland"}, "linux", none_found),
        ({}, "darwin", none_found),
        ({}, "win32", none_found),
    ],
)
def test_preflight_passes(env: dict[str, str], platform: str, find: object) -> None:
    assert preflight(env, platform=platform, find=find) is None  # type: ignore[arg-type]


def test_launch_prints_the_fix_and_returns_1(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from ui.desktop import launch

    monkeypatch.setattr(launch, "preflight", lambda env: "Leadsmith cannot open a window: test")
    assert launch.launch(["--db", "x.db"]) == 1
    assert capsys.readouterr().err == "Leadsmith cannot open a window: test\n"
