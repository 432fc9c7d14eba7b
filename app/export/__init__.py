"""Exports: writers (CSV, XLSX, vCard, JSON) and CRM presets loaded from resources/crm/."""

from __future__ import annotations

from app.export.leadsmith_csv import (
    LEADSMITH_CSV_COLUMNS,
    contact_document,
    leadsmith_csv_header,
    leadsmith_csv_row,
)
from app.export.preflight import RowProblem, preflight
from app.export.presets import Preset, PresetColumn, load_presets, row_values
from app.export.safety import is_clean_e164, neutralize_cell
from app.export.sinks import part_path
from app.export.writers import ExportResult, export_header, write_export

__all__ = [
    "LEADSMITH_CSV_COLUMNS",
    "ExportResult",
    "Preset",
    "PresetColumn",
    "RowProblem",
    "contact_document",
    "export_header",
    "is_clean_e164",
    "leadsmith_csv_header",
    "leadsmith_csv_row",
    "load_presets",
    "neutralize_cell",
    "part_path",
    "preflight",
    "row_values",
    "write_export",
]
