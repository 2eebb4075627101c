"""The import framework: spreadsheets in, validated rows out, one transaction per import.

An importer declares its columns (Chinese header, English aliases, a parser per cell) and
implements cross-row checks and the commit. ``run_import`` reads the file, maps headers,
parses every cell, collects every error with row, column and a Chinese reason, and commits
all-or-nothing (or only the valid rows with ``commit_valid``).
"""

from bangfu.core.imports.reader import FileError, read_table
from bangfu.core.imports.result import ImportResult, RowError
from bangfu.core.imports.spec import CellError, Column, Importer
from bangfu.core.imports.runner import run_import

__all__ = [
    "CellError", "Column", "FileError", "ImportResult", "Importer", "RowError", "read_table",
    "run_import",
]
