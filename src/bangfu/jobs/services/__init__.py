"""Writes of 渝职聘. Each function is one transaction that writes its own audit row."""

from bangfu.jobs.services.errors import JobsError
from bangfu.jobs.services.outcomes import (
    application_hire, application_refer, application_set_status, export_batch_create,
    service_record_create,
)
from bangfu.jobs.services.postings import posting_close, posting_create, posting_update, postings_expire
from bangfu.jobs.services.push import MatchResult, match_run

__all__ = [
    "JobsError", "MatchResult", "application_hire", "application_refer", "application_set_status",
    "export_batch_create",
    "match_run", "posting_close", "posting_create", "posting_update", "postings_expire",
    "service_record_create",
]
