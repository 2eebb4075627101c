"""The import framework: spreadsheets in, validated rows out, one transaction per import.

An importer declares its columns (Chinese header, English aliases, a parser per cell; see
``parsers`` for the usual ones) and implements cross-row checks and the commit. ``run_import``
reads the file, finds the header row, parses every cell, collects every error with row,
column and a Chinese reason, and commits all-or-nothing (or only the valid rows with
``commit_valid``). Apps offer importers in ``bangfu.<app>.importers.IMPORTERS``.
"""

from bangfu.core.imports.reader import FileError, read_table
from bangfu.core.imports.result import ImportResult, RowError
from bangfu.core.imports.spec import CellError, Column, CommitRefused, Importer, ParsedRow
from bangfu.core.imports.runner import run_import
from bangfu.core.imports.report import error_report_xlsx, template_xlsx
from bangfu.core.imports.discovery import discover_importers, get_importer

__all__ = [
    "CellError", "Column", "CommitRefused", "FileError", "ImportResult", "Importer", "ParsedRow", "RowError",
    "discover_importers", "error_report_xlsx", "get_importer", "read_table", "run_import",
    "template_xlsx",
]
