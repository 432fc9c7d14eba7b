"""Known export layouts (LinkedIn, Google, Outlook, Apollo, ZoomInfo, HubSpot, Salesforce)."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.fields import FIELDS_BY_NAME, normalize_header

LAYOUTS_FILE = Path(__file__).resolve().parents[1] / "resources" / "layouts.toml"


def header_key(header: str) -> str:
    """A header reduced for exact matching: case, accents, spaces and punctuation ignored."""
    text = unicodedata.normalize("NFKD", normalize_header(header))
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True)
class Layout:
    """One known export layout: how to recognize it and what each of its columns means."""

    name: str
    label: str
    detect: tuple[frozenset[str], ...]  # groups of header keys; one complete group recognizes it
    columns: dict[str, str | None]  # header key -> field (None: known, kept in extra)
    patterns: tuple[tuple[re.Pattern[str], str], ...]  # over normalize_header(header)

    def field_for(self, header: str) -> tuple[bool, str | None]:
        """(known, field) for one header of this layout; unknown headers stay in extra."""
        key = header_key(header)
        if key in self.columns:
            return True, self.columns[key]
        normalized = normalize_header(header)
        for pattern, name in self.patterns:
            if pattern.match(normalized):
                return True, name
        return False, None


@cache
def load_layouts() -> tuple[Layout, ...]:
    """Every layout in resources/layouts.toml, in file order (validated against the catalog)."""
    with LAYOUTS_FILE.open("rb") as fh:
        doc = tomllib.load(fh)
    layouts = []
    for name, spec in doc.items():
        columns: dict[str, str | None] = {}
        for header, target in spec.get("columns", {}).items():
            columns[header_key(header)] = _checked(name, target)
        patterns = tuple(
            (re.compile(rx), str(_checked(name, target)))
            for rx, target in spec.get("patterns", {}).items()
        )
        detect = tuple(frozenset(header_key(h) for h in group) for group in spec["detect"])
        layouts.append(Layout(name, spec.get("label", name), detect, columns, patterns))
    return tuple(layouts)


def _checked(layout: str, target: str) -> str | None:
    # A typo in the data file must fail loudly in tests, not silently drop a column into extra.
    if not target:
        return None
    if target not in FIELDS_BY_NAME:
        raise ValueError(f"layouts.toml [{layout}]: unknown field {target!r}")
    return target


def layout_by_name(name: str) -> Layout | None:
    """The layout called `name`, or None."""
    for layout in load_layouts():
        if layout.name == name:
            return layout
    return None


def detect_layout(headers: list[str]) -> str:
    """The name of the known layout these headers come from, or "" when none matches."""
    keys = {header_key(h) for h in headers}
    best, best_size = "", 0
    for layout in load_layouts():
        for group in layout.detect:
            if group <= keys and len(group) > best_size:
                best, best_size = layout.name, len(group)
    return best


def layout_headers() -> frozenset[str]:
    """Every header key some layout knows: a hint for finding the header row."""
    keys: set[str] = set()
    for layout in load_layouts():
        keys.update(layout.columns)
        for group in layout.detect:
            keys.update(group)
    return frozenset(keys)


def phone_field_for_label(label: str) -> str | None:
    """The phone field a Google "Phone N - Label" value points to; None for a fax number."""
    text = label.replace("*", " ").casefold()
    words = set(re.findall(r"\w+", text))
    if "fax" in words:
        return None
    if words & {"mobile", "cell", "handy", "mobil", "portable", "móvil", "celular"}:
        return "mobile_phone"
    if "home" in words:
        return "home_phone"
    return "phone"
