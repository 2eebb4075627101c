"""Names of the tables and columns the batch engine reads in place (Django-free).

These are the database names of Django models (``<app_label>_<model>``). The engine reads
only the columns listed here, so a model may grow columns without touching the engine; a
renamed column must be renamed here too (the engine tests build tables from these lists).

Other apps add their tables below, additively.
"""

from __future__ import annotations

# ---- registry -----------------------------------------------------------------------------
PERSON = "registry_person"
PERSON_COLUMNS = (
    "id", "household_id", "sex", "birth_date", "district_code", "township_code", "category",
    "labour_ability", "education", "health", "in_school", "skills", "certificates",
    "accepted_places", "expected_wage_fen",
)
HOUSEHOLD = "registry_household"
HOUSEHOLD_COLUMNS = ("id", "number", "district_code", "township_code", "category")
DIVISION = "registry_division"
DIVISION_COLUMNS = ("code", "name", "level", "parent_code", "region_group")
PLACE = "registry_place"
PLACE_COLUMNS = ("code", "name", "level", "parent_code", "cooperation_region")

# Labour abilities that make a person aged 16-65 a worker (DESIGN.md section 5).
WORKING_ABILITIES = ("ordinary", "skilled", "weak")
WORKER_MIN_AGE = 16
WORKER_MAX_AGE = 65
CITY_CODE = "50"

# ---- monitoring ---------------------------------------------------------------------------
EMPLOYMENT = "monitoring_employmentmonth"
EMPLOYMENT_COLUMNS = (
    "id", "person_id", "month", "place_class", "destination_code", "channel", "employer_name",
    "employer_uscc", "job_title", "occupation_code", "income_fen",
)
HOUSEHOLD_INCOME = "monitoring_householdincome"
HOUSEHOLD_INCOME_COLUMNS = (
    "id", "household_id", "year", "wage_fen", "business_fen", "property_fen", "transfer_fen",
    "total_fen",
)
TARGET = "monitoring_target"
TARGET_COLUMNS = ("id", "area_code", "year", "employment_target")

# KPI output tables (written by the monitoring service from the engine's Arrow results).
KPI_AREA = "monitoring_kpiarea"
KPI_AREA_COLUMNS = (
    "month", "area_code", "area_level", "parent_code", "workers", "employment_scale",
    "employed_ytd", "scale_last_year", "scale_last_month", "target", "income_year",
    "income_households", "wage_income_fen", "total_income_fen", "income_fen_sum",
    "income_reported",
)
KPI_BREAKDOWN = "monitoring_kpibreakdown"
KPI_BREAKDOWN_COLUMNS = ("month", "area_code", "dimension", "key", "employment_scale")

# Tables the KPI fill reads (the Spark path exports exactly these to Parquet).
KPI_INPUT_TABLES = (PERSON, HOUSEHOLD, DIVISION, PLACE, EMPLOYMENT, HOUSEHOLD_INCOME, TARGET)
