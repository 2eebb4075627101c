"""Cell parsers shared by the subsidies imports."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core.imports import CellError
from bangfu.core.money import yuan_to_fen

ERR_AMOUNT = gettext_noop("金额格式不正确")
ERR_NEGATIVE = gettext_noop("金额不能为负数")


def parse_fen(text: str) -> int:
    """Yuan as written in the file (``200``, ``800.64``) to integer fen; blank is 0."""
    if not text:
        return 0
    try:
        fen = yuan_to_fen(text)
    except ValueError as exc:
        raise CellError(ERR_AMOUNT) from exc
    if fen < 0:
        raise CellError(ERR_NEGATIVE)
    return fen
