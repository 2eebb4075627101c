"""Money is stored as integer fen (分) and shown in yuan (元)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def yuan_to_fen(value: str | int | float | Decimal) -> int:
    """Parse a yuan amount (``"1,234.5"``) into integer fen; raises ValueError on bad input."""
    text = str(value).replace(",", "").replace("，", "").replace("元", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> Decimal:
    if fen is None:
        return Decimal(0)
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_yuan(fen: int | None) -> str:
    """``123456789`` fen -> ``1,234,567.89``; whole yuan without decimals."""
    yuan = fen_to_yuan(fen)
    if yuan == yuan.to_integral():
        return f"{int(yuan):,}"
    return f"{yuan:,.2f}"


def english() -> bool:
    """Whether the active language is English (large numbers are then told in millions)."""
    from django.utils import translation

    return (translation.get_language() or "").startswith("en")


def format_wan(count: int | float) -> str:
    """Large counts in 万 for reports: 812345 -> ``81.2万``; in English ``812,345`` (``8.1 million``
    from a million up)."""
    if english():
        if abs(count) >= 1_000_000:
            return f"{count / 1_000_000:.1f} million"
        return f"{int(count):,}"
    if abs(count) >= 10_000:
        return f"{count / 10_000:.1f}万"
    return f"{int(count):,}"
