"""The insurance parameters (``settings.BANGFU["INSURANCE_*"]``, listed on 参数设置 by ``insurance.hooks``).

Defaults: the injury premium per order by industry (渝人社规〔2025〕14号: 出行 0.01 元, 即时配送
0.07 元, 同城货运 0.18 元), the standard and the reduced unemployment-insurance rate (basis
points of the wage base; 减征额 = 缴费基数 × the difference) and the coverage target."""

from __future__ import annotations

from bangfu.core import parameters

DEFAULTS = {
    "INSURANCE_INJURY_FEN_PER_ORDER": {"ride_hailing": 1, "instant_delivery": 7, "freight": 18},
    "INSURANCE_UI_STANDARD_RATE_BP": 200,  # 2 % of the wage base
    "INSURANCE_UI_REDUCED_RATE_BP": 100,  # 1 %
    "INSURANCE_COVERAGE_TARGET_PERMILLE": 990,  # 应保尽保 ≥ 99 %
    "INSURANCE_PENSION_MIN_AGE": 16,
    "INSURANCE_PENSION_MAX_AGE": 59,
}


def param(key: str):
    return parameters.get(key, DEFAULTS[key])  # 参数设置 first, then settings.BANGFU


def injury_fen_per_order(industry: str) -> int:
    return int(param("INSURANCE_INJURY_FEN_PER_ORDER")[industry])


def ui_reduction_fen(base_fen: int, rate_bp: int | None = None) -> int:
    """减征额 = 缴费基数 × (standard rate − the rate paid); never negative."""
    standard = int(param("INSURANCE_UI_STANDARD_RATE_BP"))
    paid = int(param("INSURANCE_UI_REDUCED_RATE_BP") if rate_bp is None else rate_bp)
    return max(0, base_fen * (standard - paid) // 10_000)
