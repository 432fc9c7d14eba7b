"""Target audiences (ICP): saved criteria -> a set-based SQL match, a fit score 0-100 and a grade.

Criteria come in two kinds. Gates (valid email / usable phone required, excluded domains) must
pass or the fit is 0. Scored criteria (title keywords, seniority, department, industry, company
size, country) each carry a weight; the score is the weighted share of the set criteria a contact
meets, rounded half up. A contact *matches* (and gets the audience's tag) when it passes every gate
and meets every set criterion. All of it is SQL over the whole set: no Python loop per contact.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from app.clean.country import normalize_country
from app.clean.title import DEPARTMENTS, SENIORITIES, default_rules
from app.errors import InvalidValue, NotFound
from app.firmographics import check_industry, check_size_label
from app.store.contacts import LIVE, LIVE_SCAN
from app.store.db import utc_now

SCORED: tuple[str, ...] = ("title", "seniority", "department", "industry", "size", "country")
DEFAULT_WEIGHTS: Mapping[str, int] = {
    "title": 25,
    "seniority": 20,
    "department": 15,
    "industry": 15,
    "size": 15,
    "country": 10,
}
# Lower bounds of each grade; below the last one a lead is an F.
GRADES: tuple[tuple[int, str], ...] = ((80, "A"), (60, "B"), (40, "C"), (20, "D"))
DEFAULT_THRESHOLD = 70
FROM = "contacts c"
FROM_WITH_COMPANY = "contacts c LEFT JOIN companies co ON co.id = c.company_id"


@dataclass(frozen=True)
class Criteria:
    """What a target looks like; an empty field is not a criterion."""

    title_keywords: tuple[str, ...] = ()
    seniorities: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    require_email: bool = False
    require_phone: bool = False
    exclude_domains: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (what the audiences table stores)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Criteria:
        """Criteria from their stored or typed form, checked and normalized (see `checked`)."""
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise InvalidValue(f"unknown audience criteria: {', '.join(sorted(unknown))}")
        values: dict[str, object] = {}
        for k, v in data.items():
            if k in ("require_email", "require_phone"):
                values[k] = bool(v)
            elif isinstance(v, str):
                values[k] = (v,) if v else ()
            else:
                values[k] = tuple(str(x) for x in v or ())  # type: ignore[attr-defined]
        return checked(cls(**values))  # type: ignore[arg-type]


def _pick(value: str, allowed: Sequence[str], what: str) -> str:
    for a in allowed:
        if a.casefold() == value.strip().casefold():
            return a
    raise InvalidValue(f"unknown {what} {value!r}; use one of {', '.join(allowed)}")


def _domain(text: str) -> str:
    d = text.strip().casefold()
    d = re.sub(r"^[a-z]+://", "", d).split("/")[0].lstrip("@")
    d = d.split("@")[-1]
    return d.removeprefix("www.")


def _country(text: str) -> str:
    code = normalize_country(text)
    if code is None:
        raise InvalidValue(f"unknown country {text!r}; use a two-letter code such as GB")
    return code


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def checked(c: Criteria) -> Criteria:
    """Criteria in canonical spellings (standard industry, size label, ISO country, bare domain)."""
    return Criteria(
        title_keywords=_unique([" ".join(k.split()) for k in c.title_keywords]),
        seniorities=_unique([_pick(s, SENIORITIES, "seniority") for s in c.seniorities]),
        departments=_unique([_pick(d, DEPARTMENTS, "department") for d in c.departments]),
        industries=_unique([check_industry(i) for i in c.industries]),
        sizes=_unique([check_size_label(s) for s in c.sizes]),
        countries=_unique([_country(x) for x in c.countries]),
        require_email=c.require_email,
        require_phone=c.require_phone,
        exclude_domains=_unique([_domain(d) for d in c.exclude_domains]),
    )


@dataclass(frozen=True)
class Audience:
    """A saved audience: criteria, weights per scored criterion, and the MQL threshold."""

    id: int
    name: str
    criteria: Criteria
    weights: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    threshold: int = DEFAULT_THRESHOLD
    auto_apply: bool = True

    @property
    def origin(self) -> str:
        """The contact_tags.origin of the tags this audience sets."""
        return f"audience:{self.id}"


def check_weights(weights: Mapping[str, int] | None) -> dict[str, int]:
    """Weights for every scored criterion (defaults for the ones not given); 0-100 each."""
    out = dict(DEFAULT_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in DEFAULT_WEIGHTS:
            raise InvalidValue(f"unknown criterion {k!r}; weights exist for {', '.join(SCORED)}")
        if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 100:
            raise InvalidValue(f"weight of {k} must be a whole number from 0 to 100, got {v!r}")
        out[k] = v
    return out


def grade_for(score: int) -> str:
    """A-F for a fit score."""
    return next((g for low, g in GRADES if score >= low), "F")


def fit_score(earned: int, total: int) -> int:
    """The weighted share as 0-100, rounded half up (100 when no criterion is weighted)."""
    return 100 if total == 0 else (100 * earned + total // 2) // total


# -- SQL ---------------------------------------------------------------------------------------------
Clause = tuple[str, str, list[object]]  # (criterion name, boolean SQL over c/co, parameters)


def title_match_query(
    keywords: Sequence[str], abbreviations: Mapping[str, str] | None = None
) -> str:
    """The FTS5 query for title keywords: any keyword, as a word-prefix phrase, in the title.

    A keyword also finds the abbreviations whose expansion holds it ("marketing" finds "CMO",
    "Mktg"), from the title rules' abbreviation table.
    """
    table = default_rules().abbreviations if abbreviations is None else abbreviations
    phrases: dict[str, None] = {}
    for k in keywords:
        words = re.findall(r"\w+", k.casefold(), flags=re.UNICODE)
        if not words:
            continue
        phrases[f'"{" ".join(words)}"*'] = None
        wanted = f" {' '.join(words)} "
        for short, expansion in table.items():
            if wanted in f" {expansion} " and re.fullmatch(r"\w+", short):
                phrases[f'"{short}"'] = None
    return f"title : ({' OR '.join(phrases)})" if phrases else ""


# Company criteria as an uncorrelated set of company ids: no join, and the set is built once.
_COMPANY_IN = "c.company_id IN (SELECT id FROM companies WHERE {column} IN ({marks}))"


def scored_clauses(c: Criteria) -> list[Clause]:
    """One boolean expression per set scored criterion, over `contacts c` alone (no join)."""
    out: list[Clause] = []
    query = title_match_query(c.title_keywords)
    if query:
        out.append(
            (
                "title",
                "c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)",
                [query],
            )
        )
    for name, expr, values in (
        ("seniority", "c.seniority IN ({})", c.seniorities),
        ("department", "c.department IN ({})", c.departments),
        ("industry", _COMPANY_IN.format(column="industry_norm", marks="{}"), c.industries),
        ("size", _COMPANY_IN.format(column="size_range", marks="{}"), c.sizes),
        (
            "country",
            "(c.country IN ({0}) OR (c.country = '' AND "
            + _COMPANY_IN.format(column="country", marks="{0}")
            + "))",
            c.countries,
        ),
    ):
        if values:
            marks = ",".join("?" * len(values))
            count = 2 if name == "country" else 1
            params: list[object] = [*values] * count
            out.append((name, expr.format(marks), params))
    return out


def _as_set(sql: str) -> str:
    """A correlated point lookup as an uncorrelated id set: cheaper when every contact is scored."""
    sql = sql.replace("+p.kind", "p.kind").replace("p.contact_id = c.id AND ", "")
    sql = sql.replace("NOT EXISTS (SELECT 1 FROM", "c.id NOT IN (SELECT p.contact_id FROM")
    return sql.replace("EXISTS (SELECT 1 FROM", "c.id IN (SELECT p.contact_id FROM")


def gate_clauses(c: Criteria, as_sets: bool = False) -> list[Clause]:
    """One boolean expression per gate a contact must pass (`as_sets`: see `_as_set`).

    The point lookups are correlated on the contact (through `points_contact`; the unary `+`
    keeps SQLite off the kind/value index), so they cost per contact that reaches them: in
    `match_where` they come after the cheap column tests.
    """
    out: list[Clause] = []
    if c.require_email:
        out.append(
            (
                "valid_email",
                "EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
                "AND +p.kind = 'email' AND p.status = 'valid')",
                [],
            )
        )
    if c.require_phone:
        out.append(
            (
                "phone",
                "EXISTS (SELECT 1 FROM contact_points p WHERE p.contact_id = c.id "
                "AND +p.kind = 'phone' AND p.value IS NOT NULL AND p.status != 'invalid')",
                [],
            )
        )
    if c.exclude_domains:
        marks = ",".join("?" * len(c.exclude_domains))
        out.append(
            (
                "excluded_domain",
                "(c.company_id IS NULL OR c.company_id NOT IN "
                f"(SELECT id FROM companies WHERE domain IN ({marks}))) AND NOT EXISTS (SELECT 1 "
                "FROM contact_points p WHERE p.contact_id = c.id AND +p.kind = 'email' AND "
                f"p.value IS NOT NULL AND substr(p.value, instr(p.value, '@') + 1) IN ({marks}))",
                [*c.exclude_domains, *c.exclude_domains],
            )
        )
    return [(n, _as_set(sql), p) for n, sql, p in out] if as_sets else out


def match_where(c: Criteria) -> tuple[str, list[object]]:
    """WHERE text (over `FROM`) selecting live contacts that pass every gate and criterion."""
    parts: list[str] = [LIVE_SCAN]  # a live count while editing: 0.5 s at 1M, not 5 s
    params: list[object] = []
    # Column tests first, point lookups last: SQLite tests a scan's terms in the order written.
    for _name, sql, p in [*scored_clauses(c), *gate_clauses(c)]:
        parts.append(f"({sql})")
        params.extend(p)
    return " AND ".join(parts), params


def fit_select(
    c: Criteria, weights: Mapping[str, int], scope: str = ""
) -> tuple[str, list[object]]:
    """SELECT text giving (id, score, matched) for live contacts, optionally `AND scope` (whose
    parameters the caller appends). Each criterion is evaluated once per contact."""
    gates, scored = gate_clauses(c, as_sets=True), scored_clauses(c)
    inner = ["c.id AS id"]
    params: list[object] = []
    gate_sql = " AND ".join(f"({sql})" for _n, sql, _p in gates) or "1"
    for _n, _sql, p in gates:
        params.extend(p)
    inner.append(f"coalesce({gate_sql}, 0) AS g")
    for i, (_name, sql, p) in enumerate(scored):
        inner.append(f"coalesce(({sql}), 0) AS m{i}")
        params.extend(p)
    total = sum(weights[name] for name, _s, _p in scored)
    earned = " + ".join(f"m{i} * {int(weights[n])}" for i, (n, _s, _p) in enumerate(scored))
    score = "100" if total == 0 else f"(100 * ({earned}) + {total // 2}) / {total}"
    every = " AND ".join(f"m{i}" for i in range(len(scored))) or "1"
    where_scope = f" AND {scope}" if scope else ""
    # MATERIALIZED: evaluate each criterion once per contact; a flattened subquery would
    # re-evaluate m0..mN for the score and again for `matched`.
    sql = (
        f"WITH e AS MATERIALIZED (SELECT {', '.join(inner)} FROM {FROM} "
        f"WHERE {LIVE_SCAN}{where_scope}) "
        f"SELECT id, CASE WHEN g THEN {score} ELSE 0 END AS score, (g AND {every}) AS matched "
        "FROM e"
    )
    return sql, params


def grade_sql(expr: str) -> str:
    """SQL CASE turning a score expression into its grade letter."""
    whens = " ".join(f"WHEN {expr} >= {low} THEN '{g}'" for low, g in GRADES)
    return f"CASE {whens} ELSE 'F' END"


# -- stored audiences --------------------------------------------------------------------------------
def audience_from_row(row: Mapping[str, object]) -> Audience:
    """An Audience from its `audiences` row."""
    return Audience(
        id=int(row["id"]),  # type: ignore[call-overload]
        name=str(row["name"]),
        criteria=Criteria.from_dict(json.loads(str(row["criteria"]))),
        weights=check_weights(json.loads(str(row["weights"]))),
        threshold=int(row["threshold"]),  # type: ignore[call-overload]
        auto_apply=bool(row["auto_apply"]),
    )


def audience_json(a: Audience) -> dict[str, object]:
    """The JSON shape of an audience (`audience list --json`)."""
    return {
        "id": a.id,
        "name": a.name,
        "criteria": a.criteria.as_dict(),
        "weights": dict(a.weights),
        "threshold": a.threshold,
        "auto_apply": a.auto_apply,
    }


def save_audience(
    conn: sqlite3.Connection,
    name: str,
    criteria: Criteria,
    weights: Mapping[str, int] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    auto_apply: bool = True,
) -> Audience:
    """Create or replace the audience called `name` (criteria checked, weights completed)."""
    name = " ".join(name.split())
    if not name:
        raise InvalidValue("an audience needs a name")
    if not 0 <= threshold <= 100:
        raise InvalidValue(f"threshold must be from 0 to 100, got {threshold}")
    crit, w, now = checked(criteria), check_weights(weights), utc_now()
    conn.execute(
        """INSERT INTO audiences(name, criteria, weights, threshold, auto_apply, created_at,
               updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET criteria = excluded.criteria,
               weights = excluded.weights, threshold = excluded.threshold,
               auto_apply = excluded.auto_apply, updated_at = excluded.updated_at""",
        (name, json.dumps(crit.as_dict()), json.dumps(w), threshold, int(auto_apply), now, now),
    )
    return get_audience(conn, name)


def get_audience(conn: sqlite3.Connection, name: str) -> Audience:
    """The audience called `name` (case-insensitive); NotFound if there is none."""
    row = conn.execute("SELECT * FROM audiences WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"no audience called {name!r}")
    return audience_from_row(row)


def list_audiences(conn: sqlite3.Connection) -> list[Audience]:
    """Every saved audience, by name."""
    rows = conn.execute("SELECT * FROM audiences ORDER BY name COLLATE NOCASE").fetchall()
    return [audience_from_row(r) for r in rows]


def count_matching(conn: sqlite3.Connection, criteria: Criteria) -> int:
    """How many live contacts match (for a live count in the audience editor)."""
    where, params = match_where(checked(criteria))
    return int(conn.execute(f"SELECT count(*) FROM {FROM} WHERE {where}", params).fetchone()[0])


@dataclass(frozen=True)
class CriterionResult:
    """One line of a fit explanation: what was wanted, what the contact has, what it earned."""

    criterion: str
    wanted: tuple[str, ...]
    value: str
    matched: bool
    weight: int
    earned: int


@dataclass(frozen=True)
class Fit:
    """A contact's fit to an audience, with the per-criterion breakdown and failed gates."""

    contact_id: int
    score: int
    grade: str
    matched: bool
    breakdown: tuple[CriterionResult, ...]
    failed_gates: tuple[str, ...]


_WANTED = {
    "title": "title_keywords",
    "seniority": "seniorities",
    "department": "departments",
    "industry": "industries",
    "size": "sizes",
    "country": "countries",
}
_VALUE = {
    "title": "c.job_title",
    "seniority": "c.seniority",
    "department": "c.department",
    "industry": "coalesce(co.industry_norm, '')",
    "size": "coalesce(co.size_range, '')",
    "country": "coalesce(nullif(c.country, ''), co.country, '')",
}


def explain(conn: sqlite3.Connection, audience: Audience, contact_id: int) -> Fit:
    """Why a contact scores what it does: the same SQL expressions as `apply`, for one contact."""
    gates, scored = gate_clauses(audience.criteria), scored_clauses(audience.criteria)
    cols, params = [], []
    for _name, sql, p in [*gates, *scored]:
        cols.append(f"coalesce(({sql}), 0)")
        params.extend(p)
    cols.extend(_VALUE[name] for name, _s, _p in scored)
    row = conn.execute(
        f"SELECT {', '.join(cols) or '1'} FROM {FROM_WITH_COMPANY} WHERE c.id = ? AND {LIVE}",
        [*params, contact_id],
    ).fetchone()
    if row is None:
        raise NotFound(f"no contact with id {contact_id}")
    failed = tuple(name for i, (name, _s, _p) in enumerate(gates) if not row[i])
    results = []
    for i, (name, _s, _p) in enumerate(scored):
        ok = bool(row[len(gates) + i]) and not failed
        weight = int(audience.weights[name])
        wanted = getattr(audience.criteria, _WANTED[name])
        value = str(row[len(gates) + len(scored) + i])
        results.append(CriterionResult(name, wanted, value, ok, weight, weight if ok else 0))
    total = sum(r.weight for r in results)
    score = 0 if failed else fit_score(sum(r.earned for r in results), total)
    matched = not failed and all(r.matched for r in results)
    return Fit(contact_id, score, grade_for(score), matched, tuple(results), failed)


def fit_json(fit: Fit) -> dict[str, object]:
    """The JSON shape of a fit explanation."""
    return {
        "contact_id": fit.contact_id,
        "score": fit.score,
        "grade": fit.grade,
        "matched": fit.matched,
        "failed_gates": list(fit.failed_gates),
        "breakdown": [asdict(r) | {"wanted": list(r.wanted)} for r in fit.breakdown],
    }
