"""A sample book to explore on first run: ~200 realistic contacts, generated, always the same.

Deterministic (a seeded Random, no clock in the data) so screenshots and tests see the same book.
It goes through the ordinary import path, so what a user explores is what an import really does:
two files become two lists, a few repeated people are merged on import, a few invalid emails and
phones are kept with their reason, and one audience scores and tags the matches.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from app.audience import Criteria
from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta

SAMPLE_FILE_NAME = "Sample book.db"
SAMPLE_AUDIENCE = "UK & Ireland marketing leaders"
SAMPLE_LISTS = ("Fintech conference 2025", "LinkedIn — SaaS marketing")

FIRST = ("Ana", "Ben", "Chloé", "Daniel", "Emma", "Farid", "Grace", "Hugo", "Ines", "James",
         "Katarzyna", "Liam", "Maria", "Noah", "Olivia", "Pablo", "Quentin", "Rosa", "Sofia",
         "Tomás", "Uma", "Victor", "Wei", "Yuki", "Zoë", "Lukas", "Amelia", "Oscar", "Freya",
         "Mateo", "Elena", "Jonas")  # fmt: skip
LAST = ("Smith", "García", "Müller", "Martin", "Rossi", "Nowak", "O'Brien", "Jensen", "Silva",
        "Dubois", "Kowalski", "Novak", "Fischer", "Moreau", "Taylor", "López", "Bianchi", "Walsh",
        "Lindqvist", "Costa", "Schmidt", "Brown", "Hughes", "Kelly")  # fmt: skip
TITLES = ("Chief Marketing Officer", "VP Marketing", "Head of Growth", "Marketing Manager",
          "Demand Generation Manager", "Chief Financial Officer", "Finance Director",
          "VP Sales", "Sales Development Representative", "Account Executive", "CTO",
          "Head of Engineering", "Software Engineer", "Head of People", "Operations Manager",
          "Founder & CEO", "Product Marketing Lead", "Content Marketing Manager")  # fmt: skip
# (company, domain, country, city, industry, employees)
COMPANIES = (
    ("Acme Payments", "acmepay.co.uk", "GB", "London", "Financial Services", "250"),
    ("Globex Bank", "globexbank.ie", "IE", "Dublin", "Banking", "3200"),
    ("Initech Software", "initech.io", "DE", "Berlin", "Software", "480"),
    ("Umbrella Health", "umbrella-health.fr", "FR", "Lyon", "Hospital & Health Care", "1200"),
    ("Stark Logistics", "starklogistics.es", "ES", "Madrid", "Logistics", "800"),
    ("Wayne Analytics", "wayneanalytics.com", "GB", "Manchester", "Software", "95"),
    ("Hooli Cloud", "hooli.nl", "NL", "Amsterdam", "Internet", "5400"),
    ("Vandelay Imports", "vandelay.it", "IT", "Milan", "Import & Export", "60"),
    ("Cyberdyne Robotics", "cyberdyne.se", "SE", "Stockholm", "Machinery", "700"),
    ("Soylent Foods", "soylent.pl", "PL", "Warsaw", "Food & Beverages", "1500"),
    ("Tyrell Insurance", "tyrell-insurance.co.uk", "GB", "Leeds", "Insurance", "2100"),
    ("Oscorp Energy", "oscorp.pt", "PT", "Lisbon", "Renewables", "340"),
)  # fmt: skip
# (prefix, random digits) per country: numbers the validator accepts (fictional ranges where they exist).
PHONES = {"GB": ("+44 7911 ", 6), "IE": ("+353 85 1", 6), "DE": ("+49 151 2", 7),
          "FR": ("+33 6 12 ", 6), "ES": ("+34 612 ", 6), "NL": ("+31 6 2", 7),
          "IT": ("+39 312 ", 7), "SE": ("+46 70 1", 6), "PL": ("+48 512 ", 6),
          "PT": ("+351 912 ", 6)}  # fmt: skip
HEADERS = ["First name", "Last name", "Email", "Phone", "Company", "Website", "Job title",
           "City", "Country", "Industry", "Employees", "LinkedIn"]  # fmt: skip
FIELDS = ["first_name", "last_name", "email", "phone", "company", "website", "job_title",
          "city", "country", "industry", "employees", "linkedin_url"]  # fmt: skip


@dataclass(frozen=True)
class SampleSummary:
    """What the sample book holds once built."""

    path: Path
    contacts: int
    imported_rows: int
    merged: int
    invalid: int


def _phone(rng: random.Random, country: str) -> str:
    prefix, digits = PHONES[country]
    return prefix + "".join(str(rng.randrange(10)) for _ in range(digits))


def sample_rows(seed: int = 2025, count: int = 200) -> list[list[dict[str, str]]]:
    """The two files' rows (field → value): `count` rows in all, some people in both files."""
    rng = random.Random(seed)
    people: list[dict[str, str]] = []
    for n in range(count - 12):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company, domain, country, city, industry, size = rng.choice(COMPANIES)
        local = f"{first}.{last}".lower().replace("'", "")
        local = local.translate(str.maketrans("éáóíüöëç", "eaoiuoec"))
        row = {
            "first_name": first,
            "last_name": last,
            "email": f"{local}{n if n % 7 == 0 else ''}@{domain}",
            "phone": _phone(rng, country) if rng.random() < 0.7 else "",
            "company": company,
            "website": f"https://www.{domain}",
            "job_title": rng.choice(TITLES),
            "city": city,
            "country": country,
            "industry": industry,
            "employees": size,
            "linkedin_url": f"https://www.linkedin.com/in/{local.replace('.', '-')}-{n:03d}"
            if rng.random() < 0.6
            else "",
        }
        people.append(row)
    # A few values every real file has: a typo'd email, a missing @, a phone that is too short.
    for n, bad in ((5, "maria.rossi@@vandelay.it"), (17, "liam.walsh.hooli.nl"), (40, "n/a")):
        people[n]["email"] = bad
    for n in (9, 33):
        people[n]["phone"] = "12345"
    first_file = people[: len(people) // 2]
    second_file = people[len(people) // 2 :]
    # The same people again in the second file (same email: merged on import), with news.
    for row in first_file[3:15]:
        again = dict(row)
        again["job_title"] = rng.choice(TITLES)
        second_file.append(again)
    # And a few the import cannot be sure of (another address, a nickname): Find duplicates' job.
    for row, nickname in zip(first_file[20:24], ("", "Kasia", "", "Tom"), strict=True):
        again = dict(row)
        again["first_name"] = nickname or row["first_name"]
        again["email"] = f"{row['first_name'].lower()}.{row['last_name'][:3].lower()}@gmail.com"
        again["linkedin_url"] = ""
        second_file.append(again)
    rng.shuffle(second_file)
    return [first_file, second_file]


def build_sample_book(path: Path | str, seed: int = 2025) -> SampleSummary:
    """Create the sample book at `path` (replacing an older sample there) and return its summary."""
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    merged = invalid = rows = 0
    with LeadBook.open(target) as book:
        book.default_region = "GB"
        book.save_audience(
            SAMPLE_AUDIENCE,
            Criteria(
                title_keywords=("marketing", "growth"),
                seniorities=("C-level", "VP", "Head", "Director"),
                countries=("GB", "IE"),
            ),
        )
        for n, (file_rows, list_name) in enumerate(
            zip(sample_rows(seed), SAMPLE_LISTS, strict=True)
        ):
            meta = ImportMeta(
                file_name=f"sample-{n + 1}.csv",
                format="csv",
                headers=HEADERS,
                mapping=dict(zip(HEADERS, FIELDS, strict=True)),
                source_label="Sample data",
                list_name=list_name,
                on_duplicate="merge",
            )
            report = book.import_records(_records(file_rows), meta)
            rows += report.rows
            merged += report.merged
            invalid += report.invalid
        contacts = book.count()
    return SampleSummary(target, contacts, rows, merged, invalid)


def _records(rows: list[dict[str, str]]) -> list[RawRecord]:
    out: list[RawRecord] = []
    for number, row in enumerate(rows, start=1):
        rec = RawRecord(row=number)
        for header, name in zip(HEADERS, FIELDS, strict=True):
            value = row[name]
            rec.raw[header] = value
            if value:
                rec.add(name, header, value)
        out.append(rec)
    return out
