from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row number (header is row 1), the column header, a reason.

    Row 0 with an empty column means the whole file (a ``FileError``).
    """

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
    kind: str = ""
    warnings: list[str] = field(default_factory=list)  # e.g. columns that were ignored
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    header_row: int = 1
    # The file's header and the raw cells of the rows with errors, for the error report's
    # "rows to correct" sheet; not part of the JSON.
    source_headers: list[str] = field(default_factory=list, repr=False, compare=False)
    rejected_raw: list[tuple[int, list]] = field(default_factory=list, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def rejected(self) -> int:
        """Rows not written: the rows with errors, or every row of a refused import."""
        if self.dry_run or self.committed:
            return self.error_rows
        return self.rows

    def to_json(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [asdict(e) for e in self.errors],
            "error_rows": self.error_rows,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "kind": self.kind,
            "warnings": list(self.warnings),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "ImportResult":
        return cls(
            rows=data.get("rows", 0), created=data.get("created", 0), updated=data.get("updated", 0),
            unchanged=data.get("unchanged", 0),
            errors=[RowError(**e) for e in data.get("errors", [])],
            committed=data.get("committed", False), dry_run=data.get("dry_run", False),
            kind=data.get("kind", ""), warnings=list(data.get("warnings", [])),
            timings=dict(data.get("timings", {})),
        )

    @classmethod
    def for_file_error(cls, message: str, *, kind: str = "", dry_run: bool = False) -> "ImportResult":
        """The result of a file that could not be read at all: one error on row 0."""
        return cls(kind=kind, dry_run=dry_run, errors=[RowError(row=0, column="", message=message)])
