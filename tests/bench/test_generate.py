"""The benchmark's contact generator: deterministic, realistic, with a truthful truth file."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from itertools import islice
from pathlib import Path

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email

from bench.generate import (
    CORRUPTION_KEY,
    CORRUPTIONS,
    ENTITY_KEY,
    HEADER,
    HOMONYM,
    ORIGINAL,
    generate,
    main,
    write_files,
)
from bench.generate_data import COUNTRY_BY_SPELLING, NICKNAMES
from bench.import_bench import (
    Accuracy,
    bench_file,
    dedupe_accuracy,
    format_table,
    import_counts,
    measure,
)

Row = dict[str, str]
EXPECTED_HEADER = (
    "First Name,Last Name,Email,Phone,Mobile,Company,Job Title,Website,LinkedIn,City,Country,"
    "Lead Source"
)


def _read(path: Path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _region(row: Row) -> str | None:
    return COUNTRY_BY_SPELLING.get(row["Country"].casefold())


def _e164(text: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    paths = {name: tmp_path / name for name in ("a.csv", "a.t", "b.csv", "b.t", "c.csv", "c.t")}
    write_files(paths["a.csv"], 800, 7, 0.2, paths["a.t"])
    write_files(paths["b.csv"], 800, 7, 0.2, paths["b.t"])
    write_files(paths["c.csv"], 800, 8, 0.2, paths["c.t"])
    assert paths["a.csv"].read_bytes() == paths["b.csv"].read_bytes()
    assert paths["a.t"].read_bytes() == paths["b.t"].read_bytes()
    assert paths["a.csv"].read_bytes() != paths["c.csv"].read_bytes()


def test_header_is_exact_and_rows_are_crlf_utf8(tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    assert write_files(out, 50, 1, 0.1) == 50
    raw = out.read_bytes()
    assert raw.split(b"\r\n")[0].decode("utf-8") == EXPECTED_HEADER
    assert ",".join(HEADER) == EXPECTED_HEADER
    assert raw.count(b"\r\n") >= 51


def test_truth_file_has_one_line_per_data_row_matching_generate(tmp_path: Path) -> None:
    out, truth = tmp_path / "c.csv", tmp_path / "t.csv"
    main(
        [
            "--rows",
            "600",
            "--seed",
            "3",
            "--dup-rate",
            "0.15",
            "--out",
            str(out),
            "--truth",
            str(truth),
        ]
    )
    data, facts = _read(out), _read(truth)
    assert len(data) == len(facts) == 600
    assert [int(f["row"]) for f in facts] == list(range(1, 601))
    streamed = list(generate(600, 3, 0.15))
    assert [f["entity_id"] for f in facts] == [r[ENTITY_KEY] for r in streamed]
    assert [f["corruption"] for f in facts] == [r[CORRUPTION_KEY] for r in streamed]
    assert [[r[h] for h in HEADER] for r in streamed] == [[d[h] for h in HEADER] for d in data]
    assert {f["corruption"] for f in facts} <= {ORIGINAL, HOMONYM, *CORRUPTIONS}


def test_generate_streams_without_building_every_row() -> None:
    rows = generate(10**12, 5, 0.1)  # would never finish if it built a list
    first = list(islice(rows, 3))
    assert [r[CORRUPTION_KEY] for r in first] == [ORIGINAL, ORIGINAL, ORIGINAL]
    assert [r[ENTITY_KEY] for r in first] == ["1", "2", "3"]


@pytest.mark.parametrize("dup_rate", [0.0, 0.1, 0.3])
def test_duplicates_appear_at_about_dup_rate_and_copy_earlier_entities(dup_rate: float) -> None:
    rows = list(generate(4000, 11, dup_rate))
    seen: set[str] = set()
    duplicates = 0
    for row in rows:
        if row[CORRUPTION_KEY] in CORRUPTIONS:
            duplicates += 1
            assert row[ENTITY_KEY] in seen
        else:
            assert row[ENTITY_KEY] not in seen
        seen.add(row[ENTITY_KEY])
    assert abs(duplicates / len(rows) - dup_rate) < 0.025
    if dup_rate >= 0.3:
        assert {r[CORRUPTION_KEY] for r in rows} == {ORIGINAL, HOMONYM, *CORRUPTIONS}


def test_homonyms_share_a_name_but_not_an_entity_email_or_company() -> None:
    rows = list(generate(5000, 4, 0.1, homonym_rate=0.03))
    by_name: dict[tuple[str, str], list[Row]] = {}
    homonyms = 0
    for row in rows:
        key = (row["First Name"].split()[-1].casefold(), row["Last Name"].casefold())
        if row[CORRUPTION_KEY] == HOMONYM:
            homonyms += 1
            namesakes = [r for r in by_name.get(key, []) if r[CORRUPTION_KEY] == ORIGINAL]
            assert namesakes, row
            assert all(r[ENTITY_KEY] != row[ENTITY_KEY] for r in namesakes)
            assert any(r["Company"] != row["Company"] for r in namesakes)
            if row["Email"] and "@" in row["Email"]:
                assert all(r["Email"].casefold() != row["Email"].casefold() for r in namesakes)
        by_name.setdefault(key, []).append(row)
    assert 100 < homonyms < 200


def _orig(kind: str) -> list[tuple[Row, Row]]:
    rows = list(generate(3000, 21, 0.4))
    first: dict[str, Row] = {}
    pairs = []
    for row in rows:
        if row[CORRUPTION_KEY] == kind:
            pairs.append((first[row[ENTITY_KEY]], row))
        first.setdefault(row[ENTITY_KEY], row)
    return pairs


def _digits_same(a: Row, b: Row) -> bool:
    return all(
        _e164(a[c], _region(a)) == _e164(b[c], _region(b)) and a[c] != b[c]
        for c in ("Phone", "Mobile")
        if a[c] and _e164(a[c], _region(a))
    )


CORRUPTION_CHECKS: list[tuple[str, Callable[[Row, Row], bool]]] = [
    ("exact", lambda a, b: a == b | {CORRUPTION_KEY: a[CORRUPTION_KEY]}),
    ("email_case", lambda a, b: a["Email"].lower() == b["Email"].lower() != b["Email"]),
    ("missing_email", lambda a, b: a["Email"] != "" and b["Email"] == ""),
    ("missing_phone", lambda a, b: b["Phone"] == b["Mobile"] == "" != a["Phone"] + a["Mobile"]),
    (
        "whitespace",
        lambda a, b: (
            all(" ".join(a[h].split()) == " ".join(b[h].split()) for h in HEADER) and a != b
        ),
    ),
    ("swapped_names", lambda a, b: b["First Name"].casefold() == a["Last Name"].casefold()),
    (
        "initial",
        lambda a, b: (
            b["First Name"].rstrip(".").casefold() == a["First Name"].split()[-1][0].casefold()
        ),
    ),
    ("accent_stripped", lambda a, b: (b["First Name"] + b["Last Name"]).isascii()),
    ("typo", lambda a, b: (a["First Name"], a["Last Name"]) != (b["First Name"], b["Last Name"])),
    ("title_change", lambda a, b: a["Job Title"] != b["Job Title"] and a["Email"] == b["Email"]),
    ("company_variant", lambda a, b: a["Company"] != b["Company"] and a["Email"] == b["Email"]),
    ("phone_format", _digits_same),
]


@pytest.mark.parametrize(
    ("kind", "holds"), CORRUPTION_CHECKS, ids=[k for k, _ in CORRUPTION_CHECKS]
)
def test_each_corruption_changes_only_what_it_says(
    kind: str, holds: Callable[[Row, Row], bool]
) -> None:
    pairs = _orig(kind)
    assert len(pairs) > 20
    for original, duplicate in pairs:
        assert holds(original, duplicate), (original, duplicate)


def test_nicknames_are_the_short_form_of_the_first_rows_name() -> None:
    formal = {name.casefold(): short for name, short in NICKNAMES.items()}
    pairs = _orig("nickname")
    assert len(pairs) > 5
    for original, duplicate in pairs:
        assert duplicate["First Name"] in formal[original["First Name"].split()[-1].casefold()]
        assert duplicate["Last Name"] == original["Last Name"]


def test_clean_rows_phones_validate_in_their_country_and_cover_every_locale() -> None:
    rows = [r for r in generate(3000, 2, 0.1) if r[CORRUPTION_KEY] == ORIGINAL]
    valid = total = 0
    countries = set()
    for row in rows:
        for column in ("Phone", "Mobile"):
            if row[column]:
                total += 1
                valid += _e164(row[column], _region(row)) is not None
        countries.add(_region(row))
    assert valid / total >= 0.95
    assert valid < total  # a few junk and damaged numbers are part of realistic input
    assert countries >= {"US", "GB", "DE", "FR", "ES", "NL", "AU"}


def test_clean_rows_emails_parse_except_the_deliberately_broken_few() -> None:
    rows = [r for r in generate(3000, 6, 0.1) if r[CORRUPTION_KEY] == ORIGINAL and r["Email"]]
    failures = []
    for row in rows:
        try:
            validate_email(row["Email"], check_deliverability=False)
        except EmailNotValidError:
            failures.append(row["Email"])
    assert len(failures) / len(rows) <= 0.05
    assert failures
    assert any(e.endswith("@") or "@@" in e for e in failures)


def test_names_carry_real_unicode() -> None:
    names = {r["First Name"] for r in generate(3000, 9, 0.0)} | {
        r["Last Name"] for r in generate(3000, 9, 0.0)
    }
    assert {"Müller", "Gómez", "Łukasz", "Zoë", "Søren"} <= names


def test_measure_reports_each_childs_own_peak_memory(tmp_path: Path) -> None:
    big = measure(
        [sys.executable, "-c", "x = bytearray(120_000_000); x[::4096] = b'1' * len(x[::4096])"],
        tmp_path,
    )
    small = measure([sys.executable, "-c", "print('hi')"], tmp_path)
    assert big.returncode == small.returncode == 0
    assert small.stdout == "hi\n"
    assert big.peak_rss_mb > 115
    assert small.peak_rss_mb < 60


def test_import_counts_reads_one_report_or_a_list() -> None:
    one = '{"import_id": 1, "rows": 5, "added": 4, "merged": 1, "skipped": 0, "invalid": 2, "issues": []}'
    assert import_counts(one) == {"rows": 5, "added": 4, "merged": 1, "skipped": 0, "invalid": 2}
    assert import_counts(f"[{one}, {one}]")["merged"] == 2


def test_dedupe_accuracy_counts_row_pairs_against_the_truth(tmp_path: Path) -> None:
    truth = tmp_path / "t.csv"
    truth.write_text(
        "row,entity_id,corruption\r\n1,1,original\r\n2,2,original\r\n3,1,typo\r\n"
        "4,1,exact\r\n5,3,homonym\r\n",
        encoding="utf-8",
    )

    def contact(*rows: int) -> dict[str, list[dict[str, int]]]:
        return {"sources": [{"import_id": 1, "row": r} for r in rows]}

    # Person 1 (rows 1, 3, 4) was split in two; the homonym (row 5) was merged into person 2.
    found = dedupe_accuracy([contact(1, 3), contact(4), contact(2, 5)], truth)
    assert found == Accuracy(precision=0.5, recall=1 / 3, mixed_contacts=1)


def test_import_bench_runs_the_real_cli_on_a_generated_file(tmp_path: Path) -> None:
    data, truth = tmp_path / "c.csv", tmp_path / "t.csv"
    write_files(data, 120, 1, 0.1, truth)
    cli = Path(__file__).resolve().parents[2] / "main.py"
    result = bench_file(data, 120, 1, cli, truth)
    assert result.error == ""
    assert result.counts["rows"] == 120
    assert result.counts["added"] + result.counts["merged"] + result.counts["skipped"] == 120
    assert result.accuracy is not None
    assert 0.5 < result.accuracy.recall <= 1.0
    table = format_table([result])
    assert table.splitlines()[0].startswith("| rows | median time s | rows/s | peak RSS MB |")
    assert table.splitlines()[0].endswith("| pair precision | pair recall | mixed contacts |")
    assert table.splitlines()[2].startswith("| 120 | ")
