"""Seeded generator of realistic, messy contact rows with known duplicates.

`python -m bench.generate --rows N --seed S --dup-rate 0.1 --out file.csv [--truth truth.csv]`
writes a CSV with the header in `HEADER` and, optionally, a ground-truth file `row,entity_id,
corruption`: two rows with the same entity_id are the same person. Streaming and deterministic:
the same arguments give the same bytes, and memory stays bounded (a reservoir of earlier entities
and a ring of active companies per country), so a million rows cost no more memory than a thousand.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import unicodedata
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from bench.generate_data import (
    COMPANY_A,
    COMPANY_B,
    FOLD,
    GERMAN,
    JUNK_PHONES,
    KEYBOARD,
    LOCALE_WEIGHTS,
    LOCALES,
    NICKNAMES,
    PREFIXES,
    ROLES,
    SOURCES,
    SUFFIX_VARIANTS,
    TITLES_EN,
    TITLES_LOCAL,
    Block,
    Locale,
    cumulative_weights,
)

_T = TypeVar("_T")

ROOT = Path(__file__).resolve().parents[1]
# The files that decide the rows written: the benchmarks' cached data sets are keyed by them.
SOURCE_FILES = ("bench/generate.py", "bench/generate_data.py")


def source_key(paths: Sequence[str] = SOURCE_FILES) -> str:
    """A short hash of these files (paths from the repository root): the cache key of what they make."""
    digest = hashlib.sha256()
    for rel in paths:
        digest.update(rel.encode())
        digest.update((ROOT / rel).read_bytes())
    return digest.hexdigest()[:10]


HEADER = [
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Mobile",
    "Company",
    "Job Title",
    "Website",
    "LinkedIn",
    "City",
    "Country",
    "Lead Source",
]
TRUTH_HEADER = ["row", "entity_id", "corruption"]
ENTITY_KEY = "_entity_id"
CORRUPTION_KEY = "_corruption"
ORIGINAL = "original"
HOMONYM = "homonym"
CORRUPTIONS = (
    "exact", "email_case", "whitespace", "typo", "swapped_names", "nickname", "initial",
    "missing_email", "missing_phone", "phone_format", "title_change", "company_variant",
    "accent_stripped",
)  # fmt: skip
RESERVOIR_SIZE = 10_000  # earlier entities a duplicate can copy
COMPANY_RING = 400  # active companies per country; older ones take no new hires
NEW_COMPANY_RATE = 0.07  # ~15 contacts per company on average


@lru_cache(maxsize=4096)
def ascii_fold(text: str) -> str:
    """Strip accents the way people type a name without them: Müller → Muller, Łukasz → Lukasz."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def _slug(text: str) -> str:
    return ascii_fold(text).lower().replace(" ", "").replace("-", "")


def _unique_digits(n: int, width: int, salt: int) -> str:
    """Spread `n` over `width` digits one-to-one, so distinct people never share a number."""
    # An affine map whose multiplier is prime to 10 is a bijection modulo 10**width; a
    # multiplier with scattered digits makes the numbers look random.
    return f"{(n * 48_271_937 + salt) % 10**width:0{width}d}"


@dataclass(slots=True)
class _Company:
    """A company: display name parts, its domain and its switchboard line."""

    base: str
    suffix: str
    domain: str
    pattern: int  # the company's email address pattern
    switchboard: tuple[Block, str]
    display: str = ""  # the name as most rows write it
    used_locals: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.display = f"{self.base} {self.suffix}"


@dataclass(slots=True)
class _Entity:
    """One person; `row` is how they first appeared, and duplicates are corrupted copies of it."""

    entity_id: int
    locale: Locale
    first: str
    last: str
    company: _Company
    title: str
    row: tuple[str, ...]
    phone: tuple[Block, str] | None
    mobile: tuple[Block, str] | None


_STYLES = (
    "national",
    "international",
    "e164",
    "dashes",
    "dots",
    "parens",
    "intl_trunk",
    "idd",
    "compact",
)
_STYLE_WEIGHTS = (40, 25, 8, 6, 4, 5, 4, 3, 5)
_INTL_STYLES = ("international", "e164", "intl_trunk")  # readable with no country known
_WEBSITE_FORMS = ("https://www.{}", "www.{}", "{}", "http://{}/", "https://{}")
_LINKEDIN_FORMS = (
    "https://www.linkedin.com/in/{0}/", "https://www.linkedin.com/in/{0}", "http://linkedin.com/in/{0}",
    "www.linkedin.com/in/{0}", "linkedin.com/in/{0}/", "https://{1}.linkedin.com/in/{0}",
)  # fmt: skip


_STYLE_CUM = cumulative_weights(_STYLE_WEIGHTS)
_LOCALE_CUM = cumulative_weights(LOCALE_WEIGHTS)


def format_phone(loc: Locale, number: tuple[Block, str], style: str) -> str:
    """Write a national significant number the way people do in `loc`'s country."""
    block, digits = number
    nsn = block.prefix + digits
    parts, at = [], 0
    for size in block.groups:
        parts.append(nsn[at : at + size])
        at += size
    first, rest = parts[0], parts[1:]
    cc, trunk = loc.calling_code, loc.trunk
    if loc.code == "US":
        if style in ("national", "parens"):
            return f"({first}) {rest[0]}-{rest[1]}"
        if style == "international":
            return f"+1 {first}-{rest[0]}-{rest[1]}"
        if style == "intl_trunk":
            return f"+1 ({first}) {rest[0]}-{rest[1]}"
        if style == "idd":  # long-distance dialling within the US
            return f"1-{first}-{rest[0]}-{rest[1]}"
    if style == "idd" and loc.code == "AU":  # Australians dial 0011 abroad, not 00
        style = "international"
    if style == "national":
        return " ".join([trunk + first, *rest])
    if style == "international":
        return " ".join([f"+{cc}", *parts])
    if style == "e164":
        return f"+{cc}{nsn}"
    if style == "dashes":
        return "-".join([trunk + first, *rest])
    if style == "dots":
        return ".".join([trunk + first, *rest])
    if style == "parens":
        return " ".join([f"({trunk}{first})", *rest])
    if style == "intl_trunk":
        return " ".join([f"+{cc} ({trunk}){first}" if trunk else f"+{cc} {first}", *rest])
    if style == "idd":
        return " ".join([f"00{cc}", *parts])
    if style == "compact":
        return trunk + nsn
    if style == "lost_zero":  # the spreadsheet ate the leading 0 (or the +)
        return " ".join(parts) if trunk else " ".join([cc, *parts])
    if style == "lost_plus":
        return " ".join([cc, *parts])
    raise ValueError(f"unknown phone style {style!r}")


class _Generator:
    """The state of one generation run: random stream, counters, reservoir of entities."""

    def __init__(self, seed: int, dup_rate: float, homonym_rate: float) -> None:
        self.rng = random.Random(seed)
        self.dup_rate = dup_rate
        self.homonym_rate = homonym_rate
        self.reservoir: list[_Entity] = []
        self.entities = 0
        # Locales hold mutable counters and company rings: give each run its own copies.
        self.locales = [Locale(**{f: getattr(loc, f) for f in loc.__dataclass_fields__})
                        for loc in LOCALES]  # fmt: skip
        for loc in self.locales:
            loc.company_ring, loc.companies, loc.people = [], 0, 0
            loc.name_offset = self.rng.randrange(1000)
        # random() plus indexing is several times faster than choice()/choices(), and a
        # million rows make ~40 draws each.
        self.random = self.rng.random

    def _pick(self, seq: Sequence[_T]) -> _T:
        return seq[int(self.random() * len(seq))]

    def _weighted(self, seq: Sequence[_T], cumulative: Sequence[float]) -> _T:
        return seq[bisect(cumulative, self.random())]

    def rows(self, count: int) -> Iterator[tuple[Sequence[str], int, str]]:
        """Yield `count` rows as (cells in HEADER order, entity id, corruption)."""
        for _ in range(count):
            roll = self.random()
            if self.reservoir and roll < self.dup_rate:
                entity = self._pick(self.reservoir)
                kind, cells = self._corrupt(entity)
                yield cells, entity.entity_id, kind
                continue
            if self.reservoir and roll < self.dup_rate + self.homonym_rate:
                twin = self._pick(self.reservoir)
                entity = self._new_entity(twin.locale, twin)
                yield entity.row, entity.entity_id, HOMONYM
            else:
                entity = self._new_entity(self._weighted(self.locales, _LOCALE_CUM), None)
                yield entity.row, entity.entity_id, ORIGINAL
            self._remember(entity)

    def _remember(self, entity: _Entity) -> None:
        # Reservoir sampling keeps a uniform sample of all entities so far in bounded memory.
        if len(self.reservoir) < RESERVOIR_SIZE:
            self.reservoir.append(entity)
        else:
            slot = int(self.random() * self.entities)
            if slot < RESERVOIR_SIZE:
                self.reservoir[slot] = entity

    def _company(self, loc: Locale, avoid: _Company | None) -> _Company:
        rng, ring = self.rng, loc.company_ring
        # A young ring grows quickly so the first companies are not giants.
        if len(ring) >= 20 and self.random() >= NEW_COMPANY_RATE:
            company = self._pick(ring)
            if company is not avoid:
                return company
        n = loc.companies + loc.name_offset
        loc.companies += 1
        # Mixed-radix digits of a scrambled counter: every company of a country gets a new name.
        space = len(COMPANY_A) * len(COMPANY_B) * len(loc.industry)
        wrap, k = divmod(n, space)
        k = (k * 7_919) % space if space % 7_919 else k
        k, a = divmod(k, len(COMPANY_A))
        word, b = divmod(k, len(COMPANY_B))
        stem = COMPANY_A[a] + COMPANY_B[b]
        base = f"{stem} {loc.industry[word]}"
        joiner = "-" if n % 3 == 0 else ""
        domain = f"{_slug(stem)}{joiner}{_slug(loc.industry[word])}{wrap or ''}{loc.tld}"
        pattern = rng.choices(range(5), (50, 15, 15, 10, 10))[0]
        block = loc.fixed[rng.randrange(len(loc.fixed))]
        switchboard = (block, _unique_digits(3 * n + 1, block.free, 17))
        company = _Company(base, rng.choice(loc.suffixes), domain, pattern, switchboard)
        if len(ring) < COMPANY_RING:
            ring.append(company)
        else:
            ring[n % COMPANY_RING] = company
        return company

    def _email(self, loc: Locale, first: str, last: str, company: _Company, eid: int) -> str:
        f, l = _slug(first), _slug(last)  # noqa: E741 - f/l read like the address they build
        roll = self.random()
        if roll < 0.07:
            return ""
        if roll < 0.10:
            return f"{self._pick(ROLES)}@{company.domain}"
        if roll < 0.25:  # free mail: a number keeps two people's addresses apart
            sep = self._pick((".", "", "_"))
            return f"{f}{sep}{l}{int(_unique_digits(eid, 7, 99))}@{self._pick(loc.freemail)}"
        pattern = company.pattern
        if pattern == 0:
            local = f"{f}.{l}"
        else:
            local = (f"{f[0]}.{l}", f"{f[0]}{l}", f, f"{f}{l[0]}")[pattern - 1]
        base, n = local, 2
        while local in company.used_locals:
            local, n = f"{base}{n}", n + 1
        company.used_locals.add(local)
        return f"{local}@{company.domain}"

    def _new_entity(self, loc: Locale, twin: _Entity | None) -> _Entity:
        random = self.random
        self.entities += 1
        eid = self.entities
        seq = loc.people
        loc.people += 1
        if twin is not None:  # a homonym: same name, another company, another address
            first, last = twin.first, twin.last
        else:
            names = loc.female if random() < 0.48 else loc.male
            first = names[int(random() * len(names))]
            last = loc.last[int(random() * len(loc.last))]
        company = self._company(loc, twin.company if twin else None)
        titles = TITLES_LOCAL.get(loc.code)
        titles = titles if titles and random() < 0.35 else TITLES_EN
        title = titles[int(random() * len(titles))]
        email = self._email(loc, first, last, company, eid)
        roll = random()
        phone: tuple[Block, str] | None = None
        if roll < 0.55:
            block = loc.fixed[int(random() * len(loc.fixed))]
            phone = (block, _unique_digits(3 * seq, block.free, 17))
        elif roll < 0.80:
            phone = company.switchboard
        mobile = None
        if random() < 0.6:
            block = loc.mobile[int(random() * len(loc.mobile))]
            mobile = (block, _unique_digits(3 * seq + 2, block.free, 17))
        country = "" if random() < 0.02 else self._weighted(loc.spellings, loc.spelling_cum)
        entity = _Entity(eid, loc, first, last, company, title, (), phone, mobile)
        entity.row = (
            first if (r := random()) >= 0.055 else self._noisy_name(loc, first, r, prefix=True),
            last if (r := random()) >= 0.055 else self._noisy_name(loc, last, r, prefix=False),
            email if not email or (r := random()) >= 0.06 else self._noisy_email(email, r),
            self._phone_text(entity, phone, country == "", noisy=True),
            self._phone_text(entity, mobile, country == "", noisy=True),
            company.display,
            title,
            "" if random() < 0.3 else self._pick(_WEBSITE_FORMS).format(company.domain),
            self._linkedin(loc, first, last, eid),
            loc.cities[int(random() * len(loc.cities))],
            country,
            SOURCES[int(random() * len(SOURCES))],
        )
        return entity

    def _noisy_name(self, loc: Locale, name: str, roll: float, prefix: bool) -> str:
        if prefix and roll < 0.03:
            return f"{self._pick(PREFIXES[loc.code].split())} {name}"
        if roll < 0.045:
            return name.upper()
        if roll < 0.055:
            return name.lower()
        return name

    def _noisy_email(self, email: str, roll: float) -> str:
        local, domain = email.split("@")
        if roll < 0.02:
            return email.upper()
        if roll < 0.04:
            return f"{local.title()}@{domain}"
        return self.rng.choice((f"{local}@", f"{local}@@{domain}", f"{local}@{domain.split('.')[0]}",
                                f"{local}.{domain}", f"{local} @{domain}"))  # fmt: skip

    def _phone_text(self, entity: _Entity, number: tuple[Block, str] | None,
                    intl_only: bool, noisy: bool) -> str:  # fmt: skip
        if number is None:
            return ""
        if noisy and self.random() < 0.03:
            roll = self.random()
            if roll < 0.34:
                return self._pick(JUNK_PHONES)
            style = "lost_zero" if roll < 0.67 else "lost_plus"
        elif intl_only:
            style = self._pick(_INTL_STYLES)
        else:
            style = self._weighted(_STYLES, _STYLE_CUM)
        return format_phone(entity.locale, number, style)

    def _linkedin(self, loc: Locale, first: str, last: str, eid: int) -> str:
        if self.random() < 0.35:
            return ""
        # Knuth's multiplicative hash is one-to-one below 2**32: homonyms get different URLs.
        slug = f"{_slug(first)}-{_slug(last)}-{(eid * 2_654_435_761) & 0xFFFFFFFF:08x}"
        return self._pick(_LINKEDIN_FORMS).format(slug, loc.linkedin_sub)

    def _corrupt(self, entity: _Entity) -> tuple[str, list[str]]:
        """Copy an entity's first row and damage it in one of the ways real duplicates differ."""
        rng, row = self.rng, list(entity.row)
        kinds = [k for k in CORRUPTIONS if self._applies(k, entity)]
        kind = rng.choice(kinds)
        first_i, last_i, email_i, phone_i, mobile_i, company_i, title_i = range(7)
        if kind == "email_case":
            local, _, domain = row[email_i].partition("@")
            row[email_i] = rng.choice((row[email_i].upper(), f"{local.title()}@{domain}",
                                       f"{local}@{domain.upper()}"))  # fmt: skip
        elif kind == "whitespace":
            for i in rng.sample((first_i, last_i, email_i, company_i), 2):
                row[i] = rng.choice(
                    (f" {row[i]}", f"{row[i]} ", f"  {row[i]}  ", row[i].replace(" ", "  "))
                )
        elif kind == "typo":
            i = rng.choice((first_i, last_i))
            row[i] = self._typo(row[i], rng.randint(1, 2))
        elif kind == "swapped_names":
            row[first_i], row[last_i] = entity.last, entity.first
        elif kind == "nickname":
            row[first_i] = rng.choice(NICKNAMES[entity.first])
        elif kind == "initial":
            row[first_i] = entity.first[0] + rng.choice((".", ""))
        elif kind == "missing_email":
            row[email_i] = ""
        elif kind == "missing_phone":
            row[phone_i] = row[mobile_i] = ""
        elif kind == "phone_format":
            intl_only = row[10] == ""
            for i, number in ((phone_i, entity.phone), (mobile_i, entity.mobile)):
                for _ in range(8):  # pick a style that actually writes it differently
                    text = self._phone_text(entity, number, intl_only, noisy=False)
                    if text != row[i]:
                        break
                row[i] = text
        elif kind == "title_change":
            titles = TITLES_LOCAL.get(entity.locale.code, TITLES_EN) + TITLES_EN
            row[title_i] = rng.choice([t for t in titles if t != entity.title])
        elif kind == "company_variant":
            company = entity.company
            alternatives = [*(f"{company.base}{s}" if s.startswith(",") else f"{company.base} {s}"
                              for s in SUFFIX_VARIANTS.get(company.suffix, ())),
                            company.base, company.base.upper(), company.display.upper()]  # fmt: skip
            row[company_i] = rng.choice(alternatives)
        elif kind == "accent_stripped":
            german = entity.locale.code == "DE" and rng.random() < 0.6
            for i, name in ((first_i, entity.first), (last_i, entity.last)):
                if not name.isascii():
                    row[i] = ascii_fold(name.translate(GERMAN) if german else name)
        return kind, row

    @staticmethod
    def _applies(kind: str, entity: _Entity) -> bool:
        row = entity.row
        if kind in ("email_case", "missing_email"):
            return "@" in row[2] and any(c.isalpha() for c in row[2])
        if kind in ("missing_phone", "phone_format"):
            return entity.phone is not None or entity.mobile is not None
        if kind == "nickname":
            return entity.first in NICKNAMES
        if kind == "accent_stripped":
            return not (entity.first + entity.last).isascii()
        if kind == "initial":
            return len(entity.first) > 2
        return True

    def _typo(self, name: str, edits: int) -> str:
        rng, original = self.rng, name
        for _ in range(20):
            chars = list(original)
            for _ in range(edits):
                i = rng.randrange(1, len(chars)) if len(chars) > 1 else 0
                op = rng.randrange(4)
                if op == 0 and chars[i].lower() in KEYBOARD:
                    chars[i] = KEYBOARD[chars[i].lower()]
                elif op == 1 and len(chars) > 3:
                    del chars[i]
                elif op == 2 and i > 0:
                    chars[i - 1], chars[i] = chars[i], chars[i - 1]
                else:
                    chars.insert(i, chars[i])
            name = "".join(chars)
            if name != original:
                return name
        return original + original[-1]


def generate(
    rows: int, seed: int, dup_rate: float, *, homonym_rate: float = 0.01
) -> Iterator[dict[str, str]]:
    """Yield `rows` contact rows keyed by HEADER, plus ENTITY_KEY and CORRUPTION_KEY (the truth)."""
    for cells, entity_id, kind in _Generator(seed, dup_rate, homonym_rate).rows(rows):
        record = dict(zip(HEADER, cells, strict=True))
        record[ENTITY_KEY] = str(entity_id)
        record[CORRUPTION_KEY] = kind
        yield record


def write_files(
    out: Path, rows: int, seed: int, dup_rate: float, truth: Path | None = None,
    homonym_rate: float = 0.01,
) -> int:  # fmt: skip
    """Write the CSV (UTF-8, RFC 4180 CRLF) and optionally the truth file; return the row count."""
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as data_file:
        truth_file = open(truth, "w", encoding="utf-8", newline="") if truth else None  # noqa: SIM115
        try:
            data = csv.writer(data_file)
            data.writerow(HEADER)
            if truth_file:
                truth_file.write(",".join(TRUTH_HEADER) + "\r\n")
            for cells, entity_id, kind in _Generator(seed, dup_rate, homonym_rate).rows(rows):
                data.writerow(cells)
                written += 1
                if truth_file:  # plain numbers and names: no quoting needed, and 3x faster
                    truth_file.write(f"{written},{entity_id},{kind}\r\n")
        finally:
            if truth_file:
                truth_file.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a generated contacts CSV and its ground truth."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--rows", type=int, required=True, help="data rows to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--dup-rate", type=float, default=0.1, help="share of duplicate rows")
    parser.add_argument("--homonym-rate", type=float, default=0.01, help="share of look-alikes")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--truth", type=Path, help="also write row,entity_id,corruption here")
    args = parser.parse_args(argv)
    if args.rows < 0 or not 0 <= args.dup_rate + args.homonym_rate <= 1:
        parser.error("--rows must be >= 0 and --dup-rate + --homonym-rate between 0 and 1")
    try:
        count = write_files(
            args.out, args.rows, args.seed, args.dup_rate, args.truth, args.homonym_rate
        )
    except OSError as exc:
        parser.exit(1, f"error: cannot write {exc.filename}: {exc.strerror}\n")
    print(f"wrote {count} rows to {args.out}" + (f" (truth: {args.truth})" if args.truth else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
