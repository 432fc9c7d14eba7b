"""The import pipeline: open a file, sniff it, map its columns, and feed the book chunk by chunk."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from app.book import LeadBook
from app.contact import ImportReport
from app.errors import InvalidFile
from app.ingest import ImportMeta
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from importers import roundtrip
from importers.csv_reader import TableSource, open_table
from importers.mapping import (
    ColumnMapping,
    header_signature,
    mapping_from_json,
    suggest_mapping,
)
from importers.parallel import CleaningPool, Rows, clean_rows, worker_count

CHUNK_ROWS = 2000
# Below this size the workers' start-up (about a second) costs more than it saves.
PARALLEL_MIN_BYTES = 3 << 20


@dataclass
class ImportOptions:
    """Choices a user makes for one import (CLI flags, wizard pages)."""

    list_name: str = ""
    source_label: str = ""
    legal_basis: str = ""
    on_duplicate: str = "merge"
    region: str = ""
    mapping: dict[str, str | None] | None = None  # column header -> canonical field (None: extra)
    dry_run: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    sheet: str | None = None
    remember_mapping: bool = True
    workers: int | None = None  # cleaning processes (0: this one); None: from file size, cores


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_source(path: Path, options: ImportOptions) -> TableSource:
    """Open a file as a table with the user's overrides (encoding, delimiter, header row, sheet)."""
    overrides: dict[str, object] = {}
    if options.encoding:
        overrides["encoding"] = options.encoding
    if options.delimiter:
        overrides["delimiter"] = options.delimiter
    if options.header_row is not None:
        overrides["header_row"] = options.header_row
    if options.sheet:
        overrides["sheet"] = options.sheet
    return open_table(path, **overrides)


def resolve_mapping(
    book: LeadBook, source: TableSource, options: ImportOptions
) -> list[ColumnMapping]:
    """The user's mapping if given, else the one saved for this header, else a suggestion."""
    headers = source.headers
    if options.mapping is not None:
        return mapping_from_json(headers, dict(options.mapping))
    saved = book.setting(f"mapping:{header_signature(headers)}")
    if saved:
        return mapping_from_json(headers, json.loads(saved))
    return suggest_mapping(headers, layout=source.layout)


def remember_mapping(book: LeadBook, headers: list[str], mapping: list[ColumnMapping]) -> None:
    """Save a mapping against the file's header signature so the next such file maps itself."""
    doc = {m.column: m.field for m in mapping}
    book.set_setting(f"mapping:{header_signature(headers)}", json.dumps(doc, ensure_ascii=False))


def run_import(
    book: LeadBook,
    path: Path | str,
    options: ImportOptions | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ImportReport:
    """Import one file into the book, atomically. Raises InvalidFile, JobCancelled, ImportFailed.

    If the cleaning workers die (killed, out of memory), the import has rolled back; it is run
    again in this process rather than failing the user's import.
    """
    try:
        return _run_import(book, path, options, progress, cancelled)
    except BrokenProcessPool:
        single = replace(options or ImportOptions(), workers=0)
        return _run_import(book, path, single, progress, cancelled)


def _run_import(
    book: LeadBook,
    path: Path | str,
    options: ImportOptions | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
) -> ImportReport:
    options = options or ImportOptions()
    path = Path(path)
    if not path.exists():
        raise InvalidFile(str(path), "no such file")
    if path.is_dir():
        raise InvalidFile(str(path), "is a folder, not a file")
    source = open_source(path, options)
    try:
        mapping = resolve_mapping(book, source, options)
        meta = ImportMeta(
            file_name=path.name,
            file_path=str(path.resolve()),
            file_hash=file_sha256(path),
            file_size=path.stat().st_size,
            format=source.format,
            encoding=source.encoding,
            delimiter=source.delimiter,
            layout=source.layout,
            headers=list(source.headers),
            mapping={m.column: m.field or "" for m in mapping},
            source_label=options.source_label,
            legal_basis=options.legal_basis,
            list_name=options.list_name,
            on_duplicate=options.on_duplicate,
            dry_run=options.dry_run,
            region=options.region.upper(),
        )
        session = book.begin_import(meta)
        # Leadsmith's own export is read back losslessly (importers/roundtrip.py), in-process.
        own_export = source.layout == roundtrip.LAYOUT
        clean = roundtrip.clean_rows if own_export else clean_rows
        linker = roundtrip.ListLinker(session) if own_export else None
        workers = options.workers
        if workers is None:
            cores = worker_count()
            workers = cores if meta.file_size >= PARALLEL_MIN_BYTES and cores > 1 else 0
        pool = (
            CleaningPool(source.headers, mapping, session.region, workers, raw_as_json=True)
            if workers >= 1 and not own_export
            else None
        )
        try:
            if pool is not None:
                cleaned_chunks = pool.map_chunks(_raw_chunks(source, cancelled))
            else:
                cleaned_chunks = (
                    clean(rows, source.headers, mapping, session.region)
                    for rows in _raw_chunks(source, cancelled)
                )
            for cleaned in cleaned_chunks:
                check_cancelled(cancelled)
                session.add_cleaned(cleaned)
                if linker is not None:
                    linker.add(cleaned)
                done, total = source.progress()
                progress(done, total)
            # Rows the reader set aside (a "Total: 9 prospects" footer) are reported, never dropped.
            for row_number, reason in getattr(source, "skipped_rows", []):
                session.skip_row(row_number, reason)
            for issue in getattr(source, "issues", []):
                session.note_issue(issue)
            report = session.finish()
        except BaseException:
            session.abort()
            raise
        finally:
            if pool is not None:
                pool.close()
    finally:
        source.close()
    report.format, report.encoding, report.delimiter = (
        source.format,
        source.encoding,
        source.delimiter,
    )
    report.mapping = {m.column: m.field or "" for m in mapping}
    if options.remember_mapping and options.mapping is not None and not options.dry_run:
        remember_mapping(book, source.headers, mapping)
    return report


def _raw_chunks(source: TableSource, cancelled: Cancelled) -> Iterator[Rows]:
    batch: Rows = []
    for row in source.rows():
        batch.append(row)
        if len(batch) >= CHUNK_ROWS:
            yield batch
            batch = []
            check_cancelled(cancelled)
    if batch:
        yield batch
