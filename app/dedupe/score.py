"""Scoring a candidate pair: a 0–100 number and the reasons a person would give for it.

Additive evidence weights in the spirit of Fellegi–Sunter: agreement on a field that rarely agrees
by chance (email, LinkedIn, personal phone, company) adds much; a conflict on a field that should
agree (two different LinkedIn profiles, countries or work addresses) takes away. A similar name is
never enough on its own: homonyms are common in a big book, so a certain fuzzy match needs the name,
the company and at least one more agreeing field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

from app.dedupe.keys import Table
from app.dedupe.names import same_first_name

# Exact-stage evidence, as bit flags on a pair.
SAME_EMAIL = 1
SAME_LINKEDIN = 2
SAME_PHONE = 4
PLUS_ADDRESS = 8  # same address apart from a "+tag": a suggestion, never a key on its own

NAME_FLOOR = 80  # below this a name is "different" and fuzzy evidence does not count
DEFAULT_AUTO_SCORE = 95  # conservative: certain pairs merge automatically from here
DEFAULT_MIN_SCORE = 70  # uncertain pairs from here go to the review queue
PLUS_CAP = 89  # a plus-address pair is never certain on that evidence alone

W_COMPANY = 20
W_DOMAIN = 10
W_CITY = 10
W_TITLE = 10
W_PHONE = 30
# Same name, company, city and job title and no conflict: certain at the default auto-merge score.
# (Letting the work email domain stand in for the title found 6 more true pairs at 100k and 4
# false ones: the domain mostly repeats the company.)
W_ALL_AGREE = 5
P_COUNTRY = 25
P_LINKEDIN = 40
P_EMAIL = 10


@dataclass(frozen=True)
class PairScore:
    """One scored pair of contacts (ids, not row indexes).

    `reasons` may be left for `explain` to give on demand (`why`): a million-contact run keeps
    hundreds of thousands of pairs, but only a group's links are ever shown."""

    a: int
    b: int
    score: int
    reasons: tuple[str, ...] = ()
    explain: Callable[[], tuple[str, ...]] | None = field(default=None, compare=False, repr=False)

    def why(self) -> tuple[str, ...]:
        """The reasons for this pair's score."""
        return self.reasons if self.explain is None else self.explain()


def _ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100.0


def _first_similarity(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    if same_first_name(a, b):
        return 100.0, "" if a == b else "nickname"
    if (len(a) == 1 or len(b) == 1) and a[0] == b[0]:
        return 90.0, "initial"
    return _ratio(a, b), ""


def name_similarity(fa: str, la: str, fb: str, lb: str) -> tuple[int, str]:
    """0–100 similarity of two (first, last) skeleton pairs, and a note (nickname, initial,
    swapped names…) that explains a non-obvious match."""
    if not (la or fa) or not (lb or fb):
        return 0, ""
    if not fa or not fb:
        # One side has no first name: the surname alone, held to a lower score.
        return round(_ratio(la or fa, lb or fb) * 0.85), ""
    f, note = _first_similarity(fa, fb)
    straight = 0.4 * f + 0.6 * _ratio(la, lb)
    if straight >= 99.5:
        return 100, note
    cf, _ = _first_similarity(fa, lb)
    crossed = 0.4 * cf + 0.6 * _ratio(la, fb)
    if crossed > straight + 5:
        return round(crossed), "first and last names swapped"
    return round(straight), note


def score_pair(t: Table, i: int, j: int, flags: int = 0) -> tuple[int, tuple[str, ...]]:
    """Score rows i and j of a table with any exact-stage flags; (0, ()) when there is no case."""
    name, note = name_similarity(t.first_name(i), t.last_name(i), t.first_name(j), t.last_name(j))
    names_given = bool((t.first[i] or t.last[i]) and (t.first[j] or t.last[j]))
    reasons: list[str] = []
    if flags & (SAME_EMAIL | SAME_LINKEDIN):
        reasons.append("same email" if flags & SAME_EMAIL else "same LinkedIn profile")
        if flags & SAME_EMAIL and flags & SAME_LINKEDIN:
            reasons.append("same LinkedIn profile")
        if names_given and name < 60:
            # Shared family or assistant addresses exist: a person should look at it.
            return 80, (*reasons, f"but the names differ (name {name})")
        return 100, tuple(reasons)
    if name < NAME_FLOOR:
        if flags & (SAME_PHONE | PLUS_ADDRESS) and not names_given:
            score = 75 if flags & SAME_PHONE else 70
            return score, ("same phone" if flags & SAME_PHONE else "same address apart from +tag",)
        return 0, ()
    score = 30 + (name - NAME_FLOOR)
    reasons.append("same name" if name == 100 else f"name {name}")
    if note:
        reasons.append(note)
    if flags & SAME_PHONE:
        score += W_PHONE
        reasons.append("same phone")
    if flags & PLUS_ADDRESS:
        score += W_COMPANY
        reasons.append("same address apart from +tag")
    if t.company[i] and t.company[i] == t.company[j]:
        score += W_COMPANY
        reasons.append("same company")
    if t.domain[i] and t.domain[i] == t.domain[j]:
        score += W_DOMAIN
        reasons.append("same company domain")
    if t.city[i] and t.city[i] == t.city[j]:
        score += W_CITY
        reasons.append("same city")
    if t.title[i] and t.title[i] == t.title[j]:
        score += W_TITLE
        reasons.append("same job title")
    before_conflicts = score
    agreeing = sum(bool(col[i]) and col[i] == col[j] for col in (t.company, t.city, t.title))
    if t.country[i] and t.country[j] and t.country[i] != t.country[j]:
        score -= P_COUNTRY
        reasons.append("different countries")
    if t.linkedin[i] and t.linkedin[j] and t.linkedin[i] != t.linkedin[j]:
        score -= P_LINKEDIN
        reasons.append("different LinkedIn profiles")
    if t.email[i] and t.email[j] and t.email[i] != t.email[j] and t.domain[i] == t.domain[j]:
        score -= P_EMAIL
        reasons.append("different work emails")
    conflict = score < before_conflicts
    if name == 100 and not note and not conflict and agreeing == 3:
        # The same name, company, city and job title and nothing that disagrees:
        # four fields that rarely agree by chance (a homonym at another company fails the
        # company; a namesake colleague with an address of their own is a conflict).
        score += W_ALL_AGREE
    if flags & SAME_PHONE and name >= 90 and not conflict:
        # The strict phone stage: same number, same person, unless another key says otherwise
        # (two Andrew Jacksons behind one small office's number, each with their own LinkedIn).
        score = max(score, DEFAULT_AUTO_SCORE)
    score = max(0, min(100, score))
    if flags & PLUS_ADDRESS and not flags & SAME_PHONE:
        score = min(score, PLUS_CAP)
    return score, tuple(reasons)


def summary(reasons: tuple[str, ...], score: int) -> str:
    """One line for a pair: "name 94 + same company + same city" (the score is shown apart)."""
    return " + ".join(reasons) if reasons else f"score {score}"
