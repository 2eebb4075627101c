"""Names of the tables the batch engine reads in place (Django-free).

These are the database names of Django models (``<app_label>_<model>``); the engine reads
them through Ibis, so a model may grow columns without touching the engine. Code lists and
the worker definition are ``bangfu.codes``.

Other apps add their tables below, additively.
"""

from __future__ import annotations

# ---- registry -----------------------------------------------------------------------------
PERSON = "registry_person"
HOUSEHOLD = "registry_household"
DIVISION = "registry_division"
PLACE = "registry_place"

# ---- monitoring ---------------------------------------------------------------------------
EMPLOYMENT = "monitoring_employmentmonth"
HOUSEHOLD_INCOME = "monitoring_householdincome"
TARGET = "monitoring_target"

# Columns of the KPI output tables monitoring_kpiarea and monitoring_kpibreakdown, in the order
# the monitoring service writes the engine's Arrow results.
KPI_AREA_COLUMNS = (
    "month", "area_code", "area_level", "parent_code", "workers", "employment_scale",
    "employed_ytd", "scale_last_year", "scale_last_month", "target", "income_year",
    "income_households", "wage_income_fen", "total_income_fen", "income_fen_sum",
    "income_reported",
)
KPI_BREAKDOWN_COLUMNS = ("month", "area_code", "dimension", "key", "employment_scale")

# Tables the KPI fill reads (the Spark path exports exactly these to Parquet).
KPI_INPUT_TABLES = (PERSON, HOUSEHOLD, DIVISION, PLACE, EMPLOYMENT, HOUSEHOLD_INCOME, TARGET)
