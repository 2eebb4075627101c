"""The posts' parameters (``settings.BANGFU["POSTS_*"]``, listed on 参数设置 by ``posts.hooks``)."""

from __future__ import annotations

from bangfu.core import parameters

DEFAULTS = {
    "POSTS_MIN_MONTHLY_WAGE_FEN": {"default": 200_000},
    "POSTS_MIN_HOURLY_WAGE_FEN": {"default": 2_000},
    "POSTS_MIN_DAYS_PRESENT": 8,
    "POSTS_MIN_AGE": 16,
    "POSTS_MAX_AGE": 60,
    "POSTS_MONTHS_OUTSIDE_COUNTY": 3,
    "POSTS_NOTICE_WORKING_DAYS": 5,
    "POSTS_MAX_CONTRACT_MONTHS": 36,
    "POSTS_RETIREMENT_AGE": 60,
    "POSTS_RETIREMENT_WITHIN_YEARS": 5,
}


def param(key: str):
    return parameters.get(key, DEFAULTS[key])  # 参数设置 first, then settings.BANGFU


def by_district(key: str, district_code: str) -> int:
    """A per-district standard: the district's own value, else ``default``."""
    table = param(key)
    return int(table.get(district_code, table["default"]))
