"""vCard 2.1/3.0/4.0 files read as a TableSource: one card per row, fixed synthetic columns.

Parsed here rather than with vobject, which rejects the quoted-printable soft line breaks of 2.1
files from phones and much real-world junk. Columns are named after the property ("FN",
"N:given", "EMAIL 1", "TEL cell 1", "ADR:city", ...) and the "vcard" layout in
resources/layouts.toml maps them. Properties with no field become columns of their own and land in
`extra`; binary PHOTO/LOGO/SOUND/KEY data is not imported, and its column says so.
"""

from __future__ import annotations

import codecs
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import importers.sniff  # noqa: F401  (registers the "leadsmith-fallback" decoding handler)
from app.contact import Issue
from app.errors import InvalidFile

_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_STRUCTURAL = {"BEGIN", "END", "VERSION", "X-ABLABEL"}
_NOT_A_TYPE = {"internet", "pref", "x400", "voice", "text", "msg"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_LINKEDIN = re.compile(r"^(https?://)?([\w-]+\.)?linkedin\.com/", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\,;:nN])")
_N_PARTS = ("family", "given", "additional", "prefix", "suffix")
_ADR_PARTS = ("pobox", "extended", "street", "city", "region", "postal_code", "country")
# Header order: people read FN first, then names, job, ways to reach, address, the rest.
_FIXED = ("FN", *(f"N:{p}" for p in ("prefix", "given", "additional", "family", "suffix")))
_FIXED += ("ORG", "ORG:unit", "TITLE")
_GROUPS = ("EMAIL", "TEL", "ADR", "URL", "LinkedIn URL", "NOTE")


@dataclass
class Prop:
    """One content line: `group.NAME;PARAM=a,b:value`, unfolded but not yet decoded."""

    group: str
    name: str
    params: dict[str, list[str]]
    value: str

    def types(self) -> set[str]:
        """TYPE parameter values, lower case (bare 2.1 parameters count as types)."""
        return {t.strip().lower() for t in self.params.get("TYPE", []) if t.strip()}

    def is_pref(self) -> bool:
        """True for a preferred value: TYPE=pref (2.1/3.0) or PREF=n (4.0)."""
        return "pref" in self.types() or "PREF" in self.params


def _split_unquoted(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def parse_line(line: str) -> Prop | None:
    """A content line as a Prop; None for a line that is not `NAME[;params]:value`."""
    head = _split_unquoted(line, ":")
    if len(head) < 2:
        return None
    value = line[len(head[0]) + 1 :]
    segments = _split_unquoted(head[0], ";")
    group, _, name = segments[0].strip().rpartition(".")
    if not re.fullmatch(r"[A-Za-z0-9-]+", name):
        return None
    params: dict[str, list[str]] = {}
    for segment in segments[1:]:
        key, eq, raw = segment.partition("=")
        key = key.strip().upper()
        if not eq:  # vCard 2.1 bare parameter: TEL;CELL;PREF or EMAIL;QUOTED-PRINTABLE
            key, raw = ("ENCODING" if key in _ENCODINGS else "TYPE"), key
        values = [v.strip().strip('"') for v in _split_unquoted(raw, ",")]
        if key == "TYPE":  # 4.0 quotes lists: TYPE="cell,voice"
            values = [t for v in values for t in v.split(",")]
        params.setdefault(key, []).extend(values)
    return Prop(group, name.upper(), params, value)


def _is_quoted_printable(line: str) -> bool:
    return "QUOTED-PRINTABLE" in _split_unquoted(line, ":")[0].upper()


def logical_lines(text: str) -> Iterator[str]:
    """Unfolded content lines: RFC folding (CRLF + space) and 2.1 quoted-printable soft breaks."""
    current: str | None = None
    for line in text.splitlines():
        if current is not None and _is_quoted_printable(current) and current.endswith("="):
            current = current[:-1] + line  # "=" at the end of a QP line is a soft line break
            continue
        if current is not None and line[:1] in (" ", "\t"):
            current += line[1:]
            continue
        if not line.strip():
            continue
        if current is not None and ":" not in line:
            # Junk: a NOTE with a raw line break, or base64 lines someone left unindented.
            binary = "BASE64" in current.upper().split(":", 1)[0] or "ENCODING=B" in current.upper()
            current += ("" if binary else "\n") + line
            continue
        if current is not None:
            yield current
        current = line
    if current is not None:
        yield current


def unescape(text: str) -> str:
    """Undo TEXT escaping: \\\\ \\, \\; \\: and \\n (other backslashes are left as written)."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def split_escaped(text: str, sep: str) -> list[str]:
    """Split on `sep` not preceded by a backslash escape, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == sep:
            parts.append(unescape("".join(current)))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append(unescape("".join(current)))
    return parts


def decoded(prop: Prop) -> str:
    """The property's value with quoted-printable and its CHARSET undone (escapes kept)."""
    encoding = {e.upper() for e in prop.params.get("ENCODING", [])}
    if "QUOTED-PRINTABLE" not in encoding:
        return prop.value
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "utf-8"
    data = quopri.decodestring(prop.value.encode("utf-8"))
    return data.decode(charset, errors="leadsmith-fallback").replace("\r\n", "\n")


@dataclass
class _Card:
    """One card's values by synthetic column, built property by property."""

    number: int
    columns: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    def put(self, column: str, value: str) -> None:
        value = value.strip()
        if not value:
            return
        name, n = column, 2
        while name in self.columns:  # a repeated property keeps every value
            name, n = f"{column} {n}", n + 1
        self.columns[name] = value


def _label(props: list[Prop]) -> dict[str, str]:
    """Apple's `itemN.X-ABLabel` per group, with `_$!<Mobile>!$_` reduced to "Mobile"."""
    labels = {}
    for p in props:
        if p.name == "X-ABLABEL" and p.group:
            text = unescape(decoded(p)).strip()
            found = _APPLE_LABEL.match(text)
            labels[p.group.lower()] = found.group(1) if found else text
    return labels


def _tel_category(words: set[str]) -> str:
    if "fax" in words or "facsimile" in words:
        return "fax"
    if words & {"cell", "mobile", "iphone", "handy", "mobil", "cellular"}:
        return "cell"
    if "pager" in words:
        return "pager"
    if "home" in words:
        return "home"
    if "work" in words:
        return "work"
    return ""


def _binary_note(prop: Prop) -> str:
    value = prop.value.strip()
    if re.match(r"^https?://", value, re.IGNORECASE):
        return ""  # a link to a photo is text: it is kept as written
    kind = (prop.types() - {"pref"} or {""}).pop().upper()
    if value.startswith("data:"):
        kind = value[5:].split(";", 1)[0].split(",", 1)[0].rpartition("/")[2].upper() or kind
        value = value.partition(",")[2]
    size = len(re.sub(r"\s", "", value)) * 3 // 4
    what = prop.name.lower()
    return f"{what} not imported ({kind + ', ' if kind else ''}about {size:,} bytes)"


def card_columns(props: list[Prop], number: int) -> _Card:
    """The synthetic columns of one card (its row in the table)."""
    card = _Card(number)
    labels = _label(props)
    emails: list[tuple[bool, str, list[str]]] = []
    tels: dict[str, list[tuple[bool, str, str]]] = {}
    adrs: list[tuple[bool, list[str], list[str]]] = []
    urls: list[str] = []
    categories: list[str] = []
    grouped = {p.group.lower() for p in props if p.group and p.name != "X-ABLABEL"}
    for p in props:
        label = labels.get(p.group.lower(), "") if p.group else ""
        words = p.types() | {w.lower() for w in re.findall(r"\w+", label)}
        if p.name in _STRUCTURAL:
            if p.name == "X-ABLABEL" and p.group.lower() not in grouped:
                card.put("X-ABLabel", label)
            continue
        value = decoded(p)
        if p.name in _BINARY:
            note = _binary_note(p)
            card.put(p.name, note or value)
            if note:
                card.issues.append(Issue(number, p.name, "", note))
        elif p.name == "N":
            for part, text in zip(_N_PARTS, split_escaped(value, ";"), strict=False):
                card.put(f"N:{part}", " ".join(x.strip() for x in text.split(",") if x.strip()))
        elif p.name == "ORG" and "ORG" not in card.columns:
            name, *units = split_escaped(value, ";")
            card.put("ORG", name)
            card.put("ORG:unit", "; ".join(u.strip() for u in units if u.strip()))
        elif p.name == "EMAIL":
            address = unescape(value).strip().removeprefix("mailto:")
            kinds = sorted(words - _NOT_A_TYPE)
            emails.append((p.is_pref(), address, kinds))
        elif p.name == "TEL":
            number_text = unescape(value).strip()
            if number_text.lower().startswith("tel:"):
                number_text = number_text[4:].replace(";ext=", " ext. ")
            category = _tel_category(words)
            known = _tel_category(set(re.findall(r"\w+", label.lower())))
            custom = label if label and not known else ""
            tels.setdefault(category, []).append((p.is_pref(), number_text, custom))
        elif p.name == "ADR":
            parts = split_escaped(value, ";")
            adrs.append((p.is_pref(), parts, sorted(words - {"pref"})))
        elif p.name == "URL" or (p.name == "X-SOCIALPROFILE" and _LINKEDIN.match(unescape(value))):
            urls.append(unescape(value).strip())
        elif p.name == "CATEGORIES":
            categories += [c.strip() for c in split_escaped(value, ",") if c.strip()]
        elif p.name == "NOTE" and "NOTE" in card.columns:
            card.columns["NOTE"] += "\n\n" + unescape(value).strip()
        else:
            card.put(p.name, unescape(value))
            card.put(f"{p.name} label", label)
    _numbered(card, emails, tels, adrs, urls)
    card.put("CATEGORIES", ", ".join(dict.fromkeys(categories)))
    _organization_card(card, props)
    return card


def _numbered(
    card: _Card,
    emails: list[tuple[bool, str, list[str]]],
    tels: dict[str, list[tuple[bool, str, str]]],
    adrs: list[tuple[bool, list[str], list[str]]],
    urls: list[str],
) -> None:
    """Numbered columns, preferred values first (the first email becomes the primary one)."""
    by_pref = sorted(emails, key=lambda e: not e[0])
    for n, (_, address, kinds) in enumerate(by_pref, start=1):
        card.put(f"EMAIL {n}", address)
        card.put(f"EMAIL {n} type", ", ".join(kinds))
    for category, numbers in tels.items():
        for n, (_, text, custom) in enumerate(sorted(numbers, key=lambda t: not t[0]), start=1):
            column = f"TEL {category} {n}" if category else f"TEL {n}"
            card.put(column, text)
            card.put(f"{column} label", custom)
    for n, (_, parts, kinds) in enumerate(sorted(adrs, key=lambda a: not a[0]), start=1):
        prefix = "ADR" if n == 1 else f"ADR {n}"
        for part, text in zip(_ADR_PARTS, parts, strict=False):
            card.put(f"{prefix}:{part}", text)
        card.put(f"{prefix} type", ", ".join(kinds))
    linkedin = [u for u in urls if _LINKEDIN.match(u)]
    for n, url in enumerate(linkedin, start=1):
        card.put("LinkedIn URL" if n == 1 else f"LinkedIn URL {n}", url)
    for n, url in enumerate((u for u in urls if not _LINKEDIN.match(u)), start=1):
        card.put(f"URL {n}", url)


def _organization_card(card: _Card, props: list[Prop]) -> None:
    """KIND:org (or Apple's X-ABShowAs:COMPANY): a company, never a person's name."""
    kind = next((decoded(p).strip().lower() for p in props if p.name == "KIND"), "")
    show_as = next((decoded(p).strip().upper() for p in props if p.name == "X-ABSHOWAS"), "")
    if kind != "org" and show_as != "COMPANY":
        return
    name = card.columns.pop("FN", "")
    parts = [card.columns.pop(f"N:{part}", "") for part in _N_PARTS]
    if not card.columns.get("ORG"):
        card.put("ORG", name)
    elif name and name != card.columns["ORG"]:
        card.put("FN (organization card)", name)
    card.put("N (organization card)", ";".join(parts).strip(";"))


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    # vCard 4.0 is UTF-8 only; older files from Windows tools may be cp1252: mend stray bytes.
    return data.decode("utf-8-sig", errors="leadsmith-fallback")


def parse_cards(text: str) -> Iterator[list[Prop]]:
    """The properties of each BEGIN:VCARD ... END:VCARD block (a card cut off at the end counts)."""
    props: list[Prop] | None = None
    for line in logical_lines(text):
        prop = parse_line(line)
        if prop is None:
            continue
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            if props:
                yield props
            props = []
        elif prop.name == "END" and prop.value.strip().upper() == "VCARD":
            if props is not None:
                yield props  # even empty: card numbers stay those a user counts
            props = None
        elif props is not None:
            props.append(prop)
    if props:
        yield props


def _rank(column: str, first_seen: int) -> tuple[int, list[object], int]:
    if column in _FIXED:
        return 0, [_FIXED.index(column)], 0
    for i, prefix in enumerate(_GROUPS, start=1):
        if column.startswith(prefix):
            for n, part in enumerate(_ADR_PARTS):  # address parts in postal order
                column = column.replace(f":{part}", f":{n}")
            return i, [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", column)], 0
    if column == "CATEGORIES":
        return len(_GROUPS) + 2, [], 0
    return len(_GROUPS) + 1, [], first_seen


class VcardSource:
    """A .vcf file as a table: one row per card, numbered from 1; implements TableSource."""

    format = "vcard"
    encoding = "utf-8"
    delimiter = ""
    layout = "vcard"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.skipped_rows: list[tuple[int, str]] = []
        self.issues: list[Issue] = []  # photos left out, one per card that had one
        self._size = path.stat().st_size
        cards = []
        for n, props in enumerate(parse_cards(_read_text(path)), start=1):
            card = card_columns(props, n)
            if card.columns:
                cards.append(card)
            else:
                self.skipped_rows.append((n, "empty card"))
        if not cards:
            raise InvalidFile(
                str(path), "no BEGIN:VCARD ... END:VCARD card with a value was found."
            )
        seen: dict[str, int] = {}
        for card in cards:
            for column in card.columns:
                seen.setdefault(column, len(seen))
            self.issues += card.issues
        self.headers: list[str] = sorted(seen, key=lambda c: _rank(c, seen[c]))
        self._cards = cards
        self._done = 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(card number, values in header order)."""
        for card in self._cards:
            self._done += 1
            yield card.number, [card.columns.get(h, "") for h in self.headers]

    def progress(self) -> tuple[int, int]:
        """(bytes, total bytes) in proportion to the cards handed out."""
        return self._size * self._done // max(len(self._cards), 1), self._size

    def close(self) -> None:
        """Nothing to release: the file was read whole when it was opened."""

    def __enter__(self) -> VcardSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_vcard(path: Path, **_: object) -> VcardSource:
    """Open a .vcf file (2.1, 3.0 or 4.0); encoding/delimiter/header overrides do not apply."""
    return VcardSource(Path(path))
