"""The shortage-trade list (紧缺工种清单) of the city or a district, for a course plan: read the
open postings and the registry's available workers into the matching's arrays (``jobs.matching``
loaders) and rank the trades with ``bangfu.engine.matching.shortage``; names from the shipped
occupation catalogue; Excel out (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import reference
from bangfu.core.audit import audit_record
from bangfu.core.exports import workbook_bytes
from bangfu.engine.matching import WorkerGroups
from bangfu.engine.matching.shortage import BLOCKING, trade_shortages
from bangfu.engine.matching.score import VETO_NAMES
from bangfu.jobs.matching import jobs_frame, push_scope, vocabulary, workers_frame
from bangfu.jobs.models import JobPosting

BLOCK_LABELS = {"age": gettext_lazy("年龄不符"), "wage": gettext_lazy("薪资低于期望"),
                "certificate": gettext_lazy("缺少证书"), "place": gettext_lazy("不接受该务工地点"),
                "ability": gettext_lazy("劳动能力不足")}


@dataclass
class ShortageRow:
    rank: int
    code: str
    name: str
    postings: int
    employers: int
    headcount: int
    candidates: int
    qualified: int
    gap: int
    unfilled_share: float
    blocked: dict[str, int]


CACHE_SECONDS = 600  # the list reads every open posting and the whole registry's workers


def shortage_list_cached(*, area_code: str, on: dt.date) -> tuple[list[ShortageRow], dt.datetime]:
    """``shortage_list`` as computed at most ``CACHE_SECONDS`` ago (the page says when), so that
    opening the page does not rebuild the registry's matching arrays each time."""
    key = f"training.shortage:{area_code}:{on.isoformat()}"
    hit = cache.get(key)
    if hit is None:
        hit = (shortage_list(area_code=area_code, on=on), timezone.now())
        cache.set(key, hit, CACHE_SECONDS)
    return hit


def shortage_list(*, area_code: str, on: dt.date) -> list[ShortageRow]:
    """Trades of the open postings in ``area_code`` (the city: all; a district: postings that work
    there), ranked by the headcount the available workers of the whole registry cannot fill."""
    postings = JobPosting.objects.filter(closed=False, valid_from__lte=on, valid_until__gte=on)
    postings = postings.filter(headcount__gt=0)
    if area_code and area_code != "50":
        postings = postings.filter(work_district_code=area_code[:6])
    jobs, ids, certs = jobs_frame(postings, on)
    if not len(ids):
        return []
    vocab = vocabulary()
    jobs.derive(vocab)
    employer = dict(postings.values_list("pk", "employer_id"))
    employer_ids = np.array([employer[i] for i in ids], dtype=np.int64)
    workers, _ids = workers_frame(push_scope(area_code=None, on=on), on, certs)
    groups = WorkerGroups.of(workers, vocab)
    codes = vocab.occupation_codes
    names = reference.occupations()
    rows = []
    for rank, t in enumerate(trade_shortages(workers, groups, jobs, employer_ids=employer_ids), start=1):
        code = codes[t.occupation]
        rows.append(ShortageRow(rank=rank, code=code, name=names.get(code, {}).get("name", code),
                                postings=t.postings, employers=t.employers, headcount=t.headcount,
                                candidates=t.candidates, qualified=t.qualified, gap=t.gap,
                                unfilled_share=t.unfilled_share, blocked=t.blocked))
    return rows


BLOCKED_KEYS = [VETO_NAMES[bit] for bit in BLOCKING]


def blocked_headers() -> list[str]:
    return [str(BLOCK_LABELS[VETO_NAMES[bit]]) for bit in BLOCKING]


def shortage_workbook(*, user, area_code: str, rows: list[ShortageRow]) -> bytes:
    headers = [_("排名"), _("职业代码"), _("工种"), _("在招岗位数"), _("招聘单位数"), _("空缺人数"),
               _("同类技能人员"), _("通过匹配条件人数"), _("缺口人数"), _("缺口占比"),
               *[_("未通过：{reason}").format(reason=h) for h in blocked_headers()]]
    data = [[r.rank, r.code, r.name, r.postings, r.employers, r.headcount, r.candidates, r.qualified, r.gap,
             f"{r.unfilled_share * 100:.1f}%", *[r.blocked[VETO_NAMES[bit]] for bit in BLOCKING]] for r in rows]
    audit_record(actor=user, action="training.shortage_export", area_code=area_code, detail={"rows": len(rows)})
    return workbook_bytes(title=_("紧缺工种清单"), headers=headers, rows=data)
