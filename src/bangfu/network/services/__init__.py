"""Writes of the service network; each service is one transaction with its audit row."""

from bangfu.network.errors import NetworkError
from bangfu.network.services.helpers import (
    Call, caseload_assign, caseload_end, helper_account_set, helper_advance, helper_apply, helper_of, helper_withdraw,
    network_service_record, outflow_batch_create, person_call,
)
from bangfu.network.services.markets import (
    gig_match_record, gig_posting_create, market_review_record, market_save, market_service_record,
)
from bangfu.network.services.workshops import (
    open_members, workshop_apply, workshop_exit, workshop_member_save, workshop_rating_record,
    workshop_recognise, workshop_start,
)

__all__ = [
    "Call", "NetworkError", "caseload_assign", "caseload_end", "gig_match_record", "gig_posting_create",
    "helper_account_set", "helper_advance", "helper_apply", "helper_of", "helper_withdraw", "market_review_record", "market_save",
    "market_service_record", "network_service_record", "open_members", "outflow_batch_create", "person_call",
    "workshop_apply", "workshop_exit", "workshop_member_save", "workshop_rating_record", "workshop_recognise",
    "workshop_start",
]
