"""The engine's one exception (Django-free)."""

from __future__ import annotations


class EngineError(RuntimeError):
    """The engine cannot be opened as asked (bad kind, missing source, missing extension)."""
