"""Synthetic insurance data for ``bangfu generate`` and the demo (filled in below)."""

from __future__ import annotations


def demo_step(ctx) -> None:
    """The demo's insurance data (nothing yet)."""
