"""Job titles: expand abbreviations, then read seniority and department from rules kept as data.

The rules live in ``resources/titles.toml`` (see the comments there for the schema); a user's own
additions use the same schema and are merged over them by :func:`load_rules`. Decisions that a
human labeller could make either way are documented in ``bench/TITLES.md``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.errors import InvalidValue

SENIORITIES = (
    "Owner/Founder",
    "C-level",
    "VP",
    "Director",
    "Head",
    "Manager",
    "Senior",
    "Entry",
    "Intern",
)
DEPARTMENTS = (
    "Executive",
    "Marketing",
    "Sales",
    "Engineering",
    "IT",
    "Finance",
    "HR",
    "Operations",
    "Product",
    "Legal",
    "Customer Success",
    "Design",
    "Data",
    "Procurement",
    "Other",
)

RULES_PATH = Path(__file__).resolve().parents[2] / "resources" / "titles.toml"

# Words joined by "&" or an apostrophe stay one word ("R&D", "FP&A", "d'information"); a lone "&"
# is kept so "Founder & CEO" still reads as two roles in the normalized form.
_WORD = re.compile(r"\w+(?:[&'’]\w+)*|&")
_PLACEHOLDERS = frozenset({"na", "n/a", "none", "null", "unknown", "tbd", "tba", "nil", "x"})
_CACHE_SIZE = 65_536


@dataclass(frozen=True)
class TitleInfo:
    """What a job title says: the expanded text, seniority, department and the rules that fired."""

    title: str
    normalized: str
    seniority: str
    department: str
    matched: tuple[str, ...]


@dataclass(frozen=True)
class _SeniorityRule:
    level: str
    # One (required text, regex) per pattern: a regex runs only when the text it cannot match
    # without is in the title ("" means always run), which keeps a miss to a substring test.
    checks: tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class _Keyword:
    department: str  # "" for an ignored phrase: it consumes the words but names no department
    keyword: str
    weak: bool
    core: str  # the keyword without its "*" wildcards
    words: int  # how many words the keyword spans

    @classmethod
    def of(cls, department: str, keyword: str, weak: bool) -> _Keyword:
        """A keyword as written in the rules ("marketing*", "*buchhalt*", "head of")."""
        core = keyword.strip("*")
        return cls(department, keyword, weak, core, core.count(" ") + 1)


@dataclass(frozen=True, eq=False)
class TitleRules:
    """Compiled title rules: abbreviations, ordered seniority rules and department keywords."""

    abbreviations: Mapping[str, str]
    seniority: tuple[_SeniorityRule, ...]
    phrases: Mapping[str, _Keyword]  # keywords without wildcards, by their exact words
    longest_phrase: int  # in words
    # "marketing*"-style keywords by the first two letters of their first word, longest first.
    prefixed: Mapping[str, tuple[_Keyword, ...]]
    inside_word: tuple[_Keyword, ...]  # "*buchhalt*"-style keywords, longest first
    inside_regex: re.Pattern[str]  # any inside-word keyword at all (a quick pre-check)


def fold(text: str) -> str:
    """Lower-case and strip accents, the form every pattern and keyword is written in."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read_defaults() -> dict[str, Any]:
    with RULES_PATH.open("rb") as handle:
        return tomllib.load(handle)


def _as_strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValue(f"Title rules: {where} must be a list of strings, not {value!r}.")
    items = list(value)
    if not all(isinstance(item, str) for item in items):
        raise InvalidValue(f"Title rules: {where} must be a list of strings, not {items!r}.")
    return items


def _pattern_source(pattern: str) -> str:
    # Whole words, except that a leading or trailing "\w*" (a German compound such as
    # "Marketingleiter") drops that side's boundary instead: the same matches, far faster to search.
    left, right = r"\b", r"\b"
    if pattern.startswith(r"\w*"):
        pattern, left = pattern[3:], ""
    if pattern.endswith(r"\w*") and not pattern.endswith(r"\\w*"):
        pattern, right = pattern[:-3], ""
    return f"{left}(?:{pattern}){right}"


def _required_text(pattern: str) -> str:
    """The longest plain text every match of ``pattern`` contains, or "" when unsure."""
    runs: list[str] = []
    run: list[str] = []
    depth, i = 0, 0
    while i < len(pattern):
        ch = pattern[i]
        optional_next = i + 1 < len(pattern) and pattern[i + 1] in "?*{+"
        if ch == "|" and depth == 0:
            return ""  # a top-level alternative: nothing is required
        if depth == 0 and (ch.isalnum() or ch in " '&") and not optional_next:
            run.append(ch)
        else:
            runs.append("".join(run))
            run = []
            # Letters inside a group, a [class] or a {count} are not required text.
            depth += (ch in "([{") - (ch in ")]}")
            i += ch == "\\"  # skip what an escape escapes
        i += 1
    runs.append("".join(run))
    best = max(runs, key=len)
    return best if len(best.strip()) >= 2 else ""


def _compile_seniority(raw: Any, where: str) -> list[_SeniorityRule]:
    if not isinstance(raw, Iterable) or isinstance(raw, str | Mapping):
        raise InvalidValue(f"Title rules: {where} must be a list of {{level, patterns}} tables.")
    rules: list[_SeniorityRule] = []
    for entry in raw:
        level = entry.get("level") if isinstance(entry, Mapping) else None
        if level not in SENIORITIES:
            raise InvalidValue(
                f"Title rules: seniority level {level!r} is not one of {', '.join(SENIORITIES)}."
            )
        patterns = [fold(p) for p in _as_strings(entry.get("patterns", ()), f"{level} patterns")]
        if not patterns:
            continue
        try:
            checks = tuple((_required_text(p), re.compile(_pattern_source(p))) for p in patterns)
        except re.error as exc:
            raise InvalidValue(f"Title rules: a {level} pattern is not valid: {exc}.") from exc
        rules.append(_SeniorityRule(level, checks))
    return rules


def _collect_keywords(data: Mapping[str, Any], into: dict[str, _Keyword]) -> None:
    departments = data.get("departments", {})
    if not isinstance(departments, Mapping):
        raise InvalidValue("Title rules: [departments] must be a table of department names.")
    for department, table in departments.items():
        if department not in DEPARTMENTS:
            raise InvalidValue(
                f"Title rules: department {department!r} is not one of {', '.join(DEPARTMENTS)}."
            )
        if not isinstance(table, Mapping):
            raise InvalidValue(f"Title rules: departments.{department} must be a table.")
        for kind in ("keywords", "weak"):
            for keyword in _as_strings(table.get(kind, ()), f"{department} {kind}"):
                key = fold(keyword).strip()
                if key.strip("*"):
                    into[key] = _Keyword.of(department, key, kind == "weak")
    ignore = data.get("ignore", {})
    phrases = ignore.get("phrases", ()) if isinstance(ignore, Mapping) else ignore
    for phrase in _as_strings(phrases, "ignore phrases"):
        key = fold(phrase).strip()
        if key.strip("*"):
            into[key] = _Keyword.of("", key, weak=False)


def load_rules(extra: Mapping[str, Any] | None = None) -> TitleRules:
    """Compile the default rules, with a user's additions (same schema as the TOML) merged over them.

    The user's abbreviations replace ours, their seniority rules are checked before ours, and their
    department keywords replace ours where the same keyword appears in both.
    """
    defaults = _read_defaults()
    layers: list[Mapping[str, Any]] = [defaults] if extra is None else [defaults, extra]
    abbreviations: dict[str, str] = {}
    keywords: dict[str, _Keyword] = {}
    seniority: list[_SeniorityRule] = []
    for layer in layers:
        raw_abbrev = layer.get("abbreviations", {})
        if not isinstance(raw_abbrev, Mapping):
            raise InvalidValue("Title rules: [abbreviations] must be a table of word = expansion.")
        for short, expansion in raw_abbrev.items():
            if not isinstance(expansion, str):
                raise InvalidValue(f"Title rules: abbreviation {short!r} must expand to text.")
            abbreviations[fold(str(short)).strip(". ")] = expansion.casefold().strip()
        # A later layer's seniority rules go first: the user's rules override the defaults.
        seniority = _compile_seniority(layer.get("seniority", ()), "[[seniority]]") + seniority
        _collect_keywords(layer, keywords)
    # Longest keyword first, so at any word the most specific phrase wins ("product marketing").
    ordered = sorted(keywords.values(), key=lambda k: (-len(k.core), k.keyword))
    phrases = {k.core: k for k in ordered if "*" not in k.keyword}
    inside = tuple(k for k in ordered if k.keyword.startswith("*"))
    prefixed: dict[str, list[_Keyword]] = {}
    for k in ordered:
        if k.keyword.endswith("*") and not k.keyword.startswith("*"):
            prefixed.setdefault(k.core[:2], []).append(k)
    inside_source = "|".join(re.escape(k.core) for k in inside)
    return TitleRules(
        abbreviations=abbreviations,
        seniority=tuple(seniority),
        phrases=phrases,
        longest_phrase=max((k.words for k in phrases.values()), default=1),
        prefixed={prefix: tuple(group) for prefix, group in prefixed.items()},
        inside_word=inside,
        inside_regex=re.compile(inside_source or r"(?!)"),
    )


@lru_cache(maxsize=1)
def default_rules() -> TitleRules:
    """The rules from ``resources/titles.toml``, compiled once per process."""
    return load_rules()


def _normalize(title: str, rules: TitleRules) -> tuple[str, list[str]]:
    # Dots go first so "V.P." and "Sr." read as the words "vp" and "sr".
    text = title.casefold().replace(".", "").replace("’", "'")
    words: list[str] = []
    fired: list[str] = []
    for word in _WORD.findall(text):
        expansion = rules.abbreviations.get(fold(word))
        if expansion is None:
            words.append(word)
        else:
            words.append(expansion)
            fired.append(f"abbrev:{fold(word)}")
    return " ".join(words), fired


def _keyword_at(words: list[str], i: int, rules: TitleRules) -> _Keyword | None:
    """The longest department keyword that starts at word ``i``."""
    best: _Keyword | None = None
    for n in range(min(rules.longest_phrase, len(words) - i), 0, -1):
        best = rules.phrases.get(" ".join(words[i : i + n]))
        if best is not None:
            break
    size = len(best.core) if best else 0
    for keyword in rules.prefixed.get(words[i][:2], ()):
        if len(keyword.core) <= size:
            break
        if " ".join(words[i : i + keyword.words]).startswith(keyword.core):
            best, size = keyword, len(keyword.core)
            break
    word = words[i]
    if rules.inside_regex.search(word):
        for keyword in rules.inside_word:
            fits = keyword.keyword.endswith("*") or word.endswith(keyword.core)
            if len(keyword.core) > size and keyword.core in word and fits:
                best, size = keyword, len(keyword.core)
    return best


def _department(folded: str, rules: TitleRules) -> tuple[str, str]:
    weak: tuple[str, str] | None = None
    words = folded.split(" ")
    i = 0
    while i < len(words):
        keyword = _keyword_at(words, i, rules)
        if keyword is None:
            i += 1
            continue
        if keyword.department and not keyword.weak:
            return keyword.department, keyword.core  # the first function named wins
        if keyword.department and weak is None:
            weak = (keyword.department, keyword.core)
        # Skip the words the keyword consumed, so "vice president" never also reads as "president".
        i += keyword.words
    return weak or ("", "")


def _seniority(folded: str, rules: TitleRules) -> tuple[str, str]:
    """The first rule (in precedence order) with a matching pattern, and the text it matched."""
    for rule in rules.seniority:
        for needs, regex in rule.checks:
            if needs in folded:  # "" is in every string: such patterns always run
                match = regex.search(folded)
                if match:
                    return rule.level, match.group(0)
    return "", ""


def _classify(title: str, rules: TitleRules) -> TitleInfo:
    normalized, fired = _normalize(title, rules)
    folded = fold(normalized)
    if not folded.strip(" &") or folded in _PLACEHOLDERS:
        return TitleInfo(title, normalized, "", "", tuple(fired))
    seniority, match = _seniority(folded, rules)
    if match:
        fired.append(f"seniority:{match}")
    department, keyword = _department(folded, rules)
    if department:
        fired.append(f"dept:{keyword}")
        if not seniority:
            # A named function with no rank word ("Accountant", "Buchhalter") is an individual
            # contributor.
            seniority = "Entry"
            fired.append("seniority:default")
    return TitleInfo(title, normalized, seniority, department, tuple(fired))


@lru_cache(maxsize=_CACHE_SIZE)
def _classify_cached(title: str, rules: TitleRules) -> TitleInfo:
    return _classify(title, rules)


def classify_title(title: str, rules: TitleRules | None = None) -> TitleInfo:
    """Read a job title's seniority and department (``""`` for each when the title does not say)."""
    return _classify_cached(title, rules if rules is not None else default_rules())
