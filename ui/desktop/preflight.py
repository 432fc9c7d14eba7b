"""Checks made before Qt loads, so a missing system library is one clear line, not a Qt abort."""

from __future__ import annotations

import ctypes.util
import sys
from collections.abc import Callable, Mapping

# Libraries Qt's xcb platform plugin loads (names as ctypes.util.find_library spells them).
XCB_LIBRARIES: tuple[str, ...] = (
    "xcb-cursor", "xkbcommon-x11", "xcb-icccm", "xcb-image", "xcb-keysyms", "xcb-randr",
    "xcb-render-util", "xcb-shape", "xcb-xinerama", "xcb-xkb", "EGL", "GL", "fontconfig", "dbus-1",
)  # fmt: skip

APT_FIX = (
    "sudo apt-get install -y libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
    "libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 "
    "libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3"
)


def missing_libraries(find: Callable[[str], str | None] = ctypes.util.find_library) -> list[str]:
    """The xcb platform libraries the system linker cannot find."""
    return [name for name in XCB_LIBRARIES if not find(name)]


def missing_libraries_message(missing: list[str]) -> str:
    """One line telling the user which libraries are missing and the command that installs them."""
    return (
        f"Leadsmith cannot open a window: system libraries are missing ({', '.join(missing)}). "
        f"Install them with: {APT_FIX}"
    )


def preflight(
    env: Mapping[str, str],
    platform: str = sys.platform,
    find: Callable[[str], str | None] = ctypes.util.find_library,
) -> str | None:
    """Why the desktop cannot start here (one line for stderr), or None when it can."""
    qpa = env.get("QT_QPA_PLATFORM", "").strip()
    # Only the default (xcb) platform on Linux needs a display and the X libraries;
    # offscreen, wayland, vnc… are the user's explicit choice.
    if not platform.startswith("linux") or qpa not in ("", "xcb"):
        return None
    missing = missing_libraries(find)
    if missing:
        return missing_libraries_message(missing)
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "Leadsmith cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY are unset). "
            "Run it in a desktop session, or headless with: xvfb-run -a leadsmith"
        )
    return None
