"""Write an export: stream contacts into CSV, XLSX, vCard or JSON files, atomically."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.contact import Contact
from app.errors import InvalidValue
from app.export.chunked import MAX_WARNINGS, ChunkRenderer, Tally
from app.export.compiled import can_stream
from app.export.leadsmith_csv import (
    LEADSMITH_NUMERIC_COLUMNS,
    leadsmith_csv_header,
    leadsmith_csv_raw_row,
    leadsmith_csv_row,
)
from app.export.parallel import RenderPool, render_parallel, worker_count
from app.export.preflight import (
    WARNING,
    RowProblem,
    check_cells,
    contact_problems,
    has_errors,
)
from app.export.presets import Preset, render_row
from app.export.sinks import Cell, Parts, remove_stale_parts
from app.export.source import BookContacts
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress

CHUNK = 1000  # progress and cancellation are checked once per chunk, not per row


@dataclass
class ExportResult:
    """What an export wrote: the files, the rows written, and the rows it skipped and why."""

    files: list[Path]
    rows: int
    skipped: list[RowProblem]
    warnings: list[RowProblem] = field(default_factory=list)
    warning_count: int = 0


def export_header(preset: Preset, extra_keys: Sequence[str] = ()) -> list[str]:
    """The header line an export of this preset starts with ([] for vCard and JSON)."""
    if preset.layout == "leadsmith":
        return leadsmith_csv_header(extra_keys)
    return preset.headers if preset.writer in ("csv", "xlsx") else []


def _record(
    preset: Preset, contact: Contact, extra_keys: Sequence[str]
) -> tuple[Sequence[Cell] | Contact, list[RowProblem]]:
    if preset.writer in ("vcard", "json"):
        return contact, contact_problems(preset, contact)
    if preset.layout == "leadsmith":
        if preset.writer == "xlsx":
            row = leadsmith_csv_raw_row(contact, extra_keys)
            header = leadsmith_csv_header(extra_keys)
            problems = _xlsx_problems(contact, header, row)
            return [_typed(h, v) for h, v in zip(header, row, strict=True)], problems
        return leadsmith_csv_row(contact, extra_keys, neutralize=preset.neutralize), []
    cells = render_row(preset, contact)
    problems = check_cells(preset, contact, cells)
    if preset.writer == "xlsx":
        texts = [c.text for c in cells]
        problems += _xlsx_problems(contact, preset.headers, texts)
        kinds = [c.kind for c in preset.columns]
        return [_typed_kind(k, t) for k, t in zip(kinds, texts, strict=True)], problems
    return [c.text for c in cells], problems


def _xlsx_problems(contact: Contact, header: Sequence[str], row: Sequence[str]) -> list[RowProblem]:
    """Control characters an XLSX cell cannot hold are dropped: say so, never silently."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return [
        RowProblem(
            contact.id,
            h,
            v,
            f"{h} holds control characters Excel cannot store; they were left out",
            WARNING,
        )
        for h, v in zip(header, row, strict=True)
        if ILLEGAL_CHARACTERS_RE.search(v)
    ]


def _typed(header: str, value: str) -> Cell:
    return _number(value) if header in LEADSMITH_NUMERIC_COLUMNS else value


def _typed_kind(kind: str, value: str) -> Cell:
    return _number(value) if kind in ("int", "number") else value


def _number(value: str) -> Cell:
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def is_leadsmith_csv(preset: Preset) -> bool:
    """True for the Leadsmith CSV layout (rendered from Contacts, in workers when big)."""
    return preset.writer == "csv" and preset.layout == "leadsmith"


def streams_apart(preset: Preset) -> bool:
    """True for the presets a big export renders in workers (CSV of columns, Leadsmith CSV)."""
    return can_stream(preset) or is_leadsmith_csv(preset)


def write_export(
    preset: Preset,
    contacts: Iterable[Contact],
    out: Path,
    *,
    skip_invalid: bool = True,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    total: int = 0,
    extra_keys: Sequence[str] = (),
    workers: int | None = None,
    pool: RenderPool | None = None,
) -> ExportResult:
    """Stream contacts into `out` (split beyond `max_rows`); on cancel or error no file is left.

    A big CSV export of a book (a preset of columns, or the Leadsmith layout) is rendered by two
    processes (`workers`: how many; None decides by size and cores, app/export/parallel.py); the
    bytes are the same either way. `pool`: workers started ahead (`early_pool`), stopped here
    when this export does not use them.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise InvalidValue(f"{out}: the folder {out.parent} does not exist.")
    # A killed earlier export to the same target left its hidden parts (personal data): sweep.
    remove_stale_parts(out)
    parts = Parts(preset, out, export_header(preset, extra_keys))
    result = ExportResult(files=[], rows=0, skipped=[])
    flat = isinstance(contacts, BookContacts) and can_stream(preset)
    # The Leadsmith CSV layout renders Contacts row by row: in workers when the export is big.
    count = worker_count(preset, contacts, workers) if isinstance(contacts, BookContacts) else 1
    apart = count > 1 and streams_apart(preset)
    if pool is not None and not (apart and pool.workers == count):
        pool.abort()
        pool = None
    job = _Job(preset, parts, result, skip_invalid, progress, cancelled, total, extra_keys)
    try:
        check_cancelled(cancelled)
        if apart:
            assert isinstance(contacts, BookContacts)
            done = _write_parallel(job, contacts, count, pool)
        elif flat:
            assert isinstance(contacts, BookContacts)
            done = _write_flat(job, contacts)
        else:
            done = _write_records(job, contacts)
        check_cancelled(cancelled)
        result.files = parts.commit()
    except BaseException:
        parts.discard()
        raise
    progress(done, total)
    return result


@dataclass
class _Job:
    """One export's preset, output, result so far and callbacks: what every way of writing it needs."""

    preset: Preset
    parts: Parts
    result: ExportResult
    skip_invalid: bool
    progress: Progress
    cancelled: Cancelled
    total: int
    extra_keys: Sequence[str]


def _write_flat(job: _Job, contacts: BookContacts) -> int:
    """The CSV presets' fast path: flat SQL rows rendered and written a chunk at a time."""
    renderer = ChunkRenderer(job.preset, skip_invalid=job.skip_invalid)
    tally = Tally()
    for pairs in renderer.query.chunks(contacts):
        lines, found = renderer.render(pairs)
        job.parts.write_lines(renderer.tally(pairs, lines, found, tally))
        check_cancelled(job.cancelled)
        job.parts.keep_alive()
        job.progress(tally.done, job.total)
    _set_tally(job.result, tally)
    return tally.done


def _write_parallel(
    job: _Job, contacts: BookContacts, workers: int, pool: RenderPool | None
) -> int:
    """The export in `workers` processes: each finished piece appended in order behind the header."""
    tally = render_parallel(
        job.preset,
        contacts,
        job.parts.out,
        workers,
        skip_invalid=job.skip_invalid,
        progress=job.progress,
        cancelled=job.cancelled,
        total=job.total,
        on_part=job.parts.append_part,
        keep_alive=job.parts.keep_alive,
        extra_keys=job.extra_keys,
        pool=pool,
    )
    _set_tally(job.result, tally)
    return tally.done


def _set_tally(result: ExportResult, tally: Tally) -> None:
    result.rows, result.skipped = tally.rows, tally.skipped
    result.warnings, result.warning_count = tally.warnings, tally.warning_count


def _write_records(job: _Job, contacts: Iterable[Contact]) -> int:
    """Every other preset: one record (row or Contact) at a time."""
    preset, parts, result, skip_invalid = job.preset, job.parts, job.result, job.skip_invalid
    done = 0
    for record, problems in (_record(preset, contact, job.extra_keys) for contact in contacts):
        if problems and skip_invalid and has_errors(problems):
            result.skipped += [p for p in problems if p.severity != WARNING]
        else:
            parts.write(record)
            result.rows += 1
        for problem in problems:
            if problem.severity == WARNING or not skip_invalid:
                result.warning_count += 1
                if len(result.warnings) < MAX_WARNINGS:
                    result.warnings.append(problem)
        done += 1
        if done % CHUNK == 0:
            check_cancelled(job.cancelled)
            parts.keep_alive()
            job.progress(done, job.total)
    return done
