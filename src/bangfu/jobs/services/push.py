"""Matching and push (渝职聘): who gets which job this week, and the text message that says why.

``match_run`` ranks the open postings for every worker in scope (out of work, or registered as
a job seeker), keeps what no veto forbids, then takes pushes under the caps:

* at most ``BANGFU["PUSH_PER_WORKER_PER_WEEK"]`` (N, default 3) per worker per ISO week;
* never the same job twice to one worker (a veto, and a unique constraint);
* at most ceil(k × remaining headcount) pushes per job over its life
  (k = ``BANGFU["PUSH_BUDGET_FACTOR"]``, default 5), so no job is flooded.

A dry run computes the same pushes and writes nothing. A real run writes one ``MatchRun``,
the ``Push`` rows, one outbox message per worker (Chinese, with the reasons) and one audit row.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.core import facts as fact_store
from bangfu.core import parameters
from bangfu.core.actors import Actor, actor_name, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.months import month_of
from bangfu.engine.matching import RankConfig, allocate, explain_pair, recommend
from bangfu.jobs import choices as c
from bangfu.jobs.matching import iso_week, market, matching_weights, push_scope, vocabulary
from bangfu.jobs.models import JobPosting, MatchRun, Push
from bangfu.registry.models import Person

SMS_KIND = "jobs.push"


@dataclass
class MatchResult:
    summary: dict
    pushes: list[dict] = field(default_factory=list)
    run_id: int | None = None

    def to_json(self) -> dict:
        return {"summary": self.summary, "pushes": self.pushes}


def push_caps() -> tuple[int, float]:
    return (int(parameters.get("PUSH_PER_WORKER_PER_WEEK", 3)),  # 参数设置 first, then settings.BANGFU
            float(parameters.get("PUSH_BUDGET_FACTOR", 5)))


def job_budget(remaining: int, pushed_so_far: int, factor: float) -> int:
    """Pushes a job may still get: about ``factor`` × its remaining headcount, minus its pushes."""
    return max(0, math.ceil(factor * max(0, remaining)) - pushed_so_far)


def sms_text(name: str, items: list[tuple[JobPosting, list[str]]]) -> str:
    """The Chinese text message of one worker's pushes."""
    marks = "①②③④⑤⑥⑦⑧⑨⑩"
    parts = []
    for i, (posting, reasons) in enumerate(items):
        low, high = posting.wage_min_fen // 100, posting.wage_max_fen // 100
        parts.append(f"{marks[i] if i < len(marks) else str(i + 1) + '.'}{posting.employer.name}"
                     f"·{posting.title}，月薪{low:,}–{high:,}元，{posting.place_name}"
                     f"（{'；'.join(reasons[:3])}）")
    return (f"【渝职聘】{name}您好，为您推荐{len(items)}个岗位：" + "；".join(parts)
            + "。有意向请联系村（社区）就业服务站或回复本短信。")


def match_run(*, actor: Actor, area_code: str | None = None, dry_run: bool = False,
              on: dt.date | None = None, person_ids: list[int] | None = None) -> MatchResult:
    """Rank, cap and (unless ``dry_run``) push; returns the summary and the pushes."""
    started = time.perf_counter()
    on = on or timezone.localdate()
    week = iso_week(on)
    per_week, factor = push_caps()
    area = area_code or "50"
    persons = push_scope(area_code=area, on=on)
    if person_ids is not None:
        persons = persons.filter(pk__in=person_ids)
    postings = JobPosting.objects.open(on)
    mk = market(persons=persons, postings=postings, on=on)
    vocab = vocabulary()
    weights = matching_weights()
    rec = recommend(mk.workers, mk.jobs, vocab, weights, pushed=mk.pushed,
                    config=RankConfig(top_k=max(10, per_week)))
    wi, ji, scores = rec.pairs()

    person_ids_arr = np.array(mk.persons, dtype=np.int64)
    posting_ids_arr = np.array(mk.postings, dtype=np.int64)
    # whole-table aggregates (no list of a million ids in one query)
    this_week = dict(Push.objects.filter(week=week).values_list("person_id").annotate(n=Count("id")))
    worker_cap = np.array([max(0, per_week - this_week.get(pid, 0)) for pid in mk.persons], dtype=np.int64)
    so_far = dict(Push.objects.filter(posting__in=postings).values_list("posting_id").annotate(n=Count("id")))
    budget = np.array([job_budget(int(r), so_far.get(pid, 0), factor)
                       for r, pid in zip(mk.jobs.remaining, mk.postings)], dtype=np.int64)
    take = allocate(wi, ji, scores, worker_cap=worker_cap, job_budget=budget)
    wi, ji, scores = wi[take], ji[take], scores[take]
    order = np.lexsort((-scores, wi))
    wi, ji, scores = wi[order], ji[order], scores[order]

    pushes = []
    for w, j, s in zip(wi.tolist(), ji.tolist(), scores.tolist()):
        ex = explain_pair(mk.workers, mk.jobs, vocab, w, j, weights=weights, certs=mk.certs)
        pushes.append({"person": int(person_ids_arr[w]), "job": int(posting_ids_arr[j]),
                       "score": round(float(s), 4), "reasons": [r.text for r in ex.reasons],
                       "_reasons": [r.as_dict() for r in ex.reasons]})
    summary = {
        "dry_run": dry_run, "area": area, "day": on.isoformat(), "week": week,
        "workers_in_scope": len(mk.persons), "open_jobs": len(mk.postings),
        "workers_with_recommendations": int(rec.stats.get("workers_with_recommendation", 0)),
        "candidate_pairs": int(len(take)),
        "pushes": len(pushes), "workers_pushed": len({p["person"] for p in pushes}),
        "jobs_pushed": len({p["job"] for p in pushes}),
        "workers_at_weekly_cap": int((worker_cap == 0).sum()),
        "jobs_out_of_budget": int((budget == 0).sum()),
        "per_worker_per_week": per_week, "budget_factor": factor,
        "profiles": int(rec.stats.get("profiles", 0)),
    }
    run_id = None
    if not dry_run:
        run_id, summary["messages"] = _write(actor=actor, area=area, week=week, on=on, pushes=pushes,
                                             per_week=per_week, summary=summary)
        summary["pushes"] = sum(1 for p in pushes if p.get("written"))
    summary["run"] = run_id
    summary["seconds"] = round(time.perf_counter() - started, 3)
    if not dry_run:
        MatchRun.objects.filter(pk=run_id).update(summary=summary)
    for p in pushes:
        p.pop("_reasons", None)
        p.pop("written", None)
    return MatchResult(summary=summary, pushes=pushes, run_id=run_id)


def _chunks(ids: list[int], size: int = 20_000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _enqueue_many(items: list[tuple[str, str, Person]]) -> dict[str, int]:
    """(dedup key, body, person) -> {dedup key: outbox message id}, queued in bulk."""
    from bangfu.outbox.services import outbox_enqueue_many

    return outbox_enqueue_many(kind=SMS_KIND, items=items)


@transaction.atomic
def _write(*, actor: Actor, area: str, week: str, on: dt.date, pushes: list[dict], per_week: int,
           summary: dict) -> tuple[int, int]:
    run = MatchRun.objects.create(actor=actor_user(actor), actor_name=actor_name(actor),
                                  area_code=area, week=week, status=c.RunStatus.RUNNING)
    person_ids = sorted({p["person"] for p in pushes})
    # caps again inside the transaction: a run that committed meanwhile is respected
    taken = defaultdict(int, Push.objects.filter(week=week).values_list("person_id").annotate(n=Count("id")))
    done: set[tuple[int, int]] = set()
    people: dict[int, Person] = {}
    for part in _chunks(person_ids):
        done.update(Push.objects.filter(person_id__in=part).values_list("person_id", "posting_id"))
        people.update((p.pk, p) for p in Person.objects.filter(pk__in=part))
    chosen: dict[int, list[dict]] = defaultdict(list)
    for p in pushes:
        key = (p["person"], p["job"])
        if key in done or taken[p["person"]] >= per_week:
            continue
        taken[p["person"]] += 1
        done.add(key)
        p["written"] = True
        chosen[p["person"]].append(p)
    postings: dict[int, JobPosting] = {}
    for part in _chunks(sorted({p["job"] for ps in chosen.values() for p in ps})):
        postings.update((j.pk, j) for j in JobPosting.objects.filter(pk__in=part).select_related("employer"))
    items = []
    for pid, ps in chosen.items():
        body = sms_text(people[pid].name, [(postings[p["job"]], [x["text"] for x in p["_reasons"]]) for p in ps])
        items.append((f"{SMS_KIND}:{run.pk}:{pid}", body, people[pid]))
    message_ids = _enqueue_many(items)
    rows = []
    for pid, ps in chosen.items():
        person = people[pid]
        message = message_ids.get(f"{SMS_KIND}:{run.pk}:{pid}")
        for p in ps:
            rows.append(Push(run=run, person_id=pid, posting_id=p["job"], score=p["score"],
                             reasons=p["_reasons"], week=week, month=month_of(on), outbox_message_id=message,
                             district_code=person.district_code, township_code=person.township_code))
    Push.objects.bulk_create(rows, batch_size=2000)
    fact_store.touch(Push._meta.db_table, {r.month for r in rows})
    run.status = c.RunStatus.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    audit_record(actor=actor, action="match.run", obj=None, area_code=area,
                 detail={"run": run.pk, "pushes": len(rows), "workers": len(chosen),
                         "week": week, "workers_in_scope": summary["workers_in_scope"]})
    return run.pk, len(items)
