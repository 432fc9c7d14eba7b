"""Export presets as data: one TOML file per target in resources/crm/, mapped onto Contacts."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from app.contact import Contact
from app.errors import InvalidValue
from app.export.leadsmith_csv import leadsmith_csv_row
from app.export.safety import safe_cell
from app.export.values import Value, compile_source, format_number, is_known_source

PRESETS_DIR = Path(__file__).resolve().parents[2] / "resources" / "crm"

WRITERS = ("csv", "xlsx", "vcard", "json")
KINDS = ("text", "phone", "email", "int", "number", "date", "bool")
LAYOUTS = ("", "leadsmith")  # "leadsmith": the whole contact (leadsmith_csv), not `columns`
LINE_ENDINGS = {"crlf": "\r\n", "lf": "\n", "\r\n": "\r\n", "\n": "\n"}
FALLBACK_KEY = "*"  # a value-map entry used for any value the map does not list
_TEXT_KINDS = ("text", "phone", "email")


@dataclass(frozen=True)
class PresetColumn:
    """One output column: its exact header, what fills it, and the target's limits on it."""

    header: str
    source: str
    required: bool = False
    max_length: int | None = None
    picklist: str = ""
    kind: str = "text"
    max_value: float | None = None


@dataclass(frozen=True)
class Preset:
    """An export target: writer, exact columns, encoding, line ending, limits and picklist maps."""

    name: str
    label: str
    writer: str
    columns: tuple[PresetColumn, ...]
    encoding: str
    line_ending: str
    max_rows: int | None
    value_maps: Mapping[str, Mapping[str, str]]
    date_format: str
    neutralize: bool
    vcard_version: str = ""
    target: str = ""  # the CRM's name in messages ("Salesforce")
    extension: str = ""
    layout: str = ""
    list_separator: str = "; "
    require_any: tuple[str, ...] = ()  # headers of which at least one must be non-empty
    description: str = ""
    _folded: Mapping[str, Mapping[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _getters: tuple[Callable[[Contact], Value], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Picklist lookups ignore case: "sql" and "SQL" both map; folded once, not per row.
        folded = {
            name: {k.casefold(): v for k, v in mapping.items()}
            for name, mapping in self.value_maps.items()
        }
        object.__setattr__(self, "_folded", folded)
        getters = tuple(compile_source(c.source) for c in self.columns)
        object.__setattr__(self, "_getters", getters)

    @property
    def headers(self) -> list[str]:
        """The header line of a column-based preset."""
        return [c.header for c in self.columns]

    @property
    def who(self) -> str:
        """The target's name for messages ("Salesforce", or the label when none is set)."""
        return self.target or self.label

    def map_value(self, picklist: str, value: str) -> str | None:
        """The target's value for one of ours, or None when the picklist does not list it."""
        folded = self._folded.get(picklist, {})
        mapped = folded.get(value.strip().casefold())
        if mapped is None:
            mapped = folded.get(FALLBACK_KEY)
        return mapped


def load_presets(
    overrides: Mapping[str, Any] | None = None, folder: Path | None = None
) -> dict[str, Preset]:
    """Every preset in resources/crm/*.toml, with a book's picklist edits applied over them."""
    presets: dict[str, Preset] = {}
    for path in sorted((folder or PRESETS_DIR).glob("*.toml")):
        with path.open("rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise InvalidValue(f"{path.name}: not valid TOML ({exc})") from exc
        preset = preset_from_dict(data, where=path.name)
        presets[preset.name] = preset
    for name, change in (overrides or {}).items():
        if name not in presets:
            raise InvalidValue(f"No export preset named {name!r} to override.")
        presets[name] = _apply_override(presets[name], change)
    return presets


_SCALARS = (
    "label",
    "encoding",
    "date_format",
    "neutralize",
    "max_rows",
    "list_separator",
    "target",
)


def _apply_override(preset: Preset, change: Mapping[str, Any]) -> Preset:
    unknown = set(change) - {"value_maps", "line_ending", *_SCALARS}
    if unknown:
        raise InvalidValue(
            f"Cannot override {', '.join(sorted(unknown))} of preset {preset.name!r}."
        )
    data = _preset_to_dict(preset)
    for key, value in change.items():
        if key == "value_maps":
            for map_name, entries in value.items():
                data["value_maps"].setdefault(map_name, {}).update(entries)
        else:
            data[key] = value
    return preset_from_dict(data, where=f"override of {preset.name}")


def _preset_to_dict(preset: Preset) -> dict[str, Any]:
    return {
        "name": preset.name,
        "label": preset.label,
        "writer": preset.writer,
        "columns": [c.__dict__.copy() for c in preset.columns],
        "encoding": preset.encoding,
        "line_ending": preset.line_ending,
        "max_rows": preset.max_rows,
        "value_maps": {k: dict(v) for k, v in preset.value_maps.items()},
        "date_format": preset.date_format,
        "neutralize": preset.neutralize,
        "vcard_version": preset.vcard_version,
        "target": preset.target,
        "extension": preset.extension,
        "layout": preset.layout,
        "list_separator": preset.list_separator,
        "require_any": list(preset.require_any),
        "description": preset.description,
    }


def preset_from_dict(data: Mapping[str, Any], where: str = "preset") -> Preset:
    """Build and check one preset from its TOML table; a mistake names the file and the key."""

    def fail(message: str) -> InvalidValue:
        return InvalidValue(f"{where}: {message}")

    known = set(_preset_to_dict(_EMPTY))
    unknown = set(data) - known
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "label", "writer"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise fail(f"{key!r} is required")
    if data["writer"] not in WRITERS:
        raise fail(f"writer must be one of {', '.join(WRITERS)}")
    line_ending = LINE_ENDINGS.get(data.get("line_ending", "crlf"))
    if line_ending is None:
        raise fail("line_ending must be 'crlf' or 'lf'")
    if data.get("layout", "") not in LAYOUTS:
        raise fail("layout must be '' or 'leadsmith'")
    maps = data.get("value_maps", {})
    value_maps = {
        str(k): MappingProxyType({str(a): str(b) for a, b in v.items()}) for k, v in maps.items()
    }
    columns = tuple(_column(c, value_maps, fail) for c in data.get("columns", ()))
    headers = [c.header for c in columns]
    for name in data.get("require_any", ()):
        if name not in headers:
            raise fail(f"require_any names {name!r}, which is not a column")
    try:
        "".encode(data.get("encoding", "utf-8"))
    except LookupError as exc:
        raise fail(f"unknown encoding {data.get('encoding')!r}") from exc
    return Preset(
        name=data["name"],
        label=data["label"],
        writer=data["writer"],
        columns=columns,
        encoding=data.get("encoding", "utf-8"),
        line_ending=line_ending,
        max_rows=data.get("max_rows"),
        value_maps=MappingProxyType(value_maps),
        date_format=data.get("date_format", "%Y-%m-%d"),
        neutralize=bool(data.get("neutralize", True)),
        vcard_version=str(data.get("vcard_version", "")),
        target=str(data.get("target", "")),
        extension=str(data.get("extension", "")),
        layout=str(data.get("layout", "")),
        list_separator=str(data.get("list_separator", "; ")),
        require_any=tuple(data.get("require_any", ())),
        description=str(data.get("description", "")),
    )


def _column(raw: Mapping[str, Any], value_maps: Mapping[str, Any], fail: Any) -> PresetColumn:
    try:
        column = PresetColumn(**raw)
    except TypeError as exc:
        raise fail(f"column {raw.get('header', '?')!r}: {exc}") from exc
    if not column.header or not is_known_source(column.source):
        raise fail(f"column {column.header!r}: unknown source {column.source!r}")
    if column.kind not in KINDS:
        raise fail(f"column {column.header!r}: kind must be one of {', '.join(KINDS)}")
    if column.picklist and column.picklist not in value_maps:
        raise fail(f"column {column.header!r}: no value map named {column.picklist!r}")
    return column


_EMPTY = Preset("", "", "csv", (), "utf-8", "\r\n", None, {}, "", True)


class CellValue(NamedTuple):
    """One rendered cell: what is written, the contact's own value, and any formatting note."""

    text: str
    raw: str
    note: str = ""  # why the value was written as is (unmapped picklist value, not a number…)


_BLANK = CellValue("", "")


def render_cell(preset: Preset, column: PresetColumn, contact: Contact) -> CellValue:
    """Resolve, format, map and neutralize one cell of one contact."""
    return _render(preset, column, compile_source(column.source)(contact))


def render_row(preset: Preset, contact: Contact) -> list[CellValue]:
    """Every cell of a column-based preset for one contact (sources compiled once per preset)."""
    return [
        _render(preset, column, getter(contact))
        for column, getter in zip(preset.columns, preset._getters, strict=True)
    ]


def _render(preset: Preset, column: PresetColumn, value: Value) -> CellValue:
    if value is None or value == "" or value == []:
        if column.picklist and preset.map_value(column.picklist, "") is not None:
            return CellValue(preset.map_value(column.picklist, "") or "", "")
        return _BLANK
    note = ""
    if isinstance(value, list):
        raw = preset.list_separator.join(v for v in value if v)
    elif isinstance(value, bool):
        raw = "true" if value else "false"
    else:
        raw = str(value)
    text = raw
    kind = column.kind
    if kind == "int":
        text, note = _as_int(raw)
    elif kind == "number":
        text = format_number(raw)
        note = "" if _is_number(raw) else "is not a number"
    elif kind == "date":
        text, note = _as_date(raw, preset.date_format)
    if column.picklist:
        mapped = preset.map_value(column.picklist, text)
        if mapped is None:
            note = f"is not one of {preset.who}'s default {column.header} values; written as is"
        else:
            text = mapped
    if preset.neutralize and kind in _TEXT_KINDS:
        text = safe_cell(text, kind)
    return CellValue(text, raw, note)


def row_values(preset: Preset, contact: Contact) -> list[str]:
    """One output row for a contact: mapped to the preset's picklists and safe to open."""
    if preset.layout == "leadsmith":
        return leadsmith_csv_row(contact, (), neutralize=preset.neutralize)
    return [cell.text for cell in render_row(preset, contact)]


def _is_number(raw: str) -> bool:
    try:
        Decimal(raw.strip())
    except InvalidOperation:
        return False
    return True


def _as_int(raw: str) -> tuple[str, str]:
    try:
        number = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        return raw, "is not a whole number"
    if number != number.to_integral_value():
        return raw, "is not a whole number"
    return str(int(number)), ""


def _as_date(raw: str, date_format: str) -> tuple[str, str]:
    try:
        when = datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw, "is not a date; written as is"
    return when.strftime(date_format), ""
