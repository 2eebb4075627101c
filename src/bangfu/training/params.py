"""Training's parameters (``settings.BANGFU["TRAINING_*"]``, listed on 参数设置 by ``training.hooks``)."""

from __future__ import annotations

from bangfu.core import parameters

DEFAULTS = {
    "TRAINING_ALLOWANCE_YUAN_PER_DAY": 100,
    "TRAINING_ALLOWANCE_MAX_DAYS": 30,
    "TRAINING_SUBSIDY_YUAN": {"junior": 1000, "intermediate": 1500, "senior": 2500, "technician": 3500,
                              "senior_technician": 5000, "special": 800},
    "TRAINING_MIN_ATTENDANCE_PERCENT": 80,
    "TRAINING_EMPLOYED_WITHIN_MONTHS": 6,
}


def param(key: str):
    return parameters.get(key, DEFAULTS[key])  # 参数设置 first, then settings.BANGFU
