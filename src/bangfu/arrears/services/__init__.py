"""Writes of the arrears desk: each one transaction with its audit row (and, for the worker, a message)."""

from bangfu.arrears.services.casework import (
    CaseError,
    case_escalate_overdue,
    case_extend,
    case_note_add,
    case_payment_record,
    case_transfer,
    case_transition,
)
from bangfu.arrears.services.intake import IntakeResult, case_intake
from bangfu.arrears.services.offices import office_member_set, office_upsert

__all__ = [
    "CaseError", "IntakeResult", "case_escalate_overdue", "case_extend", "case_intake",
    "case_note_add", "case_payment_record", "case_transfer", "case_transition", "office_member_set",
    "office_upsert",
]
