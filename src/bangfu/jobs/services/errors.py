from __future__ import annotations


class JobsError(ValueError):
    """A refused write: ``message`` is Chinese, ``fields`` maps field names to Chinese messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
