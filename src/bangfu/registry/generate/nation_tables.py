"""The national scenario's tables and area tree (``bangfu.registry.generate.nation`` writes
them): the column types of a Chongqing ``export_parquet``, the synthetic province weights, and
nation -> province -> prefecture -> synthetic county from the shipped places list. Django-free."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

NATION_CODE = "CN"
NATION_NAME = "全国"
COUNTIES_PER_PREFECTURE = 8

# Synthetic: per-mille share of each province in the 98.99 M (normalised below).
PROVINCE_WEIGHTS = {
    "11": 0.5, "12": 0.5, "13": 40, "14": 35, "15": 15, "21": 10, "22": 10, "23": 15,
    "31": 0.5, "32": 5, "33": 3, "34": 50, "35": 5, "36": 40, "37": 20, "41": 70,
    "42": 60, "43": 70, "44": 10, "45": 75, "46": 6, "50": 19.2, "51": 80, "52": 90,
    "53": 90, "54": 7, "61": 45, "62": 60, "63": 6, "64": 6, "65": 30,
}
# Synthetic: where work in another province goes (province code: weight; the rest share 1).
DESTINATION_WEIGHTS = {"44": 25, "33": 15, "32": 12, "35": 7, "31": 6, "11": 4, "37": 4}

_S, _I, _T, _D, _B = pa.string(), pa.int64(), pa.timestamp("us"), pa.date32(), pa.bool_()
# The columns and types of a Chongqing database's export_parquet (the test checks it).
SCHEMAS: dict[str, pa.Schema] = {
    "registry_person": pa.schema([
        ("id", _I), ("created_at", _T), ("updated_at", _T), ("name", _S), ("id_number", _S),
        ("id_number_hash", _S), ("sex", _S), ("birth_date", _D), ("relation", _S), ("phone", _S),
        ("phone_hash", _S), ("district_code", _S), ("township_code", _S), ("village", _S),
        ("category", _S), ("labour_ability", _S), ("education", _S), ("health", _S), ("in_school", _B),
        ("skills", _S), ("certificates", _S), ("accepted_places", _S), ("expected_wage_fen", _I),
        ("content_hash", _S), ("household_id", _I)]),
    "registry_household": pa.schema([
        ("id", _I), ("created_at", _T), ("updated_at", _T), ("number", _S), ("district_code", _S),
        ("township_code", _S), ("village", _S), ("category", _S)]),
    "registry_division": pa.schema([
        ("code", _S), ("name", _S), ("level", _S), ("parent_code", _S), ("region_group", _S)]),
    "registry_place": pa.schema([
        ("code", _S), ("name", _S), ("level", _S), ("parent_code", _S), ("cooperation_region", _S)]),
    "monitoring_employmentmonth": pa.schema([
        ("id", _I), ("created_at", _T), ("updated_at", _T), ("month", _S), ("place_class", _S),
        ("destination_code", _S), ("channel", _S), ("employer_name", _S), ("employer_uscc", _S),
        ("job_title", _S), ("occupation_code", _S), ("income_fen", _I), ("person_id", _I)]),
    "monitoring_householdincome": pa.schema([
        ("id", _I), ("created_at", _T), ("updated_at", _T), ("year", _I), ("wage_fen", _I),
        ("business_fen", _I), ("property_fen", _I), ("transfer_fen", _I), ("total_fen", _I),
        ("household_id", _I)]),
    "monitoring_target": pa.schema([
        ("id", _I), ("created_at", _T), ("updated_at", _T), ("area_code", _S), ("year", _I),
        ("employment_target", _I)]),
}
CHUNKED = ("registry_person", "registry_household", "monitoring_employmentmonth", "monitoring_householdincome")


# --------------------------------------------------------------------------------------------
# The area tree
# --------------------------------------------------------------------------------------------
@dataclass
class NationAreas:
    """Provinces, prefectures and synthetic counties, with how many persons each county has."""

    provinces: list[dict]
    prefectures: list[dict]  # code (6), name, province, city (4-digit place code)
    counties: np.ndarray  # 9-digit codes, in prefecture order
    county_prefecture: np.ndarray  # index into prefectures
    county_persons: np.ndarray  # int64


def place_rows() -> list[dict[str, str]]:
    from bangfu.core.reference import PLACES_FILE, read_rows

    return read_rows(PLACES_FILE)


def nation_areas(persons: int, seed: int) -> NationAreas:
    rng = np.random.default_rng([seed, 16])
    rows = place_rows()
    provinces = [r for r in rows if r["level"] == "province"]
    unknown = {r["code"] for r in provinces} ^ set(PROVINCE_WEIGHTS)
    if unknown:
        raise ValueError(f"PROVINCE_WEIGHTS and the places list differ on {sorted(unknown)}")
    prefectures = [{"code": r["code"] + "00", "name": r["name"], "province": r["parent_code"], "city": r["code"]}
                   for r in rows if r["level"] == "city"]
    weights = []
    for p in provinces:
        own = [f for f in prefectures if f["province"] == p["code"]]
        share = rng.dirichlet(np.full(len(own), 4.0))
        total = PROVINCE_WEIGHTS[p["code"]] / sum(PROVINCE_WEIGHTS.values())
        weights.extend(((f["code"], total * s) for f, s in zip(own, share)))
    by_code = {code: w for code, w in weights}
    counties, county_prefecture, county_w = [], [], []
    for i, f in enumerate(prefectures):
        split = rng.dirichlet(np.full(COUNTIES_PER_PREFECTURE, 6.0))
        for k in range(COUNTIES_PER_PREFECTURE):
            counties.append(f"{f['code']}{k + 1:03d}")
            county_prefecture.append(i)
            county_w.append(by_code[f["code"]] * split[k])
    w = np.array(county_w)
    counts = rng.multinomial(persons, w / w.sum())
    return NationAreas(provinces, prefectures, np.array(counties), np.array(county_prefecture),
                       counts.astype(np.int64))


def division_table(areas: NationAreas) -> pa.Table:
    codes_, names, levels, parents, groups = [NATION_CODE], [NATION_NAME], ["nation"], [""], [""]
    for p in areas.provinces:
        codes_.append(p["code"]); names.append(p["name"]); levels.append("province")
        parents.append(NATION_CODE); groups.append(p["code"])
    for f in areas.prefectures:
        codes_.append(f["code"]); names.append(f["name"]); levels.append("prefecture")
        parents.append(f["province"]); groups.append(f["province"])
    for code, pi in zip(areas.counties.tolist(), areas.county_prefecture.tolist()):
        f = areas.prefectures[pi]
        codes_.append(code); names.append(f"{f['name']}模拟县{int(code[-3:])}"); levels.append("county")
        parents.append(f["code"]); groups.append(f["province"])
    return pa.table({"code": codes_, "name": names, "level": levels, "parent_code": parents,
                     "region_group": groups}, schema=SCHEMAS["registry_division"])


def place_table() -> pa.Table:
    rows = place_rows()
    return pa.table({k: [r[k] for r in rows] for k in ("code", "name", "level", "parent_code", "cooperation_region")},
                    schema=SCHEMAS["registry_place"])
