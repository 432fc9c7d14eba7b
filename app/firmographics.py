"""Firmographics and title intelligence filled in from what a contact already says.

Company size: `employees` keeps the head count a file gave; `size_range` holds one of the standard
ranges, from that count or from range text ("51-200", "5000+", "1.001-5.000") the cleaner kept in
`extra`. Industry: `industry` keeps the user's text; `industry_norm` holds the standard name
(resources/industries.toml). Job titles: seniority and department from `app.clean.title`, only where
they are empty, never overwriting what a user or a file gave.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.clean.title import TitleRules, classify_title, default_rules, load_rules
from app.errors import InvalidValue
from app.store import history

INDUSTRIES_PATH = Path(__file__).resolve().parents[1] / "resources" / "industries.toml"
TITLE_RULES_SETTING = "title_rules"
_CHUNK = 900  # ids per IN (...) list: well under SQLite's bound-variable limit


@dataclass(frozen=True)
class SizeRange:
    """One standard company-size range; `high` None means open-ended."""

    label: str
    low: int
    high: int | None

    def holds(self, low: int, high: int | None) -> bool:
        """True when [low, high] lies inside this range."""
        if low < self.low:
            return False
        if self.high is None:
            return True
        return high is not None and high <= self.high


SIZE_RANGES: tuple[SizeRange, ...] = (
    SizeRange("1-10", 1, 10),
    SizeRange("11-50", 11, 50),
    SizeRange("51-200", 51, 200),
    SizeRange("201-500", 201, 500),
    SizeRange("501-1000", 501, 1000),
    SizeRange("1001-5000", 1001, 5000),
    SizeRange("5000+", 5001, None),
)
SIZE_LABELS: tuple[str, ...] = tuple(r.label for r in SIZE_RANGES)

# A head count: plain digits, or groups of three after a thousands separator ("1,001", "1.001",
# "10 000"), optionally with a "k" ("10k+").
_NUM = r"(\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+|\d+)\s*(k?)"
_RANGE = re.compile(rf"^{_NUM}\s*(?:-|–|—|to|bis|à)\s*{_NUM}$")
_OPEN = re.compile(rf"^(?:{_NUM}\s*\+|(?:more than|over|>|>=)\s*{_NUM})$")
_SINGLE = re.compile(rf"^{_NUM}$")
_NOISE = re.compile(r"\b(?:employees?|staff|people|emp|mitarbeiter|salariés|fte)\b")


def _number(digits: str, k: str) -> int:
    value = int(re.sub(r"\D", "", digits))
    return value * 1000 if k else value


def size_range_for(employees: int | None) -> str:
    """The standard range label of a head count ("" for None or zero)."""
    if not employees or employees < 1:
        return ""
    for r in SIZE_RANGES:
        if r.holds(employees, employees):
            return r.label
    return ""


def parse_size_range(text: str) -> str | None:
    """The standard range a size text names ("51-200", "5000+", "1.001-5.000"), else None.

    A range that straddles two standard ranges ("50-250") or an open end below 5,000 ("500+")
    names none of them, so it is None rather than a guess.
    """
    t = _NOISE.sub(" ", text.casefold()).strip(" .")
    t = " ".join(t.split())
    if m := _RANGE.match(t):
        low, high = _number(m[1], m[2]), _number(m[3], m[4])
        if low > high or high < 1:
            return None
        low = max(low, 1)
        return next((r.label for r in SIZE_RANGES if r.holds(low, high)), None)
    if m := _OPEN.match(t):
        low = _number(m[1], m[2]) if m[1] else _number(m[3], m[4])
        return SIZE_RANGES[-1].label if low >= SIZE_RANGES[-1].low - 1 else None
    if m := _SINGLE.match(t):
        return size_range_for(_number(m[1], m[2])) or None
    return None


def check_size_label(text: str) -> str:
    """A size range a user typed ("51-200", "501-1,000") as its standard label; InvalidValue if none."""
    label = text.strip() if text.strip() in SIZE_LABELS else parse_size_range(text)
    if label is None:
        raise InvalidValue(f"unknown company size {text!r}; use one of {', '.join(SIZE_LABELS)}")
    return label


# -- industries ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class IndustryCatalog:
    """The standard industry list, aliases onto it, and each CRM's picklist value for it."""

    standard: tuple[str, ...]
    aliases: Mapping[str, str]  # folded key -> standard name
    crm: Mapping[str, Mapping[str, str]]


def _industry_key(text: str) -> str:
    t = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", t).split())


@lru_cache(maxsize=1)
def industries() -> IndustryCatalog:
    """The catalog in resources/industries.toml (read once)."""
    with INDUSTRIES_PATH.open("rb") as handle:
        data = tomllib.load(handle)
    standard = tuple(data["industries"]["standard"])
    aliases = {_industry_key(name): name for name in standard}
    for alias, target in data.get("aliases", {}).items():
        if target not in standard:
            raise ValueError(f"industries.toml: alias {alias!r} names unknown industry {target!r}")
        aliases.setdefault(_industry_key(alias), target)
    crm = {name: dict(table) for name, table in data.get("crm", {}).items()}
    return IndustryCatalog(standard, aliases, crm)


def normalize_industry(text: str) -> str | None:
    """The standard industry a file's text names ("Computer Software" -> "Technology"), else None."""
    return industries().aliases.get(_industry_key(text)) if text.strip() else None


def check_industry(text: str) -> str:
    """An industry a user typed as its standard name; InvalidValue naming the list if unknown."""
    found = normalize_industry(text)
    if found is None:
        raise InvalidValue(
            f"unknown industry {text!r}; use one of {', '.join(industries().standard)}"
        )
    return found


def crm_industry(standard: str, crm: str) -> str:
    """A standard industry as a CRM's picklist value ("" when that CRM's list has no equivalent).

    A CRM whose table is empty (no fixed default list) takes the standard name as it is.
    """
    table = industries().crm.get(crm)
    if table is None:
        raise InvalidValue(f"no industry mapping for CRM {crm!r}")
    return table.get(standard, "") if table else standard


# -- title rules kept in the book ------------------------------------------------------------------
def parse_title_rules(text: str) -> dict[str, Any]:
    """A user's title rules (TOML, or JSON when it starts with "{"), checked by compiling them."""
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InvalidValue(f"Title rules: not valid TOML or JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise InvalidValue("Title rules: expected a table of abbreviations, seniority, keywords")
    load_rules(data)
    return data


@lru_cache(maxsize=8)
def rules_from_text(text: str) -> TitleRules:
    """Compiled title rules: the defaults, with the book's own rules (if any) merged over them."""
    return load_rules(parse_title_rules(text)) if text.strip() else default_rules()


# -- filling the book ------------------------------------------------------------------------------
def chunks(ids: Sequence[int], size: int = _CHUNK) -> Iterator[Sequence[int]]:
    """Slices of `ids` small enough for one `IN (...)` list."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def fill_titles(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    rules: TitleRules,
    op_id: int | None,
    no_history: Iterable[int] = (),
) -> int:
    """Fill empty seniority/department from job titles; returns how many contacts changed.

    Changes are recorded under `op_id` except for contacts in `no_history` (rows an import
    created: undoing the import deletes them anyway).
    """
    skip = set(no_history)
    updates: list[tuple[str, str, int]] = []
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        for cid, title, seniority, department in conn.execute(
            f"""SELECT id, job_title, seniority, department FROM contacts
                WHERE id IN ({marks}) AND job_title != '' AND (seniority = '' OR department = '')""",
            list(part),
        ):
            info = classify_title(title, rules)
            new_s = seniority or info.seniority
            new_d = department or info.department
            if (new_s, new_d) == (seniority, department):
                continue
            updates.append((new_s, new_d, cid))
            if op_id is not None and cid not in skip:
                history.record(
                    conn,
                    op_id,
                    "contacts",
                    cid,
                    {"seniority": seniority, "department": department},
                    {"seniority": new_s, "department": new_d},
                )
    conn.executemany("UPDATE contacts SET seniority = ?, department = ? WHERE id = ?", updates)
    return len(updates)


def size_texts(conn: sqlite3.Connection, import_id: int, ids: Sequence[int]) -> dict[int, str]:
    """Company id -> the size text an import's rows gave where it was not a single head count."""
    row = conn.execute("SELECT mapping FROM imports WHERE id = ?", (import_id,)).fetchone()
    mapping = json.loads(row[0]) if row else {}
    headers = [h for h, f in mapping.items() if f == "employees"] or ["employees", "Employees"]
    found: dict[int, str] = {}
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        for company_id, extra in conn.execute(
            f"""SELECT c.company_id, c.extra FROM contacts c JOIN companies co ON co.id = c.company_id
                WHERE c.id IN ({marks}) AND co.employees IS NULL AND c.extra != '{{}}'""",
            list(part),
        ):
            values = json.loads(extra)
            text = next((values[h] for h in headers if values.get(h)), "")
            if text:
                found.setdefault(company_id, text)
    return found


def fill_companies(
    conn: sqlite3.Connection,
    company_ids: Sequence[int],
    op_id: int | None,
    texts: Mapping[int, str] | None = None,
    created_by: int | None = None,
) -> int:
    """Recompute size_range and industry_norm of companies; returns how many changed.

    `texts` gives size text for companies without a head count; companies whose import_id is
    `created_by` get no change records (undoing that import deletes them).
    """
    texts = texts or {}
    changed = 0
    for part in chunks(company_ids):
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"""SELECT id, industry, employees, size_range, industry_norm, import_id FROM companies
                WHERE id IN ({marks})""",
            list(part),
        ).fetchall()
        for cid, industry, employees, size, norm, import_id in rows:
            new_norm = normalize_industry(industry) or ""
            new_size = size_range_for(employees) or parse_size_range(texts.get(cid, "")) or size
            if (new_size, new_norm) == (size, norm):
                continue
            changed += 1
            if op_id is not None and (created_by is None or import_id != created_by):
                history.record(
                    conn,
                    op_id,
                    "companies",
                    cid,
                    {"size_range": size, "industry_norm": norm},
                    {"size_range": new_size, "industry_norm": new_norm},
                )
            conn.execute(
                "UPDATE companies SET size_range = ?, industry_norm = ? WHERE id = ?",
                (new_size, new_norm, cid),
            )
    return changed


def company_ids_of(conn: sqlite3.Connection, ids: Sequence[int]) -> list[int]:
    """The distinct companies these contacts work at."""
    found: set[int] = set()
    for part in chunks(ids):
        marks = ",".join("?" * len(part))
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT company_id FROM contacts WHERE id IN ({marks}) "
                "AND company_id IS NOT NULL",
                list(part),
            )
        )
    return sorted(found)
