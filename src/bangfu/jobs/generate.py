"""Synthetic employers and job postings for ``bangfu generate`` (and the matching benchmark).

The mix follows what Chongqing's workers are offered: assistance-workshop (帮扶车间) and gig
(零工市场) work in their own townships and counties, factories, logistics and services in the
main metropolitan zone (主城都市区, the 一区两群 cross-zone offer), construction everywhere, and
factories in the labour-cooperation regions (长三角, 珠三角, 四川, 鲁渝). Postings are relative to
``ctx.as_of``: some have expired, a few are full.

``make_employers`` / ``make_postings`` are numpy-only (no Django); ``generate_step`` loads them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bangfu.core import reference
from bangfu.jobs.choices import MinAbility

STR = np.dtypes.StringDType()

# kind: (share, sources, place kind, occupation prefixes or codes, wage range 元, age range,
#        min ability weights (weak, ordinary, skilled), accommodation p, headcount range)
KINDS = {
    "workshop": (0.15, "workshop", "township", ("5-05-06-01", "5-01-02-03", "6-07-02-00", "6-06-04-00",
                                                 "5-01-02-02", "5-03-02-02"),
                 (1800, 3600), (16, 65), (0.7, 0.3, 0.0), 0.05, (3, 30)),
    "gig": (0.10, "gig", "district", ("4-02-05-01", "5-01-02-01", "5-03-02-01", "6-29-01-01",
                                       "5-02-03-02", "6-29-04-01"),
            (2200, 5000), (18, 65), (0.4, 0.6, 0.0), 0.0, (2, 20)),
    "local": (0.15, "local", "district", ("4-01-02-03", "4-02-06-02", "4-02-07-08", "5-04-02-01",
                                           "6-28-03-03", "4-02-02-02", "6-29-01-07"),
              (2800, 5500), (18, 55), (0.15, 0.75, 0.1), 0.2, (1, 10)),
    "metro": (0.25, "cross_zone", "metro", ("6-22-02-01", "6-25-01-13", "4-02-07-09", "4-02-07-08",
                                             "4-02-06-01", "4-02-06-02", "4-01-02-03", "6-17-02-03"),
              (4000, 7500), (18, 48), (0.05, 0.85, 0.1), 0.6, (5, 80)),
    "construction": (0.15, "local", "anywhere", ("6-29-01-01", "6-29-01-03", "6-29-01-04", "6-29-01-05",
                                                  "6-29-02-08", "6-29-03-02", "6-29-03-04", "6-29-04-01",
                                                  "6-30-05-05", "6-29-01-06"),
                     (5000, 9500), (18, 60), (0.0, 0.7, 0.3), 0.5, (3, 40)),
    "cooperation": (0.20, "cooperation", "outside", ("6-25-01-13", "6-22-02-01", "4-02-07-09",
                                                     "6-07-02-00", "6-17-02-02", "4-02-05-01"),
                    (4800, 8500), (18, 45), (0.0, 0.9, 0.1), 0.85, (10, 120)),
}
# Certificates some occupations ask for (names from the registry's certificate list).
CERTIFICATE_OF = {"6-29-03-02": "电工证", "6-28-01-06": "电工证", "6-29-03-04": "焊工证",
                  "6-30-05-05": "挖掘机操作证", "4-02-06-01": "叉车证", "6-29-01-01": "砌筑工证"}
CERTIFICATE_P = 0.5  # share of such postings that require the certificate
# Destinations of cooperation-region postings: city codes and weights.
OUTSIDE_CITIES = {
    "3101": 2.0, "3205": 2.0, "3302": 1.0, "3301": 1.0, "3202": 1.0,  # 上海 苏州 宁波 杭州 无锡
    "4403": 2.0, "4419": 2.0, "4401": 1.5, "4406": 1.0, "4413": 0.7,  # 深圳 东莞 广州 佛山 惠州
    "5101": 1.5, "3702": 1.0, "3701": 0.7, "3502": 0.5, "4201": 0.5,  # 成都 青岛 济南 厦门 武汉
}
COMPANY_WORDS = ("华信", "恒达", "鑫源", "福瑞", "众成", "宏图", "金桥", "长江", "巴渝", "三峡",
                 "山城", "德润", "兴旺", "瑞丰", "安达", "裕隆", "博远", "嘉禾", "天成", "永利")
INDUSTRY_WORDS = {"workshop": "农产品加工", "gig": "劳务服务", "local": "商贸", "metro": "电子科技",
                  "construction": "建筑工程", "cooperation": "精密制造"}
TITLE_SUFFIX = {"workshop": "（帮扶车间）", "gig": "（零工）", "local": "", "metro": "",
                "construction": "", "cooperation": "（劳务协作）"}


def _districts():
    rows = sorted((r for r in reference.divisions().values() if len(r["code"]) == 6),
                  key=lambda r: r["code"])
    return np.array([r["code"] for r in rows], dtype=STR), np.array([r["region_group"] for r in rows])


def _townships_by_district(district_codes: np.ndarray) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {str(d): [] for d in district_codes}
    for r in reference.divisions().values():
        if len(r["code"]) == 9 and r["parent_code"] in out:
            out[r["parent_code"]].append(r["code"])
    return out


def uscc_for(rng: np.random.Generator, region_codes: np.ndarray) -> np.ndarray:
    """Valid unified social credit codes: 91 + 6-digit region + 9 random characters + check."""
    from stdnum.cn import uscc

    alphabet = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    body = rng.integers(0, 10, (len(region_codes), 9))
    body[:, 1:8] = rng.integers(0, 31, (len(region_codes), 7)) % 10  # digits mostly
    out = []
    for region, row in zip(region_codes.tolist(), body):
        stem = "91" + region.ljust(6, "0")[:6] + "".join(alphabet[row])
        out.append(stem + uscc.calc_check_digit(stem + "0"))
    return np.array(out, dtype=STR)


def make_postings(rng: np.random.Generator, n: int, as_of: dt.date,
                  employers_per_posting: float = 0.25) -> tuple[dict, dict]:
    """(employers, postings) as numpy columns; postings reference employers by row index."""
    districts, zones = _districts()
    metro = districts[zones == "main_metro"]
    townships = _townships_by_district(districts)
    kinds = list(KINDS)
    shares = np.array([KINDS[k][0] for k in kinds])
    kind = rng.choice(len(kinds), n, p=shares / shares.sum())
    # where rural workers live: north-east and south-east weigh more for local work
    local_w = np.where(zones == "main_metro", 0.6, 1.6)
    local_w = local_w / local_w.sum()
    cities = np.array(list(OUTSIDE_CITIES), dtype=STR)
    city_w = np.array(list(OUTSIDE_CITIES.values()))
    city_w = city_w / city_w.sum()

    place = np.empty(n, dtype=object)
    occupation = np.empty(n, dtype=object)
    wage_min = np.zeros(n, dtype=np.int64)
    wage_max = np.zeros(n, dtype=np.int64)
    age_min = np.zeros(n, dtype=np.int16)
    age_max = np.zeros(n, dtype=np.int16)
    ability = np.empty(n, dtype=object)
    accommodation = np.zeros(n, dtype=bool)
    headcount = np.zeros(n, dtype=np.int32)
    source = np.empty(n, dtype=object)
    for k, name in enumerate(kinds):
        _, src, where, occs, wage, ages, abil, accom, heads = KINDS[name]
        idx = np.flatnonzero(kind == k)
        m = len(idx)
        if not m:
            continue
        source[idx] = src
        occupation[idx] = np.array(occs)[rng.integers(0, len(occs), m)]
        if where == "township":
            d = districts[rng.choice(len(districts), m, p=local_w)]
            place[idx] = [townships[x][rng.integers(0, len(townships[x]))] if townships[x] else x
                          for x in d.tolist()]
        elif where == "district":
            place[idx] = districts[rng.choice(len(districts), m, p=local_w)].tolist()
        elif where == "metro":
            place[idx] = metro[rng.integers(0, len(metro), m)].tolist()
        elif where == "anywhere":
            inside = rng.random(m) < 0.8
            d = np.where(rng.random(m) < 0.6, metro[rng.integers(0, len(metro), m)],
                         districts[rng.choice(len(districts), m, p=local_w)])
            c = cities[rng.choice(len(cities), m, p=city_w)]
            place[idx] = np.where(inside, d, c).tolist()
            source[idx] = np.where(inside, np.where(np.isin(d, metro), "cross_zone", "local"),
                                   "cooperation").tolist()
        else:
            place[idx] = cities[rng.choice(len(cities), m, p=city_w)].tolist()
        low = np.rint(rng.uniform(wage[0], wage[1] - 800, m) / 100) * 100
        wage_min[idx] = (low * 100).astype(np.int64)
        wage_max[idx] = ((low + np.rint(rng.uniform(500, 2500, m) / 100) * 100) * 100).astype(np.int64)
        age_min[idx] = ages[0]
        age_max[idx] = np.minimum(ages[1], ages[1] - rng.integers(0, 3, m) * 5 + rng.integers(0, 2, m) * 5)
        ability[idx] = np.array(MinAbility.values)[rng.choice(3, m, p=abil)]
        accommodation[idx] = rng.random(m) < accom
        headcount[idx] = rng.integers(heads[0], heads[1] + 1, m)
    occupation = occupation.astype(str)
    certificate = np.array([CERTIFICATE_OF.get(o, "") for o in occupation.tolist()], dtype=object)
    certificate = np.where(rng.random(n) < CERTIFICATE_P, certificate, "")
    filled = np.minimum(headcount, np.floor(headcount * rng.beta(0.6, 2.5, n)).astype(np.int32))
    full = rng.random(n) < 0.04
    filled = np.where(full, headcount, filled)
    start = np.datetime64(as_of, "D") - rng.integers(0, 75, n).astype("timedelta64[D]")
    until = start + rng.integers(20, 120, n).astype("timedelta64[D]")

    # employers: each kind of work at each place has its own few employers (a workshop in a
    # township, a factory in a metro district, a contractor in a city elsewhere)
    place_s = place.astype(str)
    _, place_idx = np.unique(place_s, return_inverse=True)
    group_key = kind.astype(np.int64) * 1_000_000 + place_idx.reshape(-1)
    groups, group_of, group_size = np.unique(group_key, return_inverse=True, return_counts=True)
    group_of = group_of.reshape(-1)
    per_group = np.maximum(1, np.ceil(group_size * employers_per_posting)).astype(np.int64)
    offset = np.concatenate([[0], np.cumsum(per_group)[:-1]])
    employer = offset[group_of] + (rng.random(n) * per_group[group_of]).astype(np.int64)
    n_emp = int(per_group.sum())
    first_posting = np.zeros(n_emp, dtype=np.int64)
    first_posting[employer[::-1]] = np.arange(n)[::-1]  # any posting of the employer
    emp_group = np.repeat(np.arange(len(groups)), per_group)
    taken = np.zeros(n_emp, dtype=bool)
    taken[employer] = True
    # an employer none of whose draws landed still belongs to its group: use the group's first posting
    group_first = np.zeros(len(groups), dtype=np.int64)
    group_first[group_of[::-1]] = np.arange(n)[::-1]
    first_posting = np.where(taken, first_posting, group_first[emp_group])
    emp_place = place_s[first_posting]
    emp_kind = np.array(kinds)[kind[first_posting]]
    emp_region = np.array([p[:6] if p.startswith("50") else (p + "00")[:6] for p in emp_place.tolist()])
    words = np.array(COMPANY_WORDS)
    first_word = rng.integers(0, len(words), n_emp)
    second_word = (first_word + rng.integers(1, len(words), n_emp)) % len(words)
    emp_name = [f"{reference.place_name(p)}{words[a]}{words[b]}{INDUSTRY_WORDS[k]}有限公司"
                for p, a, b, k in zip(emp_place.tolist(), first_word, second_word, emp_kind.tolist())]
    employers = {
        "name": np.array(emp_name, dtype=STR),
        "uscc": uscc_for(rng, emp_region),
        "place_code": np.array(emp_place, dtype=STR),
        "credit": rng.choice(np.array(["A", "B", "C"]), n_emp, p=[0.55, 0.4, 0.05]),
        "contact_phone": np.array([f"1{x}" for x in rng.integers(3_000_000_000, 9_999_999_999, n_emp)],
                                  dtype=STR),
    }
    titles = [f"{occupation_name(o)}{TITLE_SUFFIX[kinds[k]]}" for o, k in zip(occupation.tolist(),
                                                                              kind.tolist())]
    postings = {
        "employer_index": employer,
        "title": np.array(titles, dtype=STR),
        "occupation_code": np.array(occupation, dtype=STR),
        "work_place_code": np.array(place.astype(str), dtype=STR),
        "source": np.array(source.astype(str), dtype=STR),
        "headcount": headcount,
        "filled": filled.astype(np.int32),
        "wage_min_fen": wage_min,
        "wage_max_fen": wage_max,
        "age_min": age_min,
        "age_max": age_max,
        "min_labour_ability": np.array(ability.astype(str), dtype=STR),
        "certificates": np.array(certificate.astype(str), dtype=STR),
        "accommodation": accommodation,
        "transport": accommodation & (rng.random(n) < 0.5),
        "valid_from": start,
        "valid_until": until,
    }
    return employers, postings


def occupation_name(code: str) -> str:
    return reference.occupations()[code]["name"]


CREDIT_SCORE = {"A": 0.9, "B": 0.6, "C": 0.2}


def generate_step(ctx) -> None:
    """Employers and postings at about one posting per 60 registered persons (at least 50)."""
    rng = ctx.rng_for("jobs")
    n = max(50, ctx.person_count // 60)
    employers, postings = make_postings(rng, n, ctx.as_of)
    ctx.shared["jobs"] = {"employers": employers, "postings": postings}
    if ctx.load:
        from bangfu.jobs.loader import load_generated

        load_generated(employers, postings, as_of=ctx.as_of)
    from bangfu.jobs.generate_services import load_services, make_services

    pushes, services = make_services(ctx, ctx.rng_for("jobs-services"), n)
    if ctx.load:
        load_services(ctx, pushes, services)
    ctx.counts["jobs"] = {"employers": len(employers["name"]), "postings": n, "pushes": len(pushes),
                          "services": len(services)}
    ctx.say(f"已生成 {len(employers['name'])} 家用工单位、{n} 个岗位")
