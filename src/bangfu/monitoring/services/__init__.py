"""Writes of the monitoring app (each in one transaction with its audit row)."""

from bangfu.monitoring.services.facts import (
    WriteCounts,
    employment_months_write,
    household_incomes_write,
    kpi_months_mark_stale,
    months_touched_by_employment,
    months_touched_by_income,
    months_touched_by_target,
    targets_write,
)
from bangfu.monitoring.services.fill import FillError, FillReport, data_month_range, kpi_fill

__all__ = [
    "FillError", "FillReport", "WriteCounts", "data_month_range", "employment_months_write",
    "household_incomes_write", "kpi_fill", "kpi_months_mark_stale", "months_touched_by_employment",
    "months_touched_by_income", "months_touched_by_target", "targets_write",
]
