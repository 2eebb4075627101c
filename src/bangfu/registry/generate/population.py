"""Synthetic households and persons, generated column-wise with numpy (no Python loop per person).

Shapes follow the programme in Chongqing: most people live in the north-east (渝东北) and
south-east (渝东南) zones and few in the central districts; households of one to six; many
elderly and children; most workers are ordinary labour, elderly and children have none.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bangfu import codes
from bangfu.core import reference
from bangfu.registry.generate import wordlists
from bangfu.registry.generate.context import Frame, GenerateContext
from bangfu.registry.generate.identifiers import id_numbers, mobile_numbers

STR = np.dtypes.StringDType()

# Relative number of registered people per district: by zone, with the central districts
# (almost no rural population) far below and the largest mountain counties above.
ZONE_WEIGHTS = {"main_metro": 1.0, "northeast": 3.2, "southeast": 3.0}
DISTRICT_FACTORS = {
    "500103": 0.02, "500104": 0.05, "500105": 0.05, "500106": 0.1, "500107": 0.1,
    "500108": 0.1, "500109": 0.3, "500112": 0.4, "500113": 0.5,  # central districts
    "500101": 1.4, "500154": 1.5, "500235": 1.4, "500236": 1.3, "500242": 1.3,  # 万州 开州 云阳 奉节 酉阳
}
# Urban subdistricts hold fewer registered households than rural towns and townships.
LEVEL_WEIGHTS = {"subdistrict": 0.35, "town": 1.0, "township": 1.2}

HOUSEHOLD_SIZE_P = np.array([0.13, 0.22, 0.21, 0.20, 0.14, 0.10])
MONITORED_SHARE = 0.12  # the rest (~88%) are poverty-alleviated households

# Weights below follow the order of these code lists.
RELATIONS = codes.RELATION.values
ABILITIES = codes.LABOUR_ABILITY.values
EDUCATIONS = ("",) + codes.EDUCATION.values
HEALTHS = codes.HEALTH.values
PLACES = codes.PLACE_CLASS.values  # bit i of the place mask
WORKING = np.isin(ABILITIES, codes.WORKING_ABILITIES)

# Member kinds before the relation is named from the sex.
HEAD, SPOUSE, CHILD, CHILD_SPOUSE, GRANDCHILD, PARENT = range(6)


def district_table() -> tuple[list[str], np.ndarray, list[str]]:
    """District codes, their weights and their zones, in code order."""
    districts = [r for r in reference.divisions().values() if len(r["code"]) == 6]
    districts.sort(key=lambda r: r["code"])
    weights = np.array([ZONE_WEIGHTS[r["region_group"]] * DISTRICT_FACTORS.get(r["code"], 1.0)
                        for r in districts])
    return [r["code"] for r in districts], weights / weights.sum(), [r["region_group"] for r in districts]


def township_table(district_codes: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Township codes grouped by district, their district index and a cumulative weight.

    The cumulative weight of district ``d``'s block runs from ``d`` to ``d + 1`` so one
    ``searchsorted`` of ``d + u`` picks a township inside the household's own district.
    """
    position = {code: i for i, code in enumerate(district_codes)}
    rows = [r for r in reference.divisions().values() if len(r["code"]) == 9]
    rows.sort(key=lambda r: r["code"])
    codes = np.array([r["code"] for r in rows])
    district = np.array([position[r["parent_code"]] for r in rows])
    order = np.argsort(district, kind="stable")
    codes, district = codes[order], district[order]
    weights = np.array([LEVEL_WEIGHTS.get(rows[i]["level"], 1.0) for i in order])
    cumulative = np.empty(len(codes))
    for d in range(len(district_codes)):
        block = district == d
        w = np.cumsum(weights[block])
        cumulative[block] = d + w / w[-1]
    return codes, district, cumulative


def _categorical(rng: np.random.Generator, probs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One category index per row, drawn with the probabilities of the row's group."""
    cum = np.cumsum(probs, axis=1)
    cum = cum / cum[:, -1:]
    u = rng.random(len(group))
    picked = np.zeros(len(group), dtype=np.int8)
    for k in range(probs.shape[1] - 1):
        picked += u > cum[group, k]
    return picked


def _household_sizes(rng: np.random.Generator, people: int) -> np.ndarray:
    mean = float((np.arange(1, 7) * HOUSEHOLD_SIZE_P).sum())
    estimate = int(people / mean * 1.05) + 16
    while True:
        sizes = (rng.choice(6, size=estimate, p=HOUSEHOLD_SIZE_P) + 1).astype(np.int64)
        total = np.cumsum(sizes)
        if total[-1] >= people:
            break
        estimate *= 2
    count = int(np.searchsorted(total, people)) + 1
    sizes = sizes[:count]
    sizes[-1] -= total[count - 1] - people  # the last household is cut to fit exactly
    return sizes


def make_households(ctx: GenerateContext) -> Frame:
    rng = ctx.rng
    sizes = _household_sizes(rng, ctx.people)
    count = len(sizes)
    district_codes, district_p, zones = district_table()
    district = rng.choice(len(district_codes), size=count, p=district_p)
    town_codes, _, town_cum = township_table(district_codes)
    # side="right": u = 0 must land on the district's first township, not the previous district's last.
    township = np.searchsorted(town_cum, district + rng.random(count), side="right")
    # Number households township by township, like the national system does.
    order = np.lexsort((np.arange(count), township))
    sizes, district, township = sizes[order], district[order], township[order]
    starts = np.flatnonzero(np.r_[True, township[1:] != township[:-1]])
    run = np.repeat(starts, np.diff(np.r_[starts, count]))
    sequence = np.arange(count) - run + 1
    township_code = town_codes[township]
    number = np.strings.add(township_code.astype(STR), np.strings.zfill(sequence.astype(STR), 6))
    village_pick = (township * 7 + rng.integers(0, 8, count)) % len(wordlists.VILLAGES)
    category = np.where(rng.random(count) < MONITORED_SHARE, "monitored", "alleviated").astype(STR)
    return {
        "id": np.arange(1, count + 1, dtype=np.int64),
        "number": number,
        "district_code": np.array(district_codes)[district],
        "township_code": township_code,
        "village": np.array(wordlists.VILLAGES, dtype=STR)[village_pick],
        "category": category,
        "region_group": np.array(zones, dtype=STR)[district],
        "size": sizes.astype(np.int8),
        "first_person": np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64),
    }


def _ages_and_kinds(rng: np.random.Generator, hh: np.ndarray, member: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Member kind, intended age and sex (True = male) of every person."""
    n = len(hh)
    head_age = np.clip(rng.normal(57, 13, hh[-1] + 1 if n else 0), 22, 92).astype(np.int64)
    head_male = rng.random(len(head_age)) < 0.8
    H = head_age[hh]
    old = H >= 55
    u = rng.random(n)
    kind = np.full(n, CHILD, dtype=np.int8)
    kind[member == 0] = HEAD
    kind[(member == 1) & (u < 0.82)] = SPOUSE
    young = ~old
    kind[young & (member == 4) & (u < 0.3)] = PARENT
    kind[young & (member == 5)] = PARENT
    kind[old & (member == 3) & (u < 0.6)] = CHILD_SPOUSE
    kind[old & (member >= 4)] = GRANDCHILD

    prev = np.r_[0, np.arange(n - 1)]  # index of the previous member (same household when member > 0)
    male = rng.random(n) < 0.52
    male[kind == HEAD] = head_male[hh[kind == HEAD]]
    male[kind == SPOUSE] = ~head_male[hh[kind == SPOUSE]]
    cs = kind == CHILD_SPOUSE
    male[cs] = ~male[prev[cs]]
    parent = kind == PARENT
    second_parent = parent & (kind[prev] == PARENT) & (member > 0)
    male[parent] = rng.random(int(parent.sum())) < 0.45
    male[second_parent] = ~male[prev[second_parent]]

    age = H.copy()
    sp = kind == SPOUSE
    shift = np.rint(rng.normal(0, 3, n)).astype(np.int64) + np.where(head_male[hh], -2, 2)
    age[sp] = np.maximum(H[sp] + shift[sp], 18)
    ch = kind == CHILD
    gap = np.where(old, rng.integers(22, 36, n), rng.integers(20, 38, n))
    child_age = H - gap
    child_age = np.where(child_age < 0, rng.integers(0, 3, n), child_age)
    age[ch] = child_age[ch]
    age[cs] = np.maximum(age[prev[cs]] + rng.integers(-4, 5, int(cs.sum())), 18)
    gc = kind == GRANDCHILD
    grand_age = H - rng.integers(44, 64, n)
    grand_age = np.where(grand_age < 0, rng.integers(0, 4, n), grand_age)
    age[gc] = grand_age[gc]
    age[parent] = H[parent] + rng.integers(22, 33, int(parent.sum()))
    return kind, np.minimum(age, 99), male


def _relations(kind: np.ndarray, male: np.ndarray) -> np.ndarray:
    names = np.array(RELATIONS, dtype=STR)
    index = np.select(
        [kind == HEAD, kind == SPOUSE, kind == CHILD, kind == CHILD_SPOUSE, kind == GRANDCHILD,
         kind == PARENT],
        [0, 1, np.where(male, 2, 3), np.where(male, 5, 4), np.where(male, 6, 7), np.where(male, 8, 9)],
        default=10,
    )
    return names[index]


def _birth_dates(rng: np.random.Generator, age: np.ndarray, as_of: dt.date) -> np.ndarray:
    days_back = np.floor(age * 365.2425).astype(np.int64) + rng.integers(0, 365, len(age))
    return np.datetime64(as_of, "D") - days_back.astype("timedelta64[D]")


def age_on(birth: np.ndarray, day: dt.date) -> np.ndarray:
    """Completed years on ``day`` for an array of datetime64[D] birth dates."""
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (birth.astype("datetime64[M]") - birth.astype("datetime64[Y]")).astype(np.int64) + 1
    mday = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    before = (month > day.month) | ((month == day.month) & (mday > day.day))
    return day.year - year - before.astype(np.int64)


def _names(rng: np.random.Generator, hh: np.ndarray, kind: np.ndarray, male: np.ndarray) -> np.ndarray:
    n = len(hh)
    surnames = np.array(wordlists.SURNAMES, dtype=STR)
    rank_weight = 1.0 / (np.arange(len(surnames)) + 3.0)
    p = rank_weight / rank_weight.sum()
    own = rng.choice(len(surnames), size=n, p=p)
    head_surname = own[np.flatnonzero(kind == HEAD)]
    shares = (kind == CHILD) | (kind == GRANDCHILD) | ((kind == PARENT) & male)
    surname = np.where(shares, head_surname[hh], own)
    pools = [np.array(wordlists.GIVEN_FEMALE, dtype=STR), np.array(wordlists.GIVEN_MALE, dtype=STR)]
    first = np.where(male, pools[1][rng.integers(0, len(pools[1]), n)],
                     pools[0][rng.integers(0, len(pools[0]), n)])
    second = np.where(male, pools[1][rng.integers(0, len(pools[1]), n)],
                      pools[0][rng.integers(0, len(pools[0]), n)])
    second = np.where(rng.random(n) < 0.3, np.array("", dtype=STR), second)
    return np.strings.add(np.strings.add(surnames[surname], first), second)


def _abilities(rng: np.random.Generator, age: np.ndarray, health: np.ndarray,
               in_school: np.ndarray) -> np.ndarray:
    unhealthy = health >= 2  # serious illness or disability
    chronic = health == 1
    # groups: 0 working age healthy, 1 working age chronic, 2 working age unhealthy,
    # 3 aged 60-65 healthy, 4 aged 60-65 not, 5 aged 66-75, 6 over 75
    group = np.select(
        [age <= 59, age <= 65, age <= 75],
        [np.where(unhealthy, 2, np.where(chronic, 1, 0)), np.where(unhealthy | chronic, 4, 3), 5],
        default=6,
    )
    #                 ordinary skilled weak  lost  none
    probs = np.array([[0.75, 0.15, 0.08, 0.02, 0.00],
                      [0.45, 0.05, 0.45, 0.05, 0.00],
                      [0.05, 0.00, 0.40, 0.55, 0.00],
                      [0.55, 0.05, 0.33, 0.07, 0.00],
                      [0.15, 0.00, 0.45, 0.40, 0.00],
                      [0.00, 0.00, 0.30, 0.40, 0.30],
                      [0.00, 0.00, 0.00, 0.55, 0.45]])
    ability = _categorical(rng, probs, group)
    ability[(age < 16) | in_school] = ABILITIES.index("none")
    return ability


def _health(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    group = np.select([age < 16, age < 60, age < 75], [0, 1, 2], default=3)
    #                 healthy chronic serious disabled
    probs = np.array([[0.95, 0.02, 0.01, 0.02],
                      [0.82, 0.09, 0.03, 0.06],
                      [0.60, 0.24, 0.06, 0.10],
                      [0.45, 0.34, 0.08, 0.13]])
    return _categorical(rng, probs, group)


def _in_school(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    p = np.select([age < 6, age <= 15, age <= 18, age <= 22], [0.0, 0.97, 0.8, 0.35], default=0.0)
    return rng.random(len(age)) < p


def _education(rng: np.random.Generator, age: np.ndarray, in_school: np.ndarray) -> np.ndarray:
    group = np.select([age <= 30, age <= 45, age <= 60], [0, 1, 2], default=3)
    #            blank illiterate primary junior senior college
    probs = np.array([[0, 0.01, 0.08, 0.50, 0.25, 0.16],
                      [0, 0.02, 0.20, 0.55, 0.17, 0.06],
                      [0, 0.06, 0.42, 0.42, 0.08, 0.02],
                      [0, 0.30, 0.50, 0.17, 0.03, 0.00]])
    education = _categorical(rng, probs, group)
    school_level = np.select([age <= 11, age <= 14, age <= 17], [2, 3, 4], default=5)
    education = np.where(in_school, school_level, education)
    education = np.where(~in_school & (age < 16), np.where(age >= 7, 2, 0), education)
    return education.astype(np.int8)


def _skills(rng: np.random.Generator, worker: np.ndarray, ability: np.ndarray) -> np.ndarray:
    """Comma-joined occupation codes: 0-2 per worker, skilled workers at least one."""
    codes = sorted(reference.occupations())
    weight = np.array([3.0 if c.startswith("6-29") else 2.0 if c[0] in "45" else 1.0 for c in codes])
    n = len(worker)
    skilled = ability == ABILITIES.index("skilled")
    count = np.select([skilled, worker], [rng.choice([1, 2], n, p=[0.6, 0.4]),
                                          rng.choice([0, 1, 2], n, p=[0.4, 0.45, 0.15])], default=0)
    first = rng.choice(len(codes), n, p=weight / weight.sum())
    second = (first + rng.integers(1, len(codes), n)) % len(codes)
    low, high = np.minimum(first, second), np.maximum(first, second)
    table = np.array(codes, dtype=STR)
    pair = np.strings.add(np.strings.add(table[low], ","), table[high])
    empty = np.array("", dtype=STR)
    return np.where(count == 0, empty, np.where(count == 1, table[first], pair))


def _certificates(rng: np.random.Generator, worker: np.ndarray, ability: np.ndarray) -> np.ndarray:
    n = len(worker)
    skilled = ability == ABILITIES.index("skilled")
    count = np.select([skilled, worker], [rng.choice([0, 1, 2], n, p=[0.35, 0.55, 0.10]),
                                          rng.choice([0, 1], n, p=[0.94, 0.06])], default=0)
    table = np.array(wordlists.CERTIFICATES, dtype=STR)
    first = rng.integers(0, len(table), n)
    second = (first + rng.integers(1, len(table), n)) % len(table)
    low, high = np.minimum(first, second), np.maximum(first, second)
    pair = np.strings.add(np.strings.add(table[low], ","), table[high])
    return np.where(count == 0, np.array("", dtype=STR), np.where(count == 1, table[first], pair))


def place_mask_strings(separator: str = ",", labels: dict[str, str] | None = None) -> np.ndarray:
    """The 16 possible place sets as strings, indexed by the place bit mask."""
    out = []
    for mask in range(16):
        parts = [PLACES[i] for i in range(4) if mask >> i & 1]
        out.append(separator.join(labels[p] for p in parts) if labels else separator.join(parts))
    return np.array(out, dtype=STR)


def _accepted_places(rng: np.random.Generator, worker: np.ndarray, age: np.ndarray) -> np.ndarray:
    n = len(worker)
    u = rng.random((4, n))
    mask = ((u[0] < 0.9) * 1 + (u[1] < 0.65) * 2
            + (u[2] < np.where(age < 45, 0.55, 0.3)) * 4 + (u[3] < 0.02) * 8)
    mask = np.where(mask == 0, 1, mask)
    return np.where(worker, mask, 0).astype(np.uint8)


def _expected_wage_fen(rng: np.random.Generator, worker: np.ndarray, ability: np.ndarray,
                       places: np.ndarray) -> np.ndarray:
    n = len(worker)
    yuan = np.exp(rng.normal(np.log(3600), 0.28, n))
    yuan *= np.select([ability == 1, ability == 2], [1.25, 0.7], default=1.0)
    yuan *= np.where(places & 4, 1.1, 1.0)
    yuan = np.clip(np.rint(yuan / 100) * 100, 1500, 12000).astype(np.int64)
    return np.where(worker, yuan * 100, 0)


def make_persons(ctx: GenerateContext, households: Frame) -> Frame:
    rng = ctx.rng
    sizes = households["size"].astype(np.int64)
    n = int(sizes.sum())
    hh = np.repeat(np.arange(len(sizes)), sizes)
    member = np.arange(n) - households["first_person"][hh]
    kind, intended_age, male = _ages_and_kinds(rng, hh, member)
    birth = _birth_dates(rng, intended_age, ctx.as_of)
    age = age_on(birth, ctx.as_of)
    health = _health(rng, age)
    in_school = _in_school(rng, age)
    ability = _abilities(rng, age, health, in_school)
    worker = WORKING[ability] & (age >= codes.WORKER_MIN_AGE) & (age <= codes.WORKER_MAX_AGE)
    education = _education(rng, age, in_school)
    places = _accepted_places(rng, worker, age)
    district_code = households["district_code"][hh]
    has_phone = (age >= 16) & (~in_school | (rng.random(n) < 0.6)) & (rng.random(n) < 0.92)
    has_phone |= kind == HEAD
    phone = mobile_numbers(rng, n)
    return {
        "id": np.arange(1, n + 1, dtype=np.int64),
        "household_index": hh,
        "household_number": households["number"][hh],
        "name": _names(rng, hh, kind, male),
        "id_number": id_numbers(rng, district_code, birth, male),
        "relation": _relations(kind, male),
        "phone": np.where(has_phone, phone, np.array("", dtype=STR)),
        "district_code": district_code,
        "township_code": households["township_code"][hh],
        "village": households["village"][hh],
        "region_group": households["region_group"][hh],
        "category": households["category"][hh],
        "birth_date": birth,
        "age": age.astype(np.int16),
        "sex": np.where(male, "M", "F").astype("U1"),
        "labour_ability": np.array(ABILITIES, dtype=STR)[ability],
        "education": np.array(EDUCATIONS, dtype=STR)[education],
        "health": np.array(HEALTHS, dtype=STR)[health],
        "in_school": in_school,
        "is_worker": worker,
        "skills": _skills(rng, worker, ability),
        "certificates": _certificates(rng, worker, ability),
        "accepted_places": place_mask_strings()[places],
        "place_mask": places,
        "expected_wage_fen": _expected_wage_fen(rng, worker, ability, places),
    }
