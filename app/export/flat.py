"""The fast path of a column-based export: flat SQL rows, per-column compiled getters.

`write_export` of a CSV preset with `columns` reads the book through this module instead of
building full Contacts: one contacts+company SELECT per chunk of ids bringing only the columns the
preset names, one points SELECT (and tags/lists/extra only when a column uses them), and a getter
per column compiled once from its `source`. Every getter mirrors its Contact-based twin in
app/export/values.py value for value; tests/app/export/test_export_flat.py checks the two paths
write the same bytes, rows, skips and warnings for every preset.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from itertools import repeat
from operator import eq, itemgetter
from typing import Any

from app.contact import Contact
from app.export.source import ID_CHUNK, BookContacts
from app.export.values import _CONTACT_TEXT, _NTH, POINT_LABELS, country_code, country_name

# One point of a contact: raw, value, label, is_primary, status, reason, and contact_id * 4 + its
# slot in Points (0 email, 1 phone, 2 url): the SELECT's own row, no tuple is rebuilt per point.
Point = tuple[str, str | None, str, int, str, str, int]
# A contact's points by kind, each primary first then by id (as Contact.emails/phones/urls).
Points = tuple[list[Point], list[Point], list[Point]]
Row = tuple[Any, ...]
Getter = Callable[[Row, Points], Any]

_NO_POINTS: Points = ([], [], [])
_ID = itemgetter(0)
_WEBSITE = "co.website|co.domain"  # a column name of FlatQuery, read as _WEBSITE_SQL
# Python's `website or domain or ""` of two TEXT columns (NULL without a company).
_WEBSITE_SQL = (
    "CASE WHEN co.website != '' THEN co.website WHEN co.domain != '' THEN co.domain ELSE '' END"
)
_KIND_SLOT = {"email": 0, "phone": 1, "url": 2}
_SLOT_SQL = "CASE kind WHEN 'email' THEN 0 WHEN 'phone' THEN 1 ELSE 2 END"  # kinds: _KIND_SLOT's
_PHONE_LABELS = ("work", "mobile", "home")
_COMPANY_TEXT = ("name", "domain", "website", "industry", "phone", "country")
_COMPANY_NUMBERS = ("employees", "annual_revenue")
_NAME_PARTS = ("prefix", "first_name", "middle_name", "last_name", "suffix")
_ADDRESS = ("street", "city", "region", "postal_code", "country")


@lru_cache(maxsize=4096)
def _country_code(text: str) -> str:
    return country_code(Contact(country=text))


@lru_cache(maxsize=4096)
def _country_name(text: str) -> str:
    return country_name(Contact(country=text))


def _text(point: Point) -> str:
    return point[1] or point[0]  # values.point_text


def _first_usable(points: list[Point]) -> str:
    # Contact.primary_email / primary_phone: the first normalized value, else the first raw text.
    for p in points:
        if p[1]:
            return p[1]
    return points[0][0] if points else ""


def _with_label(phones: list[Point], label: str) -> str:
    # values.phone_with_label
    for p in phones:
        if p[2] == label or (label == "other" and p[2] not in _PHONE_LABELS):
            return p[1] or p[0]
    return ""


def _linkedin(urls: list[Point]) -> str:
    # values.linkedin_text: the canonical URL of a LinkedIn point, else the first one's raw text.
    for p in urls:
        if p[2] == "linkedin" and p[1]:
            return p[1]
    for p in urls:
        if p[2] == "linkedin":
            return p[0]
    return ""


def _nth(points: list[Point], n: int, label: bool) -> str:
    if n > len(points):
        return ""
    point = points[n - 1]
    if not label:
        return point[1] or point[0]
    name = POINT_LABELS.get(point[2], "Other")
    return f"* {name}" if point[3] else name


def _direct_column(source: str) -> str:
    if source in _CONTACT_TEXT or source == "country":
        return source
    if source.startswith("company.") and source[8:] in _COMPANY_TEXT:
        return f"co.{source[8:]}"
    return ""


def _key_column(source: str) -> str:
    if source in ("country_code", "country_name"):
        return "country"
    return _direct_column(source)


class FlatQuery:
    """What a preset's columns need from the book, and getters over the rows that brings."""

    def __init__(self, sources: list[str]) -> None:
        self.columns: list[str] = ["c.id"]  # SQL expressions; position 0 is always the id
        self._pos: dict[str, int] = {}
        self.needs_points = False
        self.needs_tags = False
        self.needs_lists = False
        self.needs_company = False
        self.kinds: set[str] = set()  # the point kinds any getter (or check) reads
        self.tags: dict[int, list[str]] = {}
        self.lists: dict[int, list[str]] = {}
        self.getters = [self._compile(source) for source in sources]
        # Where a source is one text column of the row itself (no alternatives, no conversion).
        self.direct: list[int | None] = [self._pos.get(_direct_column(s)) for s in sources]
        # Where a source's value depends on one column of the row alone: its cell can be memoized
        # per distinct value of that column (picklists, countries).
        self.keyed: list[int | None] = [self._pos.get(_key_column(s)) for s in sources]

    # -- columns --------------------------------------------------------------------------------
    def _col(self, name: str) -> int:
        """The row position of a contacts (or `co.`-prefixed companies) column, added on first use."""
        pos = self._pos.get(name)
        if pos is None:
            if name == _WEBSITE:
                self.needs_company = True
                expr = _WEBSITE_SQL
            elif name.startswith("co."):
                self.needs_company = True
                expr = name
            else:
                expr = f"c.{name}"
            pos = self._pos[name] = len(self.columns)
            self.columns.append(expr)
        return pos

    # -- getters --------------------------------------------------------------------------------
    def _compile(self, source: str) -> Getter:
        alternatives = source.split("|")
        labels = [a[6:] for a in alternatives if a.startswith("phone.")]
        if len(labels) == len(alternatives) and set(labels) <= {*_PHONE_LABELS, "other"}:
            return self._phone_labels(labels)  # HubSpot's "phone.work|phone.other|phone.home"
        getters = [self._getter(alt) for alt in alternatives]
        if len(getters) == 1:
            return getters[0]

        def first_non_empty(r: Row, pts: Points) -> Any:
            value: Any = None
            for getter in getters:
                value = getter(r, pts)
                if value not in (None, "", []):
                    return value
            return value

        return first_non_empty

    def _getter(self, source: str) -> Getter:
        if source == "id":
            return lambda r, p: r[0]
        if source in _CONTACT_TEXT or source in ("country", "score"):
            i = self._col(source)
            return lambda r, p: r[i]
        if source == "do_not_contact":
            i = self._col(source)
            return lambda r, p: bool(r[i])
        if source == "full_name":
            return self._display_name()
        if source == "topic":
            return self._topic()
        if source in ("country_code", "country_name"):
            i = self._col("country")
            convert = _country_code if source == "country_code" else _country_name
            return lambda r, p: convert(r[i])
        if source == "website":
            # r[website] or r[domain] or "", worked out by SQLite: one column read instead of two.
            i = self._col(_WEBSITE)
            return lambda r, p: r[i]
        if source.startswith("company."):
            name = source[8:]
            i = self._col(f"co.{name}")
            if name in _COMPANY_NUMBERS:
                return lambda r, p: r[i]
            return lambda r, p: r[i] or ""
        if source.startswith("const:"):
            text = source[6:]
            return lambda r, p: text
        if source.startswith("extra:"):
            key = source[6:]
            i = self._col("extra")
            return lambda r, p: json.loads(r[i] or "{}").get(key, "")
        if source in ("tags", "lists"):
            return self._links(source)
        if source.startswith("address."):
            return self._address(source)
        return self._point_getter(source)

    def needs(self, kind: str) -> None:
        """Read this kind of point for every contact."""
        self.needs_points = True
        self.kinds.add(kind)

    def _point_getter(self, source: str) -> Getter:
        if source.startswith("linkedin") or source.startswith("url."):
            self.needs("url")
        else:
            self.needs("phone" if source.startswith("phone") else "email")
        if source == "email":
            return lambda r, p: _first_usable(p[0])
        if source == "emails.other":
            return lambda r, p: [q[1] or q[0] for q in p[0][1:]]
        if source == "phone":
            return lambda r, p: _first_usable(p[1])
        if source.startswith("phone.") and source[6:] in (*_PHONE_LABELS, "other"):
            wanted = source[6:]
            return lambda r, p: _with_label(p[1], wanted)
        if source == "linkedin_url":
            return lambda r, p: _linkedin(p[2])
        match = _NTH.fullmatch(source)
        if match is None:
            raise KeyError(source)
        slot = _KIND_SLOT[match.group(1)]
        n, label = int(match.group(2)), bool(match.group(3))
        return lambda r, p: _nth(p[slot], n, label)

    def _phone_labels(self, labels: list[str]) -> Getter:
        """The first phone with the first label that has one (`_with_label` per alternative)."""
        self.needs("phone")
        if len(labels) == 1:
            wanted = labels[0]
            return lambda r, p: _with_label(p[1], wanted) if p[1] else ""

        def first_labelled(r: Row, p: Points) -> str:
            phones = p[1]
            if not phones:
                return ""
            for label in labels:  # `_with_label` per label, inlined (a call less per label)
                for q in phones:
                    if q[2] == label or (label == "other" and q[2] not in _PHONE_LABELS):
                        text = q[1] or q[0]
                        if text:
                            return text
                        break
            return ""

        return first_labelled

    def _display_name(self) -> Callable[[Row, Points], str]:
        a, b, c, d, e = (self._col(n) for n in _NAME_PARTS)
        # Contact.display_name
        return lambda r, p: " ".join(x for x in (r[a], r[b], r[c], r[d], r[e]) if x)

    def _topic(self) -> Getter:
        company, title = self._col("co.name"), self._col("job_title")
        name = self._display_name()

        def topic(r: Row, p: Points) -> str:
            parts = [x for x in (r[company] or "", r[title]) if x.strip()]
            return " – ".join(parts) if parts else name(r, p)

        return topic

    def _links(self, source: str) -> Getter:
        if source == "tags":
            self.needs_tags = True
            return lambda r, p: list(self.tags.get(r[0], ()))
        self.needs_lists = True
        return lambda r, p: list(self.lists.get(r[0], ()))

    def _address(self, source: str) -> Getter:
        street, city, region, postal, country = (self._col(n) for n in _ADDRESS)
        if source == "address.label":
            return lambda r, p: (
                "Work" if any(r[i] for i in (street, city, region, postal, country)) else ""
            )
        if source != "address.formatted":
            raise KeyError(source)

        def formatted(r: Row, p: Points) -> str:
            # values.formatted_address
            locality = " ".join(x for x in (r[city], r[region], r[postal]) if x)
            lines = [r[street], locality, _country_name(r[country])]
            return "\n".join(line for line in lines if line)

        return formatted

    # -- reading --------------------------------------------------------------------------------
    def rows(self, contacts: BookContacts) -> Iterator[tuple[Row, Points]]:
        """Each exported contact's row and points, in the snapshot's order."""
        for chunk in self.chunks(contacts):
            yield from chunk

    def chunks(
        self, contacts: BookContacts, size: int = ID_CHUNK
    ) -> Iterator[list[tuple[Row, Points]]]:
        """The exported contacts' rows and points, one list per chunk of ids, in snapshot order."""
        conn = contacts.conn
        select = ", ".join(self.columns)
        join = " LEFT JOIN companies co ON co.id = c.company_id" if self.needs_company else ""
        for chunk in contacts.chunks(size):
            if not chunk:
                yield []
                continue
            where, params = _id_condition(chunk)
            cur = conn.execute(f"SELECT {select} FROM contacts c{join} WHERE c.id {where}", params)
            cur.row_factory = None  # plain tuples: sqlite3.Row (the book's default) costs more
            rows = cur.fetchall()
            points = self._points(conn, where, params) if self.needs_points else {}
            if self.needs_tags or self.needs_lists:
                marks = ",".join("?" * len(chunk))
            if self.needs_tags:
                self.tags = self._names(
                    contacts,
                    f"""SELECT ct.contact_id, t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
                        WHERE ct.contact_id IN ({marks}) ORDER BY t.name""",
                    chunk,
                )
            if self.needs_lists:
                self.lists = self._names(
                    contacts,
                    f"""SELECT lm.contact_id, l.name FROM list_members lm JOIN lists l ON l.id = lm.list_id
                        WHERE lm.contact_id IN ({marks}) ORDER BY l.name""",
                    chunk,
                )
            yield _pairs(chunk, rows, points)

    def _points(
        self, conn: sqlite3.Connection, where: str, params: Sequence[int]
    ) -> dict[int, Points]:
        # The order of load_contacts + Contact.emails: primary first, then by id, per contact.
        # ORDER BY contact_id, id is the points_contact index's own order (no sort step); the
        # primaries are moved forward here. "+kind" keeps the planner on points_contact.
        # Each column costs the sqlite3 module ~1,400 instructions a row (it lets go of the GIL
        # around every value's type test): the contact id and the slot of the point's kind come
        # as one int, contact_id * 4 + slot, and no kind string is made or looked up per point.
        out: dict[int, Points] = {}
        current = -1
        slots: Points = _NO_POINTS
        kinds = ",".join(f"'{k}'" for k in sorted(self.kinds))  # from _KIND_SLOT keys only
        cur = conn.execute(
            f"""SELECT raw, value, label, is_primary, status, reason, contact_id * 4 + {_SLOT_SQL}
                FROM contact_points WHERE contact_id {where} AND +kind IN ({kinds})
                ORDER BY contact_id, id""",
            params,
        )
        cur.row_factory = None
        for point in cur.fetchall():
            key = point[6]
            if key >> 2 != current:
                current = key >> 2
                slots = out[current] = ([], [], [])
            points = slots[key & 3]
            if point[3] and points and not points[-1][3]:
                at = 0  # a primary after a non-primary: after the primaries, before the rest
                while points[at][3]:
                    at += 1
                points.insert(at, point)
            else:
                points.append(point)
        return out

    @staticmethod
    def _names(contacts: BookContacts, sql: str, chunk: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for cid, name in contacts.conn.execute(sql, chunk):
            out.setdefault(cid, []).append(name)
        return out


def _pairs(
    chunk: list[int], rows: list[Row], points: dict[int, Points]
) -> list[tuple[Row, Points]]:
    """Each row of `chunk` (in its order) with its points; ids without a row are left out."""
    get = points.get
    if len(rows) == len(chunk) and all(map(eq, map(_ID, rows), chunk)):
        # The usual dense chunk of an id-ordered snapshot: the range read brought exactly its rows,
        # in its order (rowid order). No dict of the rows is needed.
        return list(zip(rows, map(get, chunk, repeat(_NO_POINTS)), strict=True))
    found = {r[0]: r for r in rows}
    return [(row, get(i, _NO_POINTS)) for i in chunk if (row := found.get(i)) is not None]


def _id_condition(chunk: list[int]) -> tuple[str, list[int]]:
    """The test on an id column that selects a chunk of ids: a range when the chunk is dense.

    A snapshot in id order (the default) gives chunks of nearly consecutive ids: one index range
    scan beats a thousand separate lookups. Ids in the range but not in the chunk (excluded,
    deleted, filtered out) are read and then ignored; a sparse chunk keeps the IN list.
    """
    lo, hi = min(chunk), max(chunk)
    if hi - lo < 2 * len(chunk):
        return "BETWEEN ? AND ?", [lo, hi]
    return f"IN ({','.join('?' * len(chunk))})", chunk
