"""Declaring an importer: its columns and what it does with valid rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from bangfu.core.imports.result import ImportResult, RowError

ERR_REQUIRED = "必填项不能为空"
ERR_FORMULA = "单元格含有公式，请复制后“粘贴为数值”再导入"


class CellError(ValueError):
    """Raised by a column parser with a Chinese reason."""


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header in the template
    aliases: tuple[str, ...] = ()  # English or older headers also accepted
    required: bool = False
    parse: Callable[[Any], Any] = _identity  # raw cell (str, stripped) -> value; raises CellError
    help: str = ""  # shown in the template's second sheet
    example: str = ""

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.key, *self.aliases)}


def normalise_header(name: Any) -> str:
    text = str(name or "").strip().lower()
    for ch in (" ", "\u3000", "_", "-", "*", "（", "）", "(", ")", "\n"):
        text = text.replace(ch, "")
    return text


@dataclass
class ParsedRow:
    """A row whose cells all parsed: ``number`` is its spreadsheet row number."""

    number: int
    values: dict[str, Any]


class Importer:
    """Subclass and set ``kind``, ``title``, ``columns``; implement ``check`` and ``commit``."""

    kind: str = ""
    title: str = ""
    columns: Sequence[Column] = ()
    # Rows that cannot be in one file (e.g. the same person twice) are reported by ``check``.

    def check(self, rows: list[ParsedRow], *, actor) -> list[RowError]:
        """Cross-row and database checks; returns errors (rows with errors are not committed)."""
        return []

    def commit(self, rows: list[ParsedRow], *, actor, result: ImportResult, progress=None) -> None:
        """Write the valid rows inside the caller's transaction, counting created/updated/unchanged."""
        raise NotImplementedError

    def preview(self, rows: list[ParsedRow], *, actor, result: ImportResult) -> None:
        """Dry run: count what ``commit`` would do without writing. Default: all rows as created."""
        result.created = len(rows)

    def template_rows(self) -> Iterable[list[str]]:
        """Example rows for the template."""
        return [[c.example for c in self.columns]]
