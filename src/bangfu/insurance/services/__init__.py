"""Writes of the insurance app, one transaction and one audit row each (re-exported here)."""

from bangfu.insurance.services.coverage import (
    coverage_follow_up_record, coverage_refresh, coverage_rules, vulnerable_group_record,
)
from bangfu.insurance.services.injury import (
    injury_case_assess, injury_case_confirm, injury_case_pay, injury_case_report, order_declaration_submit,
    platform_register,
)
from bangfu.insurance.services.unemployment import employer_area, ui_contribution_record

__all__ = [
    "coverage_follow_up_record", "coverage_refresh", "coverage_rules", "employer_area", "injury_case_assess", "injury_case_confirm",
    "injury_case_pay", "injury_case_report", "order_declaration_submit", "platform_register",
    "ui_contribution_record", "vulnerable_group_record",
]
