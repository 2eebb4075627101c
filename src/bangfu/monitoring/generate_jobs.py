"""Each worker's job of the year for the monitoring generator: place, destination, channel,
employer, occupation (``monitoring.generate``)."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from stdnum.cn import uscc

from bangfu import codes
from bangfu.core import reference

from bangfu.monitoring.generate_params import (
    SAME_ZONE_SHARE, PLACE_CLASSES, PLACE_WEIGHTS, PLACE_BITS, CHANNELS, REGION_WEIGHTS,
    BIG_CITIES, MONTHLY_YUAN, CHANNEL_YUAN, ABILITY_FACTOR, EMPLOYER_WORDS, EMPLOYER_TRADES,
    USCC_ALPHABET,
)


# ---- jobs ------------------------------------------------------------------------------------------
def _weighted_choice(rng, options: list, weights, size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def _destination_pools() -> dict[str, tuple[list[str], np.ndarray]]:
    pools: dict[str, tuple[list[str], list[float]]] = {}
    for code, row in reference.places().items():
        if code.startswith("50") or row["name"] in ("市辖区", "县"):
            continue
        if row["level"] == "province" and code not in ("11", "12"):
            continue
        region = row["cooperation_region"]
        codes, weights = pools.setdefault(region, ([], []))
        codes.append(code)
        weights.append(BIG_CITIES.get(code, 1))
    return {k: (codes, np.asarray(w, dtype=float) / sum(w)) for k, (codes, w) in pools.items()}


def _jobs(rng, ctx) -> dict[str, np.ndarray]:
    p = ctx.persons
    n = ctx.person_count
    mask = p["place_mask"].astype(np.uint8)
    allowed = (mask[:, None] & PLACE_BITS[None, :]) > 0
    allowed[mask == 0] = True
    weights = allowed * PLACE_WEIGHTS[None, :]
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    place_index = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, 3)
    place = PLACE_CLASSES[place_index]

    channel = np.empty(n, dtype=object)
    for cls, (options, w) in CHANNELS.items():
        sel = place == cls
        channel[sel] = _weighted_choice(rng, list(options), w, int(sel.sum()))

    destination = np.empty(n, dtype=object)
    sel = place == "in_county"
    own = np.asarray(p["township_code"].tolist(), dtype=object)
    district = np.asarray(p["district_code"].tolist(), dtype=object)
    destination[sel] = np.where(rng.random(int(sel.sum())) < 0.7, own[sel], district[sel])
    sel = place == "in_city"
    destination[sel] = _other_districts(rng, district[sel])
    sel = place == "out_of_city"
    pools = _destination_pools()
    region = _weighted_choice(rng, list(REGION_WEIGHTS), list(REGION_WEIGHTS.values()), int(sel.sum()))
    dest = np.empty(int(sel.sum()), dtype=object)
    for name, (pool, w) in pools.items():
        r = region == name
        dest[r] = np.asarray(pool, dtype=object)[rng.choice(len(pool), size=int(r.sum()), p=w)]
    destination[sel] = dest
    destination[place == "abroad"] = ""

    occupations = list(reference.occupations().values())
    occ_codes = np.asarray([o["code"] for o in occupations], dtype=object)
    occ_names = {o["code"]: o["name"] for o in occupations}
    # Per distinct value, then gathered: a few thousand skill lists among millions of persons.
    skill_of, skill_lists = pd.factorize(np.asarray(p["skills"].tolist(), dtype=object), use_na_sentinel=False)
    first_skill = np.asarray([s.split(",")[0] if s else "" for s in skill_lists], dtype=object)[skill_of]
    random_occ = occ_codes[rng.integers(0, len(occ_codes), n)]
    occupation = np.where((first_skill != "") & pd.Series(first_skill).isin(occ_codes).to_numpy(), first_skill, random_occ)
    occupation_of, distinct = pd.factorize(occupation, use_na_sentinel=False)
    job_title = np.asarray([occ_names.get(c, "") for c in distinct], dtype=object)[occupation_of]
    welfare = channel == "welfare_post"
    job_title[welfare] = _weighted_choice(rng, ["护林员", "保洁员", "道路养护员", "村级协管员"],
                                          [3, 3, 2, 2], int(welfare.sum()))
    occupation[welfare] = ""

    ability = np.asarray(p["labour_ability"].tolist(), dtype=object)
    base = np.zeros(n, dtype=float)
    for cls, yuan in MONTHLY_YUAN.items():
        base[place == cls] = yuan
    for ch, yuan in CHANNEL_YUAN.items():
        base[channel == ch] = yuan
    for ab, factor in ABILITY_FACTOR.items():
        base[ability == ab] *= factor
    base *= rng.lognormal(0.0, 0.15, n)
    employer_name, employer_uscc = _employers(rng, destination, channel, place)
    return {"place": place, "channel": channel, "destination": destination, "occupation": occupation,
            "job_title": job_title, "base_yuan": base, "employer_name": employer_name,
            "employer_uscc": employer_uscc}


def _other_districts(rng, own: np.ndarray) -> np.ndarray:
    """Another district: of the worker's own zone for SAME_ZONE_SHARE of them (万州 and 黔江 draw
    the north-east and south-east), else any district, weighted to the main metro."""
    districts = [(code, row["region_group"]) for code, row in reference.divisions().items()
                 if len(code) == 6]
    codes = np.asarray([c for c, _ in districts], dtype=object)
    zones = np.asarray([z for _, z in districts], dtype=object)
    w = np.asarray([3.0 if z == "main_metro" else 1.0 for _, z in districts])
    pick = codes[rng.choice(len(codes), size=len(own), p=w / w.sum())]
    home_zone = zones[np.searchsorted(codes, own.astype(str))] if len(own) else zones[:0]
    stay = rng.random(len(own)) < SAME_ZONE_SHARE
    for zone in np.unique(zones):
        sel = stay & (home_zone == zone)
        pool = codes[zones == zone]
        drawn = rng.integers(0, len(pool), int(sel.sum()))
        drawn = np.where(pool[drawn] == own[sel], (drawn + 1) % len(pool), drawn)  # not one's own
        pick[sel] = pool[drawn]
    same = pick == own
    pick[same] = codes[(np.searchsorted(codes, pick[same]) + 1) % len(codes)]
    return pick


def _employers(rng, destination: np.ndarray, channel: np.ndarray, place: np.ndarray):
    """About 40 workers per employer, named after the place; no employer for gig, flexible or own
    business; the township government for public-welfare posts."""
    n = len(destination)
    slots = rng.integers(0, 12, n)
    names = np.full(n, "", dtype=object)
    codes = np.full(n, "", dtype=object)
    has_employer = (pd.Series(channel).isin(["migrant", "local", "workshop", "welfare_post"]).to_numpy()
                    & (place != "abroad"))
    chosen = np.flatnonzero(has_employer)
    if not len(chosen):
        return names, codes
    # One employer per (destination, slot); a public-welfare post's is the place's government.
    places, place_of = np.unique(destination[chosen].astype(str), return_inverse=True)
    slot = np.where(channel[chosen] == "welfare_post", -1, slots[chosen])
    keys, key_of = np.unique(place_of.astype(np.int64) * 13 + slot + 1, return_inverse=True)
    found = [_employer(str(places[k // 13]), int(k % 13) - 1) for k in keys.tolist()]
    names[chosen] = np.asarray([f[0] for f in found], dtype=object)[key_of]
    codes[chosen] = np.asarray([f[1] for f in found], dtype=object)[key_of]
    return names, codes


@functools.lru_cache(maxsize=None)  # the same (place, slot) in both years, and in every run
def _employer(destination: str, slot: int) -> tuple[str, str]:
    place = reference.divisions().get(destination) or reference.places().get(destination) or {}
    place_name = place.get("name", "")
    if slot < 0:
        return f"{place_name}人民政府" if len(destination) == 9 else f"{place_name}人力资源和社会保障局", ""
    seed = int(destination or "0") * 31 + slot  # deterministic: no hash() randomisation
    word = EMPLOYER_WORDS[seed % len(EMPLOYER_WORDS)]
    trade = EMPLOYER_TRADES[(seed // 7) % len(EMPLOYER_TRADES)]
    name = f"{place_name}{word}{trade}有限公司"
    region = (destination[:6] if destination.startswith("50") else destination).ljust(6, "0")
    org = "".join(USCC_ALPHABET[(seed * (k + 3) + k * 7) % len(USCC_ALPHABET)] for k in range(8))
    body = f"91{region}{org}" + USCC_ALPHABET[(seed + len(org)) % 10]
    code = body + uscc.calc_check_digit(body + "0")
    return name, code if uscc.is_valid(code) else ""


def _next_year_jobs(rng, ctx, jobs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Most people keep their job; a fifth change to a newly drawn one, with 5% higher pay."""
    fresh = _jobs(rng, ctx)
    change = rng.random(ctx.person_count) < 0.2
    out = {k: np.where(change, fresh[k], v) for k, v in jobs.items()}
    out["base_yuan"] = out["base_yuan"] * 1.05
    return out


def _job_index(months: list[str]) -> list[int]:
    """Which of the two jobs a month uses: the first 12 months the first, then the second."""
    return [0 if i < len(months) - 12 else 1 for i in range(len(months))]
