"""Running an import: read, parse, check, then commit in one transaction (or not at all)."""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core import parameters
from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.imports.reader import FileError, Table, cell_text, header_text, read_table
from bangfu.core.imports.result import ImportResult, RowError
from bangfu.core.imports.spec import (
    ERR_REQUIRED, CellError, Column, CommitRefused, Importer, ParsedRow, normalise_header,
)

logger = logging.getLogger(__name__)

ERR_MISSING_COLUMNS = gettext_noop("缺少必填列：{columns}。请使用导入模板")
ERR_NO_KNOWN_COLUMNS = gettext_noop("未识别出任何列名：第一行应为表头（如 {examples}），请使用导入模板")
ERR_DUPLICATE_COLUMN = gettext_noop("列“{column}”出现了两次")
WARN_IGNORED_COLUMNS = gettext_noop("以下列无法识别，已忽略：{columns}")
HEADER_SEARCH_ROWS = 10  # a title or notes above the header row are skipped

Progress = Callable[[str, int, int], None]  # (stage, done, total)
STAGES = ("read", "parse", "check", "commit")


def map_headers(importer: Importer, headers: list[str]) -> dict[str, int]:
    """Column key -> position in the file; raises FileError for missing or doubled columns."""
    positions, _ignored = _map_headers(importer, headers)
    return positions


def _map_headers(importer: Importer, headers: list[str]) -> tuple[dict[str, int], list[str]]:
    names = {name: column for column in importer.columns for name in column.names()}
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        name = normalise_header(header)
        if not name:
            continue
        column = names.get(name)
        if column is None:
            ignored.append(str(header))
            continue
        if column.key in positions:
            raise FileError(_(ERR_DUPLICATE_COLUMN).format(column=header))
        positions[column.key] = position
    if not positions:
        examples = "、".join(c.header for c in importer.columns[:3])
        raise FileError(_(ERR_NO_KNOWN_COLUMNS).format(examples=examples))
    missing = [c.header for c in importer.columns if c.required and c.key not in positions]
    if missing:
        raise FileError(_(ERR_MISSING_COLUMNS).format(columns="、".join(missing)))
    return positions, ignored


def locate_header(importer: Importer, table: Table) -> tuple[Table, dict[str, int], list[str]]:
    """Find the header row: the first non-blank row, or one of the next few if a title is above it."""
    try:
        positions, ignored = _map_headers(importer, table.headers)
        return table, positions, ignored
    except FileError as first_error:
        for index, (number, raw) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
            try:
                positions, ignored = _map_headers(importer, [header_text(v) for v in raw])
            except FileError:
                continue
            rows = table.rows[index + 1:]
            if not rows:
                break
            located = Table(headers=[header_text(v) for v in raw], rows=rows, header_row=number,
                            preamble=table.rows[:index], source_format=table.source_format)
            return located, positions, ignored
        raise first_error


def _parse(importer: Importer, table: Table, positions: dict[str, int], progress: Progress | None
           ) -> tuple[list[ParsedRow], list[RowError]]:
    plan: list[tuple[Column, int | None, object]] = []
    for column in importer.columns:
        parse = column.parse
        # An absent optional column: every row gets the parser's empty value.
        plan.append((column, positions.get(column.key), parse))
    required_message = _(ERR_REQUIRED)
    parsed: list[ParsedRow] = []
    errors: list[RowError] = []
    total = len(table.rows)
    for index, (number, raw) in enumerate(table.rows, start=1):
        values = {}
        row_ok = True
        width = len(raw)
        for column, position, parse in plan:
            cell = raw[position] if position is not None and position < width else None
            try:
                text = cell_text(cell)
                if not text:
                    if column.required:
                        raise CellError(required_message)
                    values[column.key] = parse("") if parse else ""
                    continue
                values[column.key] = parse(text)
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


@contextmanager
def _timed(result: ImportResult, stage: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        result.timings[stage] = result.timings.get(stage, 0.0) + time.perf_counter() - started


def run_import(
    importer: Importer,
    source: str | Path | IO[bytes],
    *,
    actor: Actor,
    filename: str = "",
    dry_run: bool = False,
    commit_valid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a file. All-or-nothing unless ``commit_valid``; ``dry_run`` never writes.

    Raises FileError when the file as a whole cannot be used (nothing is written).
    The commit and its audit row share one transaction: a process killed in the middle
    leaves the database as it was.
    """
    bangfu = getattr(settings, "BANGFU", {})
    result = ImportResult(dry_run=dry_run, kind=importer.kind)
    started = time.perf_counter()
    if progress:
        progress("read", 0, 1)
    with _timed(result, "read"):
        table = read_table(
            source, filename=filename,
            max_rows=int(parameters.get("IMPORT_MAX_ROWS", 200_000)),  # 参数设置 first
            max_bytes=bangfu.get("IMPORT_MAX_BYTES", 40 * 1024 * 1024),
        )
        table, positions, ignored = locate_header(importer, table)
    if progress:
        progress("read", 1, 1)
    result.rows = len(table.rows)
    result.header_row = table.header_row
    if ignored:
        result.warnings.append(_(WARN_IGNORED_COLUMNS).format(columns="、".join(ignored)))

    with _timed(result, "parse"):
        parsed, errors = _parse(importer, table, positions, progress)
        absent = frozenset(c.key for c in importer.columns if c.key not in positions)
        if absent:  # importers may keep stored values for columns the file does not have
            for row in parsed:
                row.meta["absent_columns"] = absent
    with _timed(result, "check"):
        if progress:
            progress("check", 0, len(parsed))
        errors.extend(importer.check(parsed, actor=actor))
        if progress:
            progress("check", len(parsed), len(parsed))
    bad_rows = {e.row for e in errors}
    result.source_headers = table.headers
    result.rejected_raw = [(number, raw) for number, raw in table.rows if number in bad_rows]
    # The raw cells are no longer needed (100,000 rows of them are large), unless the commit may
    # still refuse rows whose raw cells then belong in the error report.
    raw_rows = table.rows if importer.commit_may_refuse else None
    del table
    valid = [row for row in parsed if row.number not in bad_rows]
    result.errors = sorted(errors, key=lambda e: (e.row, e.column))

    if dry_run:
        with _timed(result, "commit"):
            importer.preview(valid, actor=actor, result=result)
        result.timings["total"] = time.perf_counter() - started
        return result
    if errors and not commit_valid:
        logger.info("import %s refused: %d errors in %d rows", importer.kind, len(errors), len(bad_rows))
        result.timings["total"] = time.perf_counter() - started
        return result
    while True:
        result.created = result.updated = result.unchanged = 0
        try:
            with _timed(result, "commit"), transaction.atomic():
                importer.commit(valid, actor=actor, result=result, progress=progress)
                audit_record(
                    actor=actor,
                    action=f"import.{importer.kind}",
                    area_code=actor.area_code,
                    detail={
                        "file": Path(filename or str(getattr(source, "name", ""))).name,
                        "rows": result.rows, "created": result.created, "updated": result.updated,
                        "unchanged": result.unchanged, "rejected_rows": len(bad_rows),
                    },
                )
        except CommitRefused as refused:
            # Decided inside the transaction and rolled back with it: report these rows like the
            # checks' errors; with commit_valid, try again without them.
            refused_rows = {e.row for e in refused.errors} - bad_rows
            bad_rows |= refused_rows
            result.errors = sorted(result.errors + refused.errors, key=lambda e: (e.row, e.column))
            result.rejected_raw = sorted(result.rejected_raw + [
                (number, raw) for number, raw in (raw_rows or ()) if number in refused_rows])
            valid = [row for row in valid if row.number not in refused_rows]
            if commit_valid and valid and refused_rows:
                continue
            result.created = result.updated = result.unchanged = 0
            logger.info("import %s refused at commit: %d rows", importer.kind, len(refused.errors))
            result.timings["total"] = time.perf_counter() - started
            return result
        break
    result.committed = True
    result.timings["total"] = time.perf_counter() - started
    logger.info("import %s: %d rows, %d created, %d updated, %d unchanged, %d rejected in %.1fs",
                importer.kind, result.rows, result.created, result.updated, result.unchanged,
                len(bad_rows), result.timings["total"])
    return result
