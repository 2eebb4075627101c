"""KPI definitions (DESIGN.md section 5) on hand-built data where every figure is worked out.

No Django: the tables are created with plain SQL under the names of ``bangfu.engine.schema``.

The people (ages on 2024-09-30; 丰都 500230 and 万州 are 渝东北, 渝中 500103 主城, 黔江 500114 渝东南):

    id  home township    born        ability   household
    1   500230101 丰都    1980-05-01  ordinary  1
    2   500230101 丰都    1990-01-01  skilled   1
    3   500230101 丰都    2008-10-01  ordinary  1   15 in Sept 2024, 16 from 1 Oct 2024
    4   500230102 丰都    1958-10-01  weak      2   65 in Sept 2024, 66 from 1 Oct 2024
    5   500230102 丰都    1975-03-03  lost      2   never a worker
    6   500103001 渝中    1985-06-01  ordinary  3
    7   500114001 黔江    1970-07-07  ordinary  4
    8   500114001 黔江    1995-02-02  none      4   never a worker
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bangfu.core.months import shift_month
from bangfu.engine.backends import open_engine
from bangfu.engine.kpi import KpiInputs, compute_kpis, ratios, worker_birth_window

DIVISIONS = [
    ("500230", "丰都县", "county", "50", "northeast"),
    ("500230101", "虎威镇", "town", "500230", "northeast"),
    ("500230102", "社坛镇", "town", "500230", "northeast"),
    ("500103", "渝中区", "district", "50", "main_metro"),
    ("500103001", "七星岗街道", "subdistrict", "500103", "main_metro"),
    ("500114", "黔江区", "district", "50", "southeast"),
    ("500114001", "城东街道", "subdistrict", "500114", "southeast"),
]
PLACES = [
    ("11", "北京市", "province", "", ""),
    ("32", "江苏省", "province", "", "yangtze_delta"),
    ("3205", "苏州市", "city", "32", "yangtze_delta"),
    ("44", "广东省", "province", "", ""),
    ("4401", "广州市", "city", "44", "pearl_delta"),
    ("4403", "深圳市", "city", "44", "pearl_delta"),
]
HOUSEHOLDS = [
    (1, "H1", "500230", "500230101", "alleviated"),
    (2, "H2", "500230", "500230102", "alleviated"),
    (3, "H3", "500103", "500103001", "monitored"),
    (4, "H4", "500114", "500114001", "alleviated"),
]
PERSONS = [  # id, household, birth, district, township, ability
    (1, 1, "1980-05-01", "500230", "500230101", "ordinary"),
    (2, 1, "1990-01-01", "500230", "500230101", "skilled"),
    (3, 1, "2008-10-01", "500230", "500230101", "ordinary"),
    (4, 2, "1958-10-01", "500230", "500230102", "weak"),
    (5, 2, "1975-03-03", "500230", "500230102", "lost"),
    (6, 3, "1985-06-01", "500103", "500103001", "ordinary"),
    (7, 4, "1970-07-07", "500114", "500114001", "ordinary"),
    (8, 4, "1995-02-02", "500114", "500114001", "none"),
]
EMPLOYMENT = [  # person, month, place class, destination, channel, income (fen) or None
    (1, "2023-09", "out_of_city", "4401", "migrant", 550000),
    (4, "2023-09", "in_county", "500230102", "welfare_post", None),
    (6, "2023-09", "in_county", "500103001", "local", 380000),
    (2, "2023-12", "in_city", "500103001", "migrant", 480000),
    (2, "2024-01", "in_county", "500230101", "gig", 200000),
    (1, "2024-08", "out_of_city", "4403", "migrant", 600000),
    (7, "2024-08", "out_of_city", "3205", "migrant", 650000),
    (1, "2024-09", "out_of_city", "4403", "migrant", 600000),
    (2, "2024-09", "in_city", "500103001", "migrant", 500000),
    (3, "2024-09", "in_county", "500230101", "gig", 100000),  # aged 15: not a worker yet
    (4, "2024-09", "in_county", "500230102", "welfare_post", None),
    (5, "2024-09", "in_county", "500230102", "workshop", 90000),  # lost ability: not a worker
    (6, "2024-09", "in_county", "500103001", "local", 400000),
    (3, "2024-10", "in_county", "500230101", "gig", 120000),  # 16 now
    (4, "2024-10", "in_county", "500230102", "welfare_post", None),  # 66 now
    (7, "2024-10", "abroad", "", "migrant", 900000),
]
INCOMES = [  # household, year, wage, total (fen)
    (1, 2023, 3_000_000, 4_000_000),
    (2, 2023, 1_000_000, 2_000_000),
    (3, 2023, 2_000_000, 2_500_000),
    (4, 2023, 500_000, 1_500_000),
    (1, 2024, 9_000_000, 9_000_000),  # 2024 is not complete in Sept 2024: not used then
]
TARGETS = [  # area, year, target
    ("500230", 2024, 3),
    ("500230101", 2024, 1),  # the district's own target wins over its townships'
    ("500103", 2024, 2),
]

DDL = [
    'CREATE TABLE registry_division (code varchar(12) PRIMARY KEY, name varchar(60), '
    'level varchar(20), parent_code varchar(12), region_group varchar(20))',
    'CREATE TABLE registry_place (code varchar(6) PRIMARY KEY, name varchar(60), level varchar(10), '
    'parent_code varchar(6), cooperation_region varchar(20))',
    'CREATE TABLE registry_household (id bigint PRIMARY KEY, number varchar(32), '
    'district_code varchar(6), township_code varchar(9), category varchar(20))',
    'CREATE TABLE registry_person (id bigint PRIMARY KEY, household_id bigint, birth_date date NOT NULL, '
    'district_code varchar(6), township_code varchar(9), labour_ability varchar(20))',
    'CREATE TABLE monitoring_employmentmonth (id bigint PRIMARY KEY, person_id bigint NOT NULL, '
    'month varchar(7) NOT NULL, place_class varchar(20) NOT NULL, destination_code varchar(12) NOT NULL, '
    'channel varchar(20) NOT NULL, income_fen bigint NULL)',
    'CREATE TABLE monitoring_householdincome (id bigint PRIMARY KEY, household_id bigint, year integer, '
    'wage_fen bigint, total_fen bigint)',
    'CREATE TABLE monitoring_target (id bigint PRIMARY KEY, area_code varchar(12), year integer, '
    'employment_target integer)',
]


def _numbered(rows):
    return [(i, *row) for i, row in enumerate(rows, start=1)]


def table_rows(persons=PERSONS, employment=EMPLOYMENT, incomes=INCOMES, targets=TARGETS):
    return {
        "registry_division": DIVISIONS,
        "registry_place": PLACES,
        "registry_household": HOUSEHOLDS,
        "registry_person": persons,
        "monitoring_employmentmonth": _numbered(employment),
        "monitoring_householdincome": _numbered(incomes),
        "monitoring_target": _numbered(targets),
    }


def build_sqlite(path: Path, **rows) -> Path:
    conn = sqlite3.connect(path)
    for statement in DDL:
        conn.execute(statement)
    for table, values in table_rows(**rows).items():
        if values:
            marks = ", ".join("?" * len(values[0]))
            conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    conn.commit()
    conn.close()
    return path


def build_postgres(url: str, **rows) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in DDL:
            conn.execute(statement)
        with conn.cursor() as cur:
            for table, values in table_rows(**rows).items():
                if values:
                    marks = ", ".join(["%s"] * len(values[0]))
                    cur.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    return url


@pytest.fixture
def kpi_db(tmp_path):
    return build_sqlite(tmp_path / "kpi.sqlite3")


@pytest.fixture
def september(kpi_db):
    with open_engine("duckdb", sqlite_path=kpi_db) as engine:
        result = compute_kpis(KpiInputs.from_engine(engine), ["2024-09", "2024-10"])
    return {r["area_code"]: r for r in result.area_rows("2024-09")}, result


def by(result, month, area, dimension):
    return {r["key"]: r["employment_scale"] for r in result.breakdown_rows(month)
            if r["area_code"] == area and r["dimension"] == dimension}


# ---- the worker definition --------------------------------------------------------------------
def test_a_worker_is_16_to_65_inclusive_on_the_last_day_of_the_month():
    oldest, youngest = worker_birth_window("2024-09")
    assert str(youngest) == "2008-09-30"  # 16th birthday on the last day: a worker
    assert str(oldest) == "1958-10-01"  # 66th birthday on 1 October: still 65 on 30 September


def test_month_arithmetic_crosses_year_ends():
    assert shift_month("2024-01", -1) == "2023-12"
    assert shift_month("2024-09", -12) == "2023-09"


def test_workers_count_only_working_age_persons_able_to_work(september):
    rows, _ = september
    # 1, 2, 4 (丰都), 6 (渝中), 7 (黔江); 3 is 15, 5 lost, 8 none.
    assert rows["50"]["workers"] == 5
    assert rows["500230"]["workers"] == 3
    assert rows["500114"]["workers"] == 1


def test_employment_scale_counts_workers_with_a_month_of_work(september):
    rows, _ = september
    # 1, 2, 4, 6; person 3 (aged 15) and person 5 (lost ability) worked but are not workers.
    assert rows["50"]["employment_scale"] == 4
    assert rows["500230"]["employment_scale"] == 3
    assert rows["500230101"]["employment_scale"] == 2
    assert rows["500230102"]["employment_scale"] == 1
    assert rows["northeast"]["employment_scale"] == 3
    assert rows["main_metro"]["employment_scale"] == 1
    assert rows["southeast"]["employment_scale"] == 0


def test_a_birthday_moves_people_in_and_out_of_the_worker_count(september):
    _, result = september
    october = {r["area_code"]: r for r in result.area_rows("2024-10")}
    # 3 turns 16 and counts; 4 turns 66 and drops out, though both worked in October.
    assert october["50"]["workers"] == 5
    assert october["50"]["employment_scale"] == 2  # 3 and 7 (abroad)


def test_employed_year_to_date_counts_any_month_since_january_for_current_workers(september):
    rows, result = september
    # 1 (Aug, Sep), 2 (Jan, Sep), 4, 6 (Sep), 7 (Aug); December 2023 does not count.
    assert rows["50"]["employed_ytd"] == 5
    assert rows["500114"]["employed_ytd"] == 1
    october = {r["area_code"]: r for r in result.area_rows("2024-10")}
    assert october["50"]["employed_ytd"] == 5  # 4 left (aged 66), 3 joined


def test_year_on_year_compares_with_the_same_month_last_year(september):
    rows, _ = september
    assert rows["50"]["scale_last_year"] == 3  # 1, 4, 6 in Sept 2023
    assert ratios(rows["50"])["yoy"] == round(4 / 3 - 1, 4)
    assert rows["500230"]["scale_last_year"] == 2
    assert ratios(rows["500230"])["yoy"] == 0.5


def test_month_on_month_compares_with_the_previous_month(september):
    rows, _ = september
    assert rows["50"]["scale_last_month"] == 2  # 1 and 7 in August
    assert ratios(rows["50"])["mom"] == 1.0


def test_target_completion_uses_the_areas_own_target_else_the_sum_of_its_parts(september):
    rows, _ = september
    assert rows["500230"]["target"] == 3  # its own, not its township's 1
    assert rows["500230101"]["target"] == 1
    assert rows["500230102"]["target"] is None
    assert rows["northeast"]["target"] == 3
    assert rows["southeast"]["target"] is None
    assert rows["50"]["target"] == 5  # 3 + 2
    assert ratios(rows["50"])["target_completion"] == 0.8
    assert ratios(rows["500230"])["target_completion"] == 1.0


def test_an_explicit_city_target_wins(tmp_path):
    db = build_sqlite(tmp_path / "k.sqlite3", targets=TARGETS + [("50", 2024, 8)])
    with open_engine("sqlite", sqlite_path=db) as engine:
        result = compute_kpis(KpiInputs.from_engine(engine), ["2024-09"])
    city = result.area_rows("2024-09")[0]
    assert (city["area_code"], city["target"]) == ("50", 8)
    assert ratios(city)["target_completion"] == 0.5


def test_wage_income_share_uses_the_previous_complete_year(september):
    rows, _ = september
    assert rows["50"]["income_year"] == 2023
    assert (rows["50"]["wage_income_fen"], rows["50"]["total_income_fen"]) == (6_500_000, 10_000_000)
    assert ratios(rows["50"])["wage_income_share"] == 0.65
    assert ratios(rows["northeast"])["wage_income_share"] == round(4 / 6, 4)
    assert rows["50"]["income_households"] == 4


def test_monthly_income_is_summed_over_those_who_reported_it(september):
    rows, _ = september
    assert rows["50"]["income_fen_sum"] == 1_500_000  # 1, 2, 6; person 4 reported none
    assert rows["50"]["income_reported"] == 3


def test_breakdowns_split_the_scale_by_place_channel_zone_and_cooperation_region(september):
    _, result = september
    assert by(result, "2024-09", "50", "place_class") == {"out_of_city": 1, "in_city": 1, "in_county": 2}
    assert by(result, "2024-09", "50", "channel") == {"migrant": 2, "welfare_post": 1, "local": 1}
    assert by(result, "2024-09", "50", "region_group") == {"northeast": 3, "main_metro": 1}
    assert by(result, "2024-09", "50", "cooperation_region") == {"pearl_delta": 1}
    assert by(result, "2024-09", "500230101", "channel") == {"migrant": 2}


def test_cross_zone_flows_go_from_the_home_zone_to_the_work_zone(september):
    _, result = september
    assert by(result, "2024-09", "50", "flow") == {
        "northeast>outside": 1,  # 1 in Shenzhen
        "northeast>main_metro": 1,  # 2 in 渝中: a main_metro job filled from 渝东北
        "northeast>northeast": 1,  # 4 in the county
        "main_metro>main_metro": 1,  # 6
    }


def test_out_of_city_work_outside_the_cooperation_regions_is_other(tmp_path):
    db = build_sqlite(tmp_path / "k.sqlite3",
                      employment=[(1, "2024-09", "out_of_city", "11", "migrant", 1)])
    with open_engine("duckdb", sqlite_path=db) as engine:
        result = compute_kpis(KpiInputs.from_engine(engine), ["2024-09"])
    assert by(result, "2024-09", "50", "cooperation_region") == {"other": 1}


def test_rows_follow_the_drill_down_path_city_zone_district_township(september):
    rows, _ = september
    assert (rows["50"]["area_level"], rows["50"]["parent_code"]) == ("city", "")
    assert (rows["northeast"]["area_level"], rows["northeast"]["parent_code"]) == ("region_group", "50")
    assert (rows["500230"]["area_level"], rows["500230"]["parent_code"]) == ("district", "northeast")
    assert (rows["500230102"]["area_level"], rows["500230102"]["parent_code"]) == ("township", "500230")


def test_a_month_without_any_employment_records_has_no_rows_rather_than_zeros(kpi_db):
    with open_engine("duckdb", sqlite_path=kpi_db) as engine:
        result = compute_kpis(KpiInputs.from_engine(engine), ["2024-09", "2024-11"])
    assert result.months == ["2024-09"]
    assert result.empty_months == ["2024-11"]
    assert result.area_rows("2024-11") == []
    assert result.breakdown_rows("2024-11") == []


def test_year_on_year_is_unknown_when_last_year_has_no_data(september):
    _, result = september
    october = {r["area_code"]: r for r in result.area_rows("2024-10")}
    assert october["50"]["scale_last_year"] is None  # nothing recorded for October 2023
    assert ratios(october["50"])["yoy"] is None
