"""Column mapping: which canonical field each column of a file feeds, and why."""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from app.contact import Cell, RawRecord
from app.errors import InvalidValue
from app.fields import FIELDS, FIELDS_BY_NAME, PHONE_FIELDS, normalize_header
from importers.layouts import header_key, layout_by_name, layout_headers, phone_field_for_label

SYNONYMS_FILE = Path(__file__).resolve().parents[1] / "resources" / "synonyms.toml"
FUZZY_THRESHOLD = 88
# Fuzzy matching costs ~0.1 ms a column; past this many columns (a 5,000-column "table" is never
# a contact list someone typed) the rest get exact synonyms only and wait for a person's choice.
FUZZY_COLUMNS = 2000
TOO_MANY_TO_GUESS = "too many columns to guess; map by hand"
_MIN_FUZZY_KEY = 5  # "tel" vs "tea": short headers only ever match exactly
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LINKEDIN_RE = re.compile(r"^(https?://)?([\w-]+\.)?linkedin\.com/in/", re.IGNORECASE)
_GOOGLE_VALUE_RE = re.compile(r"^(phone|e-mail) (\d+) - value$")
_GOOGLE_SEPARATOR = " ::: "


class MappingError(InvalidValue, ValueError):
    """A --mapping document names a column or a field that does not exist."""


@dataclass(frozen=True)
class ColumnMapping:
    """Where one column of a file goes: a canonical field or None (kept in extra)."""

    column: str  # header text as in the file ("column N" when the header cell is empty)
    index: int
    field: str | None
    confidence: int  # 0-100; 0 when unmapped
    reason: str


def _spaced(text: str) -> str:
    """Lower-case words without accents or punctuation: "E-Mail Adresse" -> "e mail adresse"."""
    plain = unicodedata.normalize("NFKD", normalize_header(text))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[^\W_]+", plain))


@cache
def synonym_texts() -> dict[str, frozenset[str]]:
    """Every synonym as readable text (normalized, single-spaced words) -> fields it names."""
    texts: dict[str, set[str]] = {}
    for f in FIELDS:
        for text in (f.name, f.label, *f.synonyms):
            texts.setdefault(_spaced(text), set()).add(f.name)
    with SYNONYMS_FILE.open("rb") as fh:
        doc = tomllib.load(fh)
    for language, table in doc.items():
        for name, words in table.items():
            if name not in FIELDS_BY_NAME:
                raise ValueError(f"synonyms.toml [{language}]: unknown field {name!r}")
            for word in words:
                texts.setdefault(_spaced(word), set()).add(name)
    return {text: frozenset(names) for text, names in texts.items() if text}


@cache
def synonym_index() -> dict[str, frozenset[str]]:
    """Header key -> fields it names (English from the catalog, de/fr/es from synonyms.toml)."""
    index: dict[str, set[str]] = {}
    for text, names in synonym_texts().items():
        index.setdefault(header_key(text), set()).update(names)
    return {key: frozenset(names) for key, names in index.items() if key}


@cache
def _fuzzy_table() -> tuple[tuple[str, ...], tuple[str, ...], tuple[frozenset[str], ...]]:
    """(synonym texts, their header keys, fields they name) for fuzzy matching, computed once."""
    rows = [(t, header_key(t), f) for t, f in synonym_texts().items() if len(t) >= _MIN_FUZZY_KEY]
    return tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows)


def column_names(headers: list[str]) -> list[str]:
    """Unique column names: the header text, "column N" for empty ones, "X (2)" for repeats."""
    names: list[str] = []
    seen: set[str] = set()
    for i, header in enumerate(headers):
        name = header.replace("\ufeff", "") if header.strip() else f"column {i + 1}"
        base, n = name, 2
        while name in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name)
        names.append(name)
    return names


def header_signature(headers: list[str]) -> str:
    """A stable hash of the normalized header list, to save a mapping and find it again."""
    text = "\x1f".join(normalize_header(h) for h in headers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _value_kind(samples: Iterable[str]) -> str:
    # Only unmistakable value shapes count: emails and LinkedIn profile URLs.
    values = [v.strip() for v in samples if v and v.strip()]
    if not values:
        return ""
    for kind, pattern in (("email", _EMAIL_RE), ("linkedin_url", _LINKEDIN_RE)):
        if sum(1 for v in values if pattern.match(v)) >= 0.8 * len(values):
            return kind
    return ""


def _guess(header: str, samples: list[str], fuzzy: bool = True) -> tuple[str | None, int, str]:
    """(field, confidence, reason) for one header by synonyms, fuzzy match and sample values."""
    key = header_key(header)
    index = synonym_index()
    kind = _value_kind(samples)
    if not key:
        if kind:
            return kind, 80, f"values look like {kind.replace('_', ' ')}"
        return None, 0, "empty header"
    names = index.get(key)
    numbered = False
    if names is None and re.search(r"\d+$", key):
        names = index.get(re.sub(r"\d+$", "", key))
        numbered = names is not None
    if names is not None:
        if len(names) == 1:
            (name,) = names
            if kind and kind != name and FIELDS_BY_NAME[name].kind not in ("email", "url"):
                return kind, 90, f"values are {kind.replace('_', ' ')}s (header suggested {name})"
            if numbered:
                return name, 95, f"synonym {normalize_header(header)!r} (numbered)"
            return name, 100, f"synonym {normalize_header(header)!r}"
        if kind in names:
            return kind, 95, f"synonym {normalize_header(header)!r}; values decide {kind}"
        tie = _tie_break(sorted(names), samples)
        if tie:
            return tie, 90, f"synonym {normalize_header(header)!r}; values decide {tie}"
        return None, 0, f"ambiguous: could be {' or '.join(sorted(names))}"
    if kind:
        return kind, 85, f"values look like {kind.replace('_', ' ')}"
    parts = [header_key(p) for p in re.split(r"/|&|\+|\bor\b|\boder\b|\bou\b|\bo\b", header)]
    named = [index[p] for p in parts if p in index]
    if len(named) > 1 and len(parts) == len(named):
        # "Phone / Mobile": each part names a field; picking one would misfile half the values.
        options = list(dict.fromkeys(n for names_ in named for n in sorted(names_)))
        if len(options) > 1:
            return None, 0, f"ambiguous: could be {' or '.join(options)}"
        return options[0], 95, f"synonyms {normalize_header(header)!r}"
    if len(key) < _MIN_FUZZY_KEY:
        return None, 0, "no matching field"
    if not fuzzy:
        return None, 0, TOO_MANY_TO_GUESS
    texts, keys, fields_of = _fuzzy_table()
    # Both scorers over the whole synonym table in C; a synonym's score is the better of the two.
    scores: dict[int, float] = {}
    for query, choices, scorer in (
        (key, keys, fuzz.ratio),
        (_spaced(header), texts, fuzz.token_sort_ratio),
    ):
        found = process.extract(
            query, choices, scorer=scorer, score_cutoff=FUZZY_THRESHOLD, limit=None
        )
        for _, score, i in found:
            scores[i] = max(scores.get(i, 0.0), score)
    best: dict[str, tuple[float, str]] = {}
    for i in sorted(scores):  # table order: the first synonym of a tied score names the reason
        for name in fields_of[i]:
            if scores[i] > best.get(name, (0.0, ""))[0]:
                best[name] = (scores[i], texts[i])
    if not best:
        return None, 0, "no matching field"
    ranked = sorted(best.items(), key=lambda item: -item[1][0])
    top_score = ranked[0][1][0]
    tied = sorted(name for name, (score, _) in ranked if score == top_score)
    if len(tied) > 1:
        return None, 0, f"ambiguous: could be {' or '.join(tied)}"
    name, (score, synonym) = ranked[0]
    # 100 is reserved for exact synonyms; a fuzzy hit always asks for a glance.
    confidence = min(int(score), 99)
    return name, confidence, f"fuzzy {int(score)} {synonym!r}"


def _tie_break(names: list[str], samples: list[str]) -> str:
    # "Titre"/"Titel": short courtesy words (Dr., Mme) are a prefix, longer text is a job title.
    values = [v.strip() for v in samples if v and v.strip()]
    if values and {"prefix", "job_title"} <= set(names):
        short = sum(1 for v in values if len(v) <= 5 and " " not in v)
        return "prefix" if short == len(values) else "job_title" if short == 0 else ""
    return ""


def suggest_mapping(
    headers: list[str], samples: list[list[str]] | None = None, layout: str = ""
) -> list[ColumnMapping]:
    """The best guess for every column: known layout first, else synonyms, fuzzy and values."""
    names = column_names(headers)
    known = layout_by_name(layout) if layout else None
    guesses: list[tuple[str | None, int, str]] = []
    for i, header in enumerate(headers):
        if known is not None:
            listed, target = known.field_for(header)
            if target:
                guesses.append((target, 100, f"layout {known.name}"))
                continue
            if listed:
                guesses.append((None, 0, f"layout {known.name}: kept in extra"))
                continue
            # A column the layout does not know (a user's own, or a newer export) is still mapped
            # by synonyms and values: detecting a layout must never cost a column its meaning.
        column_samples = [row[i] for row in samples or () if i < len(row)]
        target, confidence, reason = _guess(header, column_samples, fuzzy=i < FUZZY_COLUMNS)
        if known is not None and target:
            # Below the layout's own columns, so a layout column always wins a single-valued field.
            confidence, reason = min(confidence, 90), f"{reason} (not part of layout {known.name})"
        guesses.append((target, confidence, reason))
    return _resolve(names, guesses)


def _resolve(names: list[str], guesses: list[tuple[str | None, int, str]]) -> list[ColumnMapping]:
    """Give each single-valued field to its best column; the others stay in extra."""
    owner: dict[str, int] = {}
    order = sorted(range(len(guesses)), key=lambda i: (-guesses[i][1], i))
    for i in order:
        target = guesses[i][0]
        if target and not FIELDS_BY_NAME[target].multi and target not in owner:
            owner[target] = i
    result = []
    for i, (target, confidence, reason) in enumerate(guesses):
        if target and not FIELDS_BY_NAME[target].multi and owner[target] != i:
            reason = f"duplicate target: {names[owner[target]]!r} already maps to {target}"
            target, confidence = None, 0
        result.append(ColumnMapping(names[i], i, target, confidence, reason))
    return result


def mapping_from_json(headers: list[str], doc: Mapping[str, object]) -> list[ColumnMapping]:
    """A mapping from a --mapping file ({"Column": "field" | null}); unlisted columns are guessed."""
    if not isinstance(doc, Mapping):
        raise MappingError("A mapping file must be a JSON object of column header -> field name.")
    names = column_names(headers)
    by_key: dict[str, int] = {}
    for i, header in enumerate(headers):
        by_key.setdefault(normalize_header(header), i)
        by_key.setdefault(normalize_header(names[i]), i)
    chosen: dict[int, str | None] = {}
    for column, target in doc.items():
        found = by_key.get(normalize_header(str(column)))
        if found is None:
            raise MappingError(
                f"The mapping names column {column!r}, which is not in the file "
                f"(columns: {', '.join(names)})."
            )
        if target is not None and (not isinstance(target, str) or target not in FIELDS_BY_NAME):
            raise MappingError(
                f"The mapping sends column {column!r} to unknown field {target!r} "
                f"(fields: {', '.join(FIELDS_BY_NAME)})."
            )
        chosen[found] = target
    taken: dict[str, int] = {}
    for i, target in sorted(chosen.items()):
        if target and not FIELDS_BY_NAME[target].multi:
            if target in taken:
                raise MappingError(
                    f"The mapping sends both {names[taken[target]]!r} and {names[i]!r} to "
                    f"{target}, which holds one value."
                )
            taken[target] = i
    auto = suggest_mapping(headers)
    result = []
    for m in auto:
        if m.index in chosen:
            target = chosen[m.index]
            reason = "mapping file" if target else "mapping file: kept in extra"
            result.append(ColumnMapping(m.column, m.index, target, 100 if target else 0, reason))
        elif m.field in taken:
            why = f"duplicate target: the mapping file sends {names[taken[m.field]]!r} there"
            result.append(ColumnMapping(m.column, m.index, None, 0, why))
        else:
            result.append(m)
    return result


def to_record(
    row_number: int, values: list[str], headers: list[str], mapping: list[ColumnMapping]
) -> RawRecord:
    """One row as a RawRecord: mapped cells, unmapped non-empty values in extra, raw for provenance."""
    return RowMapper(headers, mapping)(row_number, values)


class RowMapper:
    """A file's mapping compiled once into a row function: `to_record` for every row of a file.

    The per-row work is a walk over (column index, column name, field) triples: the names, the
    Google label columns and which columns need the Google rules are worked out once per file,
    not once per row (the mapper was ~50 µs of a row's ~330 µs of cleaning).
    """

    def __init__(self, headers: list[str], mapping: list[ColumnMapping]) -> None:
        self.names = (
            [m.column for m in mapping] if len(mapping) == len(headers) else column_names(headers)
        )
        self._labels = _label_columns(tuple(headers))
        # (index, column, field, Google rules apply) per mapped column, in the mapping's order.
        self._plan = [
            (m.index, m.column, m.field, m.reason.startswith("layout google")) for m in mapping
        ]

    def __call__(self, row_number: int, values: list[str]) -> RawRecord:
        """One row as a RawRecord, exactly as `to_record` makes it."""
        rec = RawRecord(row=row_number)
        names = self.names
        cells = [("" if v is None else v) for v in values]
        width = len(names)
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        raw, extra, found = rec.raw, rec.extra, rec.cells
        raw.update(zip(names, cells, strict=False))  # up to the names: overflow cells follow
        for i in range(width, len(cells)):
            overflow = f"column {i + 1}"
            raw[overflow] = cells[i]
            if cells[i].strip():
                extra[overflow] = cells[i]
        count = len(cells)
        for index, column, target, google in self._plan:
            value = cells[index] if index < count else ""
            if google:
                self._google(rec, cells, index, column, target, value)
            elif target is None:
                if value.strip():
                    extra[column] = value
            elif type(value) is str:  # RawRecord.add without its str() and None checks
                if value.strip():
                    got = found.get(target)
                    if got is None:
                        found[target] = [Cell(column, value)]
                    else:
                        got.append(Cell(column, value))
            else:
                rec.add(target, column, value)
        return rec

    def _google(
        self,
        rec: RawRecord,
        cells: list[str],
        index: int,
        column: str,
        target: str | None,
        value: str,
    ) -> None:
        """A column of a Google Contacts layout: phone labels pick the field, " ::: " splits."""
        if target is None:
            if value.strip():
                rec.extra[column] = value
            return
        labels = self._labels
        if target in PHONE_FIELDS and index in labels:
            by_label = phone_field_for_label(cells[labels[index]])
            if by_label is None:  # a fax number is not a way to reach a person: keep it aside
                if value.strip():
                    rec.extra[column] = value
                return
            target = by_label
        if FIELDS_BY_NAME[target].multi and _GOOGLE_SEPARATOR in value:
            for part in value.split(_GOOGLE_SEPARATOR):
                rec.add(target, column, part)
        else:
            rec.add(target, column, value)


@cache
def _label_columns(headers: tuple[str, ...]) -> dict[int, int]:
    """Google "Phone N - Value" column index -> its "Phone N - Label"/"Type" column index."""
    positions = {normalize_header(h): i for i, h in enumerate(headers)}
    result: dict[int, int] = {}
    for i, header in enumerate(headers):
        found = _GOOGLE_VALUE_RE.match(normalize_header(header))
        if found:
            kind, n = found.groups()
            for word in ("label", "type"):
                j = positions.get(f"{kind} {n} - {word}")
                if j is not None:
                    result[i] = j
    return result


def header_hits(cells: list[str]) -> int:
    """How many cells read as known column headers: tells the header row from data rows."""
    index = synonym_index()
    known = layout_headers()
    return sum(1 for c in cells if (k := header_key(c)) and (k in index or k in known))
