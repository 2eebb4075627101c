"""Running an import: parse, check, then commit in one transaction (or not at all)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Callable

from django.conf import settings
from django.db import transaction

from bangfu.core.audit import audit_record
from bangfu.core.imports.reader import FileError, Table, cell_text, read_table
from bangfu.core.imports.result import ImportResult, RowError
from bangfu.core.imports.spec import ERR_REQUIRED, CellError, Importer, ParsedRow, normalise_header

logger = logging.getLogger(__name__)

ERR_MISSING_COLUMNS = "缺少必填列：{columns}。请使用导入模板"
ERR_DUPLICATE_COLUMN = "列“{column}”出现了两次"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def map_headers(importer: Importer, headers: list[str]) -> dict[str, int]:
    """Column key -> position in the file; raises FileError for missing or doubled columns."""
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        name = normalise_header(header)
        if not name:
            continue
        for column in importer.columns:
            if name in column.names():
                if column.key in positions:
                    raise FileError(ERR_DUPLICATE_COLUMN.format(column=header))
                positions[column.key] = position
                break
    missing = [c.header for c in importer.columns if c.required and c.key not in positions]
    if missing:
        raise FileError(ERR_MISSING_COLUMNS.format(columns="、".join(missing)))
    return positions


def parse_rows(importer: Importer, table: Table, progress: Progress | None = None
               ) -> tuple[list[ParsedRow], list[RowError]]:
    positions = map_headers(importer, table.headers)
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    total = len(table.rows)
    for index, (number, raw) in enumerate(table.rows, start=1):
        values = {}
        row_ok = True
        for column in importer.columns:
            position = positions.get(column.key)
            cell = raw[position] if position is not None and position < len(raw) else None
            try:
                text = cell_text(cell)
                if not text:
                    if column.required:
                        raise CellError(ERR_REQUIRED)
                    values[column.key] = column.parse("") if column.parse else ""
                    continue
                values[column.key] = column.parse(text)
            except CellError as exc:
                errors.append(RowError(row=number, column=column.header, message=str(exc)))
                row_ok = False
        if row_ok:
            parsed.append(ParsedRow(number=number, values=values))
        if progress and index % 5000 == 0:
            progress("parse", index, total)
    if progress:
        progress("parse", total, total)
    return parsed, errors


def run_import(
    importer: Importer,
    source: str | Path | IO[bytes],
    *,
    actor,
    filename: str = "",
    dry_run: bool = False,
    commit_valid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a file. All-or-nothing unless ``commit_valid``; ``dry_run`` never writes.

    Raises FileError when the file as a whole cannot be used (nothing is written).
    """
    bangfu = getattr(settings, "BANGFU", {})
    table = read_table(
        source, filename=filename,
        max_rows=bangfu.get("IMPORT_MAX_ROWS", 200_000),
        max_bytes=bangfu.get("IMPORT_MAX_BYTES", 40 * 1024 * 1024),
    )
    result = ImportResult(rows=len(table.rows), dry_run=dry_run)
    parsed, errors = parse_rows(importer, table, progress)
    errors.extend(importer.check(parsed, actor=actor))
    bad_rows = {e.row for e in errors}
    valid = [row for row in parsed if row.number not in bad_rows]
    result.errors = sorted(errors, key=lambda e: (e.row, e.column))

    if dry_run:
        importer.preview(valid, actor=actor, result=result)
        return result
    if errors and not commit_valid:
        logger.info("import %s refused: %d errors in %d rows", importer.kind, len(errors), len(bad_rows))
        return result
    with transaction.atomic():
        importer.commit(valid, actor=actor, result=result, progress=progress)
        audit_record(
            actor=actor,
            action=f"import.{importer.kind}",
            area_code=getattr(actor, "area_code", "") or "",
            detail={
                "file": Path(filename or str(getattr(source, "name", ""))).name,
                "rows": result.rows, "created": result.created, "updated": result.updated,
                "unchanged": result.unchanged, "rejected_rows": len(bad_rows),
            },
        )
    result.committed = True
    return result
