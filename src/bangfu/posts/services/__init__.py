"""Writes of public-welfare posts; each function runs in one transaction and writes its audit row."""

from bangfu.posts.services.attendance import Counts, attendance_approve, attendance_record, placement_for_month
from bangfu.posts.services.pay import PayRunResult, pay_amount, post_pay_batch_create, post_pay_run
from bangfu.posts.services.placements import (
    contract_limit, placement_create, placement_exit, placement_sign, placement_withdraw, post_ranking,
)
from bangfu.posts.services.posts import post_approve, post_request, post_request_correct, post_review
from bangfu.posts.services.roster import placement_record

__all__ = [
    "Counts", "PayRunResult", "attendance_approve", "attendance_record", "contract_limit", "pay_amount",
    "placement_create", "placement_exit", "placement_record", "placement_for_month", "placement_sign", "placement_withdraw",
    "post_approve", "post_pay_batch_create", "post_pay_run", "post_ranking", "post_request", "post_request_correct", "post_review",
]
