"""Bad-input fuzzing of the readers and the import pipeline.

`python -m bench.fuzz_readers [--examples 2000] [--seed 1] [--keep DIR]`

Two parts. (1) Hand-made hostile files — random bytes, truncated files, wrong extensions, a 10 MB
cell, a 100k-column row, binaries named .csv, an .xlsx zip bomb, billion laughs in an xlsx
sharedStrings.xml, an empty file, a 2 GB sparse file — each run in its own child process with a
memory limit (2 GB) and a time limit, so a bomb that goes off is reported instead of taking the
harness down. (2) Hypothesis-generated files (random bytes and CSV-like text under random
extensions), in process. Every case goes through `open_table` + reading all rows +
`suggest_mapping`/`to_record`, and through `run_import` into a book. The verdict of each case is
`ok` (a clean import), `refused` (a typed LeadsmithError) or a failure: any other exception, a
changed book after a refusal, a crash, a timeout, or memory exhaustion.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 2 << 30
TIME_LIMIT = 120


def book_counts(conn: object) -> tuple[int, ...]:
    """What must not change when an import is refused."""
    q = conn.execute  # type: ignore[attr-defined]
    return tuple(
        int(q(f"SELECT count(*) FROM {t}").fetchone()[0])
        for t in ("contacts", "contact_points", "imports", "import_issues", "companies")
    )


def run_case(path: Path, book: object) -> dict[str, object]:
    """Read the file every way the app does and import it; returns {"verdict", "detail"}."""
    from app.errors import LeadsmithError
    from importers.mapping import suggest_mapping, to_record
    from importers.pipeline import ImportOptions, run_import
    from importers.source import open_table

    rows = 0
    try:
        source = open_table(path)
        try:
            mapping = suggest_mapping(source.headers, layout=source.layout)
            for number, values in source.rows():
                to_record(number, values, source.headers, mapping)
                rows += 1
        finally:
            source.close()
    except LeadsmithError as exc:
        read = f"refused: {exc.user_message()[:200]}"
    except Exception as exc:
        return {"verdict": "FAIL", "detail": f"reading: {type(exc).__name__}: {str(exc)[:300]}"}
    else:
        read = f"read {rows} rows"
    before = book_counts(book.conn)  # type: ignore[attr-defined]
    try:
        report = run_import(book, path, ImportOptions())  # type: ignore[arg-type]
    except LeadsmithError as exc:
        after = book_counts(book.conn)  # type: ignore[attr-defined]
        if after != before:
            return {
                "verdict": "FAIL",
                "detail": f"partial write after refusal: {before} -> {after}",
            }
        return {"verdict": "refused", "detail": f"{read}; import: {exc.user_message()[:200]}"}
    except Exception as exc:
        after = book_counts(book.conn)  # type: ignore[attr-defined]
        return {
            "verdict": "FAIL",
            "detail": f"import: {type(exc).__name__}: {str(exc)[:300]}"
            + ("" if after == before else f"; partial write {before} -> {after}"),
        }
    book.undo()  # type: ignore[attr-defined]  # keep the book small for the next case
    return {"verdict": "ok", "detail": f"{read}; imported {report.rows} rows, {report.added} added"}


# -- hand-made hostile files ---------------------------------------------------------------------
def _xlsx(sheet_xml: bytes, shared: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return buf.getvalue()


_SHEET = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    b'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>'
)
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
    b"<si><t>&lol9;</t></si></sst>"
)
_XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
    b"<si><t>&xxe;</t></si></sst>"
)


def _zip_bomb() -> bytes:
    """A valid-looking workbook whose sheet inflates to ~1 GB (a few MB on disk)."""
    base = _xlsx(_SHEET)
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
    ):
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item.filename, src.read(item))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(_SHEET[: _SHEET.index(b"<sheetData>") + 11])
            row = (
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
                + b"A" * (1 << 20)
                + b"</t></is></c></row>"
            )
            for _ in range(1024):
                fh.write(row)
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def hostile_files(folder: Path) -> list[Path]:
    """Write every hand-made case into `folder`; returns their paths."""
    rng = random.Random(7)
    good = "First Name,Last Name,Email\nAna,Lopez,ana@example.com\nLi,Wei,li@fine.org\n"
    cases: dict[str, bytes | Callable[[Path], None]] = {
        "empty.csv": b"",
        "only_bom.csv": b"\xef\xbb\xbf",
        "only_header.csv": b"First Name,Email\n",
        "random_bytes.csv": rng.randbytes(64 * 1024),
        "random_bytes.xlsx": rng.randbytes(4096),
        "random_bytes.vcf": rng.randbytes(4096),
        "random_bytes.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4096),
        "png_named.csv": b"\x89PNG\r\n\x1a\n" + rng.randbytes(2048),
        "elf_named.csv": b"\x7fELF\x02\x01\x01" + rng.randbytes(2048),
        "nul_text.csv": good.encode().replace(b",", b",\x00"),
        "truncated_quote.csv": b'First Name,Email\n"Ana,ana@example.com\nLi,li@fine.org\n',
        "truncated_utf8.csv": "First Name,Email\nZoë,z@b.io\n".encode()[:-9] + b"\xc3",
        "utf16_no_bom.csv": good.encode("utf-16-le"),
        "cr_only.csv": good.replace("\n", "\r").encode(),
        "csv_named.xlsx": good.encode(),
        "xlsx_named.csv": _xlsx(_SHEET, b'<sst xmlns="http://schemas.openxmlformats.org/'
                                b'spreadsheetml/2006/main"><si><t>Email</t></si></sst>'),
        "truncated.xlsx": _xlsx(_SHEET)[:300],
        "billion_laughs.xlsx": _xlsx(_SHEET, _LAUGHS),
        "xxe.xlsx": _xlsx(_SHEET, _XXE),
        "zip_bomb.xlsx": _zip_bomb(),
        "vcard_truncated.vcf": b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEMAIL:ana@exa",
        "huge_cell.csv": b"First Name,Notes,Email\nAna," + b"x" * (10 << 20) + b",a@b.co\n",
        "wide_row.csv": (",".join(f"c{i}" for i in range(100_000)) + "\n"
                         + ",".join("v" for _ in range(100_000)) + "\n").encode(),
        "many_empty_lines.csv": b"Email\n" + b"\n" * 1_000_000 + b"a@b.co\n",
    }  # fmt: skip

    def sparse(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.truncate(2 << 30)

    def sparse_with_header(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.write(good.encode())
            fh.truncate(2 << 30)

    cases["sparse_2gb.csv"] = sparse
    cases["sparse_2gb_with_header.csv"] = sparse_with_header
    paths = []
    for name, content in cases.items():
        p = folder / name
        if callable(content):
            content(p)
        else:
            p.write_bytes(content)
        paths.append(p)
    return paths


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_isolated(path: Path, workdir: Path) -> dict[str, object]:
    """Run one case in a child process with memory and time limits."""
    db = workdir / f"book_{path.stem}.db"
    cmd = [sys.executable, "-m", "bench.fuzz_readers", "one", str(path), "--db", str(db)]
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, timeout=TIME_LIMIT, preexec_fn=_limit_memory,
            check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"verdict": "FAIL", "detail": f"no answer after {TIME_LIMIT} s"}
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
        return {"verdict": "FAIL", "detail": f"child exit {proc.returncode}: {tail[0][:300]}"}
    return dict(json.loads(proc.stdout.decode().strip().splitlines()[-1]))


def one(path: Path, db: Path) -> int:
    """Child side: run one case on a fresh book and print the verdict as JSON."""
    from app.book import LeadBook

    with LeadBook.open(db) as book:
        book.default_region = "GB"
        print(json.dumps(run_case(path, book)))
    return 0


# -- hypothesis ----------------------------------------------------------------------------------
EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".vcf", ".ods", "")


def fuzz_generated(workdir: Path, examples: int, seed: int) -> tuple[int, list[str]]:
    """Hypothesis over random bytes and CSV-like text under random extensions; (ran, failures)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hseed
    from hypothesis import strategies as st

    from app.book import LeadBook

    ran = 0
    failures: list[str] = []
    book = LeadBook.open(workdir / "generated.db")
    book.default_region = "GB"
    cells = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
    csv_text = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in rows)
    )
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
    content = st.one_of(
        st.binary(max_size=2048),
        st.tuples(csv_text, encodings).map(lambda t: t[0].encode(t[1], errors="replace")),
        st.tuples(st.just(b"First Name,Last Name,Email\n"), st.binary(max_size=512)).map(
            lambda t: t[0] + t[1]
        ),
    )

    @hseed(seed)
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(data=content, ext=st.sampled_from(EXTENSIONS))
    def check(data: bytes, ext: str) -> None:
        nonlocal ran
        ran += 1
        path = workdir / f"gen{ext}"
        path.write_bytes(data)
        verdict = run_case(path, book)
        if verdict["verdict"] == "FAIL" and len(failures) < 50:
            failures.append(f"{ext or '(none)'} {data[:80]!r}: {verdict['detail']}")

    try:
        check()
    finally:
        book.close()
    return ran, failures


def main(argv: Sequence[str] | None = None) -> int:
    """Run both parts and print what broke."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "one":
        p = argparse.ArgumentParser(prog="fuzz_readers one")
        p.add_argument("path", type=Path)
        p.add_argument("--db", type=Path, required=True)
        o = p.parse_args(args[1:])
        return one(o.path, o.db)
    p = argparse.ArgumentParser(prog="python -m bench.fuzz_readers", description=__doc__)
    p.add_argument("--examples", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, help="work in this folder and keep it")
    opts = p.parse_args(args)
    workdir = opts.keep or Path(tempfile.mkdtemp(prefix="leadsmith-fuzz-"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = workdir / "cases"
    files.mkdir(exist_ok=True)
    broken = 0
    print(f"{'case':30} {'verdict':8} detail")
    hostile = hostile_files(files)
    for path in hostile:
        verdict = run_isolated(path, workdir)
        broken += verdict["verdict"] == "FAIL"
        print(f"{path.name:30} {verdict['verdict']!s:8} {verdict['detail']}", flush=True)
        if path.stat().st_size > (100 << 20):
            path.unlink()  # the sparse files: do not leave 2 GB behind
    ran, failures = fuzz_generated(workdir, opts.examples, opts.seed)
    print(f"\ngenerated cases: {ran} ran, {len(failures)} failures")
    for f in failures:
        print(f"  {f}")
    total = len(hostile) + ran
    print(f"\ncases run: {total}; broken: {broken + len(failures)}")
    if not opts.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if broken or failures else 0


if __name__ == "__main__":
    sys.exit(main())
