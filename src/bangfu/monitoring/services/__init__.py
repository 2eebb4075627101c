"""Writes of the monitoring app (each in one transaction with its audit row)."""

from bangfu.monitoring.services.facts import (
    FactsError,
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
from bangfu.monitoring.services.reports import MonthReportError, month_close, month_reopen, months_close_bulk

__all__ = [
    "FactsError", "FillError", "FillReport", "MonthReportError", "WriteCounts", "data_month_range",
    "employment_months_write", "household_incomes_write", "kpi_fill", "kpi_months_mark_stale",
    "month_close", "month_reopen", "months_close_bulk", "months_touched_by_employment", "months_touched_by_income",
    "months_touched_by_target", "targets_write",
]
