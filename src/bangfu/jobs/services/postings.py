"""Postings: create, update, close (employers are registered by ``bangfu.employers.services``).
Postings expire by themselves (their state is derived from ``valid_until``); ``postings_expire``
only reports and audits what expired."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.employers.models import Employer
from bangfu.jobs.models import JobPosting
from bangfu.jobs.services.errors import JobsError
from bangfu.jobs.validation import certificates_text, posting_check, posting_derived

ERR_POSTING_INVALID = "岗位信息有误，请按提示修改"
POSTING_FIELDS = (
    "title", "occupation_code", "work_place_code", "abroad", "headcount", "filled_count",
    "wage_min_fen", "wage_max_fen", "age_min", "age_max", "required_certificates",
    "min_labour_ability", "accommodation", "transport", "valid_from", "valid_until", "source",
    "description", "external_id",
)
POSTING_DEFAULTS = {"abroad": False, "filled_count": 0, "age_min": 16, "age_max": 65,
                    "required_certificates": "", "min_labour_ability": "ordinary",
                    "accommodation": False, "transport": False, "source": "local",
                    "description": "", "external_id": "", "work_place_code": ""}



def _posting_values(values: dict, *, today: dt.date, new: bool, current: JobPosting | None = None) -> dict:
    merged = dict(POSTING_DEFAULTS) if new else {f: getattr(current, f) for f in POSTING_FIELDS}
    merged.update({k: v for k, v in values.items() if k in POSTING_FIELDS})
    merged["required_certificates"] = certificates_text(merged.get("required_certificates"))
    merged["title"] = (merged.get("title") or "").strip()
    merged["work_place_code"] = (merged.get("work_place_code") or "").strip()
    merged["occupation_code"] = (merged.get("occupation_code") or "").strip()
    if merged.get("valid_from") is None:
        merged["valid_from"] = today
    errors = posting_check(merged, today=today, new=new)
    if not merged["title"]:
        errors.setdefault("title", "岗位名称不能为空")
    if not merged.get("valid_until"):
        errors.setdefault("valid_until", "请填写有效期止")
    if errors:
        raise JobsError(ERR_POSTING_INVALID, errors)
    merged.update(posting_derived(merged))
    return merged


@transaction.atomic
def posting_create(*, actor: Actor, employer: Employer, today: dt.date | None = None, **values) -> JobPosting:
    """A new posting; refused with Chinese field messages when its values are wrong."""
    today = today or timezone.localdate()
    clean = _posting_values(values, today=today, new=True)
    posting = JobPosting.objects.create(employer=employer, owner_area_code=actor.area_code, **clean)
    audit_record(actor=actor, action="posting.create", obj=posting,
                 detail={"title": posting.title, "employer": employer.pk, "headcount": posting.headcount})
    return posting


@transaction.atomic
def posting_update(*, actor: Actor, posting: JobPosting, today: dt.date | None = None, **values) -> JobPosting:
    today = today or timezone.localdate()
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    clean = _posting_values(values, today=today, new=False, current=posting)
    changed = [k for k, v in clean.items() if getattr(posting, k) != v]
    for key in changed:
        setattr(posting, key, clean[key])
    if changed:
        posting.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="posting.update", obj=posting, detail={"fields": sorted(changed)})
    return posting


@transaction.atomic
def posting_close(*, actor: Actor, posting: JobPosting, reason: str = "") -> JobPosting:
    posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    if not posting.closed:
        posting.closed = True
        posting.save(update_fields=["closed", "updated_at"])
        audit_record(actor=actor, action="posting.close", obj=posting, detail={"reason": reason[:200]})
    return posting


def postings_expire(*, actor: Actor, on: dt.date | None = None) -> int:
    """How many postings expired on the day before ``on`` (they expire by themselves: nothing is
    written to the postings; one audit row records the count for the operations log)."""
    on = on or timezone.localdate()
    count = JobPosting.objects.filter(valid_until=on - dt.timedelta(days=1), closed=False).count()
    if count:
        audit_record(actor=actor, action="posting.expire", detail={"count": count, "day": str(on)})
    return count
