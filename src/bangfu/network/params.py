"""The network's parameters (``settings.BANGFU["NETWORK_*"]``, listed on 参数设置 by ``network.hooks``)."""

from __future__ import annotations

from bangfu.core import parameters

DEFAULTS = {
    "NETWORK_WORKSHOP_MIN_WORKERS": 5,       # poverty-alleviated workers a workshop needs at recognition
    "NETWORK_HELPER_MIN_AGE": 18,
    "NETWORK_HELPER_MAX_AGE": 65,
    "NETWORK_ZERO_HOUSEHOLD_MIN_OFFERS": 3,  # job offers a zero-employment household should receive
    "NETWORK_STAY_MONTHS": 3,                # months an organised or workshop worker must stay
    "NETWORK_MY_PEOPLE_JOBS": 3,             # jobs shown with each person on "my people"
}


def param(key: str):
    return parameters.get(key, DEFAULTS[key])  # 参数设置 first, then settings.BANGFU
