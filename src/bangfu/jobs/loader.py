"""Loading generated employers and postings (``bangfu generate --load``).

The generated frames are dated relative to the generator's ``as_of`` day; when loaded, their
validity is moved so that ``as_of`` falls on the load day — generated postings are current and
the demo can match and push at once (the frames themselves stay deterministic).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction
from django.utils import timezone

from bangfu.core.actors import SYSTEM
from bangfu.core.audit import audit_record
from bangfu.core.pii import pii_hash
from bangfu.employers.models import Employer
from bangfu.jobs.models import JobPosting
from bangfu.core.places import place_facts

BATCH = 2000


@transaction.atomic
def load_generated(employers: dict, postings: dict, *, as_of: dt.date, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    shift = np.timedelta64((today - as_of).days, "D")
    facts_cache: dict[str, object] = {}

    def facts(code: str):
        if code not in facts_cache:
            facts_cache[code] = place_facts(code)
        return facts_cache[code]

    existing = set(Employer.objects.values_list("uscc", flat=True))
    rows = []
    keep_index = []
    for i, (name, uscc, place, credit, phone) in enumerate(zip(
            employers["name"].tolist(), employers["uscc"].tolist(), employers["place_code"].tolist(),
            employers["credit"].tolist(), employers["contact_phone"].tolist())):
        if uscc in existing:
            keep_index.append(uscc)
            continue
        existing.add(uscc)
        f = facts(place)
        rows.append(Employer(name=name, uscc=uscc, place_code=f.code if f else "",
                             district_code=f.district_code if f else "",
                             township_code=f.township_code if f else "",
                             cooperation_region=f.cooperation_region if f else "",
                             contact_name="人事部", contact_phone=phone, contact_phone_hash=pii_hash(phone),
                             credit_rating=credit, owner_area_code=(f.district_code if f and f.district_code else "50")))
        keep_index.append(uscc)
    Employer.objects.bulk_create(rows, batch_size=BATCH)
    ids = dict(Employer.objects.filter(uscc__in=set(keep_index)).values_list("uscc", "pk"))
    employer_ids = [ids[u] for u in keep_index]

    valid_from = (postings["valid_from"] + shift).astype(object)
    valid_until = (postings["valid_until"] + shift).astype(object)
    posting_rows = []
    for i in range(len(postings["title"])):
        code = str(postings["work_place_code"][i])
        f = facts(code)
        posting_rows.append(JobPosting(
            employer_id=employer_ids[int(postings["employer_index"][i])],
            external_id=f"GEN-{i + 1:07d}", title=str(postings["title"][i]),
            occupation_code=str(postings["occupation_code"][i]), work_place_code=f.code,
            work_district_code=f.district_code, work_township_code=f.township_code,
            work_region_group=f.region_group, cooperation_region=f.cooperation_region, place_name=f.name,
            headcount=int(postings["headcount"][i]), filled_count=int(postings["filled"][i]),
            wage_min_fen=int(postings["wage_min_fen"][i]), wage_max_fen=int(postings["wage_max_fen"][i]),
            age_min=int(postings["age_min"][i]), age_max=int(postings["age_max"][i]),
            required_certificates=str(postings["certificates"][i]),
            min_labour_ability=str(postings["min_labour_ability"][i]),
            accommodation=bool(postings["accommodation"][i]), transport=bool(postings["transport"][i]),
            valid_from=valid_from[i], valid_until=valid_until[i], source=str(postings["source"][i]),
            owner_area_code=f.district_code or "50"))
    JobPosting.objects.bulk_create(posting_rows, batch_size=BATCH, ignore_conflicts=True)
    counts = {"employers": len(rows), "postings": len(posting_rows)}
    audit_record(actor=SYSTEM, action="jobs.generate", detail=counts)
    return counts
