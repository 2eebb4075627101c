"""Declaring an importer: its columns and what it does with valid rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports.result import ImportResult, RowError

ERR_REQUIRED = gettext_noop("必填项不能为空")
ERR_FORMULA = gettext_noop("单元格含有公式，请复制后“粘贴为数值”再导入")


class CellError(ValueError):
    """Raised by a column parser with a Chinese reason."""


class CommitRefused(Exception):
    """Raised by ``Importer.commit`` when rows that passed ``check`` turn out, inside the write
    transaction, not to be writable (another import changed them meanwhile). The transaction is
    rolled back and the rows are reported like any other row error."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} rows refused at commit")
        self.errors = list(errors)


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
    choices: tuple[str, ...] = ()  # labels offered as a drop-down list in the template

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.key, *self.aliases)}


def normalise_header(name: Any) -> str:
    """Header spelling that ignores case, spaces, underscores, brackets and a required-mark ``*``."""
    text = str(name or "").strip().lower()
    for ch in (" ", "\u3000", "\xa0", "_", "-", "*", "＊", "（", "）", "(", ")", "\n", "\r", "\t",
               "\ufeff", "\u200b"):
        text = text.replace(ch, "")
    return text


@dataclass
class ParsedRow:
    """A row whose cells all parsed: ``number`` is its spreadsheet row number.

    ``meta`` is scratch space for the importer: ``check`` can leave there what it looked up
    in the database (the existing record) so that ``preview`` and ``commit`` need not again.
    The runner sets ``meta["absent_columns"]`` (a frozenset of column keys) when the file
    lacks some optional columns, so an importer can keep what is stored for them.
    """

    number: int
    values: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)


class Importer:
    """Subclass and set ``kind``, ``title``, ``columns``; implement ``check`` and ``commit``.

    An app offers its importers in ``bangfu.<app>.importers.IMPORTERS = {kind: Importer()}``;
    the ``import`` command and the upload page find them there. One instance serves every
    import (and several threads): keep per-import state in the rows, never on ``self``.
    """

    kind: str = ""
    title: str = ""
    columns: Sequence[Column] = ()
    capability: Capability = Capability.IMPORT_REGISTRY  # what a user needs to run it from the upload page
    description: str = ""  # one sentence for the upload page
    commit_may_refuse: bool = False  # commit may raise CommitRefused (the runner keeps raw rows)
    result_link: tuple[str, Any] | None = None  # (URL name, label): where to see what was imported

    def check(self, rows: list[ParsedRow], *, actor: Actor) -> list[RowError]:
        """Cross-row and database checks; returns errors (rows with errors are not committed)."""
        return []

    def commit(self, rows: list[ParsedRow], *, actor: Actor, result: ImportResult, progress=None) -> None:
        """Write the valid rows inside the caller's transaction, counting created/updated/unchanged.

        Checks that decide whether a write is allowed belong here, inside the transaction, too
        (``check`` runs before it and proves nothing about the moment of writing); raise
        ``CommitRefused`` with the offending rows' errors to write nothing."""
        raise NotImplementedError

    def preview(self, rows: list[ParsedRow], *, actor: Actor, result: ImportResult) -> None:
        """Dry run: count what ``commit`` would do without writing. Default: all rows as created."""
        result.created = len(rows)

    def template_rows(self) -> Iterable[list[str]]:
        """Example rows for the template."""
        return [[c.example for c in self.columns]]
