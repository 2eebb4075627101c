from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row number (header is row 1), the column header, a reason."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def to_json(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [asdict(e) for e in self.errors],
            "committed": self.committed,
            "dry_run": self.dry_run,
        }
