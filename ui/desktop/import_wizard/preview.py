"""What the wizard reads before importing: the first rows of a file as parsed, and pasted text
turned into a file the import pipeline can read. Plain Python, no widgets."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from app.book import LeadBook
from app.contact import Issue
from importers.layouts import layout_by_name
from importers.mapping import ColumnMapping, header_signature, mapping_from_json, suggest_mapping
from importers.paste import PastedSource, open_pasted
from importers.pipeline import ImportOptions, open_source

PREVIEW_ROWS = 50
PASTE_FILE_NAME = "Pasted rows.tsv"


@dataclass
class Preview:
    """The first rows of a table as the importer reads them, and what it detected."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (data row number, cells)
    format: str
    encoding: str
    delimiter: str
    layout: str
    header_row: int | None  # 0-based record index of the header; None when unknown
    sheet: str = ""
    sheet_names: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    mapping: list[ColumnMapping] | None = None  # pasted rows guess theirs from the values

    @property
    def layout_text(self) -> str:
        """ "Recognized: LinkedIn Connections.csv", or "" for an unknown layout."""
        known = layout_by_name(self.layout) if self.layout else None
        return f"Recognized: {known.label}" if known is not None else ""

    def samples(self, column: int, count: int = 3) -> list[str]:
        """The first `count` non-empty values of a column."""
        values = [cells[column].strip() for _n, cells in self.rows if column < len(cells)]
        return [v for v in values if v][:count]


def read_preview(path: Path, options: ImportOptions, limit: int = PREVIEW_ROWS) -> Preview:
    """Open a file with the user's overrides and read its first `limit` rows (raises InvalidFile)."""
    source = open_source(path, options)
    try:
        rows: list[tuple[int, list[str]]] = []
        for number, cells in source.rows():
            rows.append((number, list(cells)))
            if len(rows) >= limit:
                break
        sniffed = getattr(source, "sniffed", None)
        header_row = sniffed.header_row if sniffed is not None else options.header_row
        if header_row is None:
            header_row = getattr(source, "_header_index", None)  # workbooks detect it themselves
        return Preview(
            headers=list(source.headers),
            rows=rows,
            format=source.format,
            encoding=source.encoding,
            delimiter=source.delimiter,
            layout=source.layout,
            header_row=header_row,
            sheet=str(getattr(source, "sheet", "") or ""),
            sheet_names=list(getattr(source, "sheet_names", []) or []),
            issues=list(getattr(source, "issues", []) or []),
        )
    finally:
        source.close()


def write_pasted(text: str, folder: Path, has_header: bool | None = None) -> tuple[Path, Preview]:
    """Pasted rows as a UTF-8 TSV file in `folder` (with a header row) and their preview."""
    source: PastedSource = open_pasted(text, has_header)
    path = folder / PASTE_FILE_NAME
    rows = list(source.rows())
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(source.headers)
        writer.writerows(cells for _n, cells in rows)
    preview = Preview(
        headers=list(source.headers),
        rows=rows[:PREVIEW_ROWS],
        format="paste",
        encoding="utf-8",
        delimiter="\t",
        layout=source.layout,
        header_row=0 if source.has_header else None,
        mapping=list(source.mapping),
    )
    return path, preview


def pasted_options() -> ImportOptions:
    """How to read the file write_pasted wrote: nothing left for the sniffer to guess."""
    return ImportOptions(encoding="utf-8", delimiter="\t", header_row=0)


def initial_mapping(book: LeadBook, preview: Preview) -> list[ColumnMapping]:
    """The mapping remembered for these headers, else the one guessed from headers and samples."""
    saved = book.setting(f"mapping:{header_signature(preview.headers)}")
    if saved:
        try:
            return mapping_from_json(preview.headers, json.loads(saved))
        except ValueError:
            pass  # a saved mapping that no longer fits: guess afresh rather than fail
    if preview.mapping is not None:
        return preview.mapping
    samples = [cells for _n, cells in preview.rows]
    return suggest_mapping(preview.headers, samples, layout=preview.layout)
