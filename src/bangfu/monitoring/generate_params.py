"""The numbers the monitoring generator is calibrated with (``monitoring.generate``)."""

from __future__ import annotations

import numpy as np

from bangfu import codes
from bangfu.core import reference

REFERENCE_PEOPLE = 1_900_000
REFERENCE_SCALE = 813_000  # employment scale of the reference September at 1.9 million people
REFERENCE_TARGET = 745_000  # the annual target of the reference year
YEARLY_GROWTH = 0.046
WAGE_SHARE = 0.77
HISTORY_MONTHS = 24
MIGRANT_SF_PENALTY = 0.35
MONTHLY_NOISE = 0.06
INCOME_NOT_REPORTED = 0.06  # share of employment months without a reported income
# Of the workers employed in another district of Chongqing, the share that stays in its own zone:
# calibrated so that main-metro jobs held by workers of the north-east and south-east come to
# the article's 5万余 at 1.9 million people (0 gave 13万).
SAME_ZONE_SHARE = 0.6

# The month of the Spring Festival (农历正月初一).
SPRING_FESTIVAL = {2019: 2, 2020: 1, 2021: 2, 2022: 2, 2023: 1, 2024: 2, 2025: 1, 2026: 2,
                   2027: 2, 2028: 1, 2029: 2, 2030: 2}
# March..November: flat, never below the September level (the "stable above" of the briefing).
FLAT = {3: 1.0005, 4: 1.001, 5: 1.002, 6: 1.002, 7: 1.001, 8: 0.9995, 9: 1.000, 10: 1.002, 11: 1.001}

PLACE_CLASSES = np.array(codes.PLACE_CLASS.values)
PLACE_WEIGHTS = np.array([0.22, 0.20, 0.575, 0.005])  # in the order of PLACE_CLASSES
PLACE_BITS = np.array([1 << i for i in range(len(PLACE_CLASSES))], dtype=np.uint8)
CHANNELS = {
    "in_county": (("local", "welfare_post", "workshop", "gig", "self_employed", "flexible"),
                  (0.40, 0.15, 0.12, 0.15, 0.08, 0.10)),
    "in_city": (("migrant", "flexible", "gig", "self_employed"), (0.60, 0.20, 0.10, 0.10)),
    "out_of_city": (("migrant", "flexible", "self_employed"), (0.85, 0.10, 0.05)),
    "abroad": (("migrant",), (1.0,)),
}
REGION_WEIGHTS = {"yangtze_delta": 0.34, "pearl_delta": 0.30, "sichuan": 0.14,
                  "east_west_pairing": 0.08, "": 0.14}
BIG_CITIES = {"3101": 6, "3205": 6, "3301": 4, "3302": 3, "3201": 3, "4403": 8, "4401": 6,
              "4419": 6, "4406": 4, "5101": 8, "3702": 3, "3701": 3, "11": 4, "4201": 3,
              "3502": 2, "6101": 2, "4101": 2}
MONTHLY_YUAN = {"in_county": 2800, "in_city": 4300, "out_of_city": 5400, "abroad": 9000}
CHANNEL_YUAN = {"welfare_post": 1600, "workshop": 2600, "gig": 2400}
ABILITY_FACTOR = {"skilled": 1.2, "weak": 0.75}
NON_WAGE_SPLIT = (0.40, 0.04, 0.56)  # business, property, transfer
EMPLOYER_WORDS = ("宏达", "鑫源", "华泰", "永盛", "恒通", "锦程", "瑞丰", "兴业", "天成", "金桥",
                  "顺达", "新创", "远航", "盛世", "德润", "中联", "嘉禾", "联创", "汇通", "安泰")
EMPLOYER_TRADES = ("电子科技", "建筑工程", "物流", "服装", "食品", "机械制造", "家政服务", "餐饮管理",
                   "汽车零部件", "物业管理", "包装材料", "农业开发")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CSV_HEADERS = ("证件号码", "姓名", "年月", "务工地点类型", "务工地区代码", "就业渠道", "务工单位",
               "统一社会信用代码", "岗位", "职业代码", "月收入")
WRITE_CHUNK = 50_000
