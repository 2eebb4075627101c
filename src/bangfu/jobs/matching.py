"""The bridge between the database and ``bangfu.engine.matching``: rows in, engine arrays out.

Reads are column-wise (``values_list``) so a district of 50,000 workers loads in seconds; the
engine does the rest in numpy. Weights come from ``settings.BANGFU["MATCHING_WEIGHTS"]``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from bangfu.core import reference
from bangfu.core.months import month_of, shift_month
from bangfu.employers.models import Employer
from bangfu.engine.matching import PLACE_BITS, CertificateIndex, PairSet, Vocabulary, Weights
from bangfu.engine.matching.data import Jobs, Workers, jobs_from_columns, workers_from_columns
from bangfu.jobs.models import Application, JobPosting, Push, ServiceRecord
from bangfu.registry.models import Person, age_on

CREDIT_SCORE = {"A": 0.9, "B": 0.6, "C": 0.2}
HIRES_FOR_FULL_BONUS = 10  # hires through bangfu that lift an employer's record by 0.1
REGISTRATION_DAYS = 90  # a job-seeking registration keeps a worker in the push scope this long
PAST_JOB_MONTHS = 24  # occupations of employment records this recent count as experience


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary.from_reference(reference.divisions(), reference.places(), reference.occupations())


def matching_weights() -> Weights:
    return Weights.from_mapping(getattr(settings, "BANGFU", {}).get("MATCHING_WEIGHTS"))


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Market:
    """Engine arrays plus the maps back to database rows."""

    workers: Workers
    jobs: Jobs
    certs: CertificateIndex
    persons: list[int]  # worker index -> person id
    postings: list[int]  # job index -> posting id
    pushed: PairSet


def employer_scores(employer_ids) -> dict[int, float]:
    """0..1 per employer: the credit rating, plus up to 0.1 for hires made through bangfu."""
    from django.db.models import Count, Q

    wanted = set(employer_ids)
    # a long list of ids is slower (and may exceed SQLite's variable limit) than reading all
    employers = Employer.objects.filter(pk__in=wanted) if len(wanted) <= 5000 else Employer.objects.all()
    rows = (employers
            .annotate(hires=Count("postings__applications",
                                  filter=Q(postings__applications__status="hired")))
            .values_list("pk", "credit_rating", "hires"))
    return {pk: min(1.0, CREDIT_SCORE.get(rating, 0.5) + 0.1 * min(1.0, hires / HIRES_FOR_FULL_BONUS))
            for pk, rating, hires in rows}


def jobs_frame(postings: QuerySet[JobPosting], on: dt.date, certs: CertificateIndex | None = None
               ) -> tuple[Jobs, list[int], CertificateIndex]:
    rows = list(postings.values_list(
        "pk", "occupation_code", "work_place_code", "abroad", "wage_min_fen", "wage_max_fen",
        "age_min", "age_max", "min_labour_ability", "required_certificates", "headcount",
        "filled_count", "valid_from", "valid_until", "closed", "employer_id", "accommodation",
        "transport"))
    if certs is None:
        certs = CertificateIndex(n for r in rows for n in r[9].split(","))
    scores = employer_scores(r[15] for r in rows)
    col = list(zip(*rows)) if rows else [[] for _ in range(18)]
    jobs = jobs_from_columns(
        vocab=vocabulary(), certs=certs, id=np.array(col[0], dtype=np.int64),
        occupation_code=np.array(col[1], dtype=object), work_place_code=np.array(col[2], dtype=object),
        abroad=np.array(col[3], dtype=bool), wage_min_fen=np.array(col[4], dtype=np.int64),
        wage_max_fen=np.array(col[5], dtype=np.int64), age_min=np.array(col[6], dtype=np.int16),
        age_max=np.array(col[7], dtype=np.int16), min_labour_ability=np.array(col[8], dtype=object),
        certificates=np.array(col[9], dtype=object),
        remaining=np.array(col[10], dtype=np.int32) - np.array(col[11], dtype=np.int32),
        expired=np.array([closed or not (start <= on <= until)
                          for start, until, closed in zip(col[12], col[13], col[14])], dtype=bool),
        employer_score=np.array([scores.get(e, 0.5) for e in col[15]], dtype=np.float32),
        accommodation=np.array(col[16], dtype=bool), transport=np.array(col[17], dtype=bool),
    )
    return jobs, list(col[0]), certs


def workers_frame(persons: QuerySet[Person], on: dt.date, certs: CertificateIndex
                  ) -> tuple[Workers, list[int]]:
    from bangfu.monitoring.models import EmploymentMonth

    rows = list(persons.values_list(
        "pk", "district_code", "township_code", "birth_date", "labour_ability", "expected_wage_fen",
        "accepted_places", "skills", "certificates", "category"))
    ids = [r[0] for r in rows]
    this_month = month_of(on)
    recent = {this_month, shift_month(this_month, -1)}
    first_month = month_of(on - dt.timedelta(days=31 * PAST_JOB_MONTHS))
    past: dict[int, list[str]] = defaultdict(list)
    working: set[int] = set()
    for start in range(0, len(ids), 20_000):
        chunk = ids[start:start + 20_000]
        for pid, month, occ in (EmploymentMonth.objects.filter(person_id__in=chunk, month__gte=first_month)
                                .values_list("person_id", "month", "occupation_code")):
            if month in recent:
                working.add(pid)
            if occ and occ not in past[pid]:
                past[pid].append(occ)
    n = len(rows)
    mask = np.zeros(n, dtype=np.uint8)
    for i, r in enumerate(rows):
        for p in (r[6] or "").split(","):
            mask[i] |= PLACE_BITS.get(p.strip(), 0)
    workers = workers_from_columns(
        vocab=vocabulary(), certs=certs, id=np.array(ids, dtype=np.int64),
        district_code=np.array([r[1] for r in rows], dtype=object),
        township_code=np.array([r[2] for r in rows], dtype=object),
        age=np.array([age_on(r[3], on) for r in rows], dtype=np.int16),
        labour_ability=np.array([r[4] for r in rows], dtype=object),
        expected_wage_fen=np.array([r[5] or 0 for r in rows], dtype=np.int64),
        place_mask=mask, skills=np.array([r[7] or "" for r in rows], dtype=object),
        certificates=np.array([r[8] or "" for r in rows], dtype=object),
        past_occupations=np.array([",".join(past.get(pid, ())) for pid in ids], dtype=object),
        unemployed=np.array([pid not in working for pid in ids], dtype=bool),
        monitored=np.array([r[9] == "monitored" for r in rows], dtype=bool),
    )
    return workers, ids


def pushed_pairs(person_ids) -> PairSet:
    ws, js = [], []
    ids = list(person_ids)
    for start in range(0, len(ids), 20_000):
        for pid, jid in Push.objects.filter(person_id__in=ids[start:start + 20_000]).values_list(
                "person_id", "posting_id"):
            ws.append(pid)
            js.append(jid)
    return PairSet(ws, js)


def push_scope(*, area_code: str | None, on: dt.date) -> QuerySet[Person]:
    """Workers to push to: out of work (no employment record this month or last) or registered
    as job seekers (求职登记) in the last 90 days."""
    from bangfu.monitoring.models import EmploymentMonth

    workers = Person.objects.workers(on)
    if area_code and area_code != "50":
        workers = workers.in_area(area_code)
    this_month = month_of(on)
    working = EmploymentMonth.objects.filter(month__in=[this_month, shift_month(this_month, -1)]) \
        .values("person_id")
    seekers = ServiceRecord.objects.filter(kind="registration",
                                           served_on__gte=on - dt.timedelta(days=REGISTRATION_DAYS)) \
        .values("person_id")
    from django.db.models import Q

    return workers.filter(Q(pk__in=seekers) | ~Q(pk__in=working))


def market(*, persons: QuerySet[Person], postings: QuerySet[JobPosting], on: dt.date | None = None
           ) -> Market:
    on = on or timezone.localdate()
    jobs, posting_ids, certs = jobs_frame(postings, on)
    workers, person_ids = workers_frame(persons, on, certs)
    return Market(workers=workers, jobs=jobs, certs=certs, persons=person_ids, postings=posting_ids,
                  pushed=pushed_pairs(person_ids))


# ------------------------------------------------------------------------------------------
# one worker: the recommendations and explanations the worker page shows
# ------------------------------------------------------------------------------------------
_OPEN_JOBS: dict[tuple, tuple[Jobs, list[int], CertificateIndex]] = {}


def open_jobs(on: dt.date) -> tuple[Jobs, list[int], CertificateIndex]:
    """The open postings as engine arrays, kept while no posting changes (page views reuse it)."""
    from django.db.models import Count, Max

    stamp = JobPosting.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    hires = Application.objects.filter(status="hired").count()
    key = (on, stamp["n"], stamp["last"], hires)
    if key not in _OPEN_JOBS:
        _OPEN_JOBS.clear()
        _OPEN_JOBS[key] = jobs_frame(JobPosting.objects.open(on), on)
    return _OPEN_JOBS[key]


def recommendations_for(person: Person, *, on: dt.date | None = None, k: int = 10) -> list[dict]:
    """The best ``k`` open postings for one person, each with its score parts and reasons."""
    return recommendations_for_many([person], on=on, k=k)[person.pk]


def recommendations_for_many(persons, *, on: dt.date | None = None, k: int = 10) -> dict[int, list[dict]]:
    """The best ``k`` open postings for each of ``persons`` (a page of people), from one run of
    the engine: a fixed number of queries whatever their number. Person id -> the list
    ``recommendations_for`` gives (a person who is no worker on ``on`` gets an empty list)."""
    from bangfu.engine.matching import RankConfig, explain_pair, recommend

    on = on or timezone.localdate()
    persons = list(persons)
    out: dict[int, list[dict]] = {p.pk: [] for p in persons}
    wanted = [p.pk for p in persons if p.is_worker_on(on)]
    if not wanted:
        return out
    jobs, posting_ids, certs = open_jobs(on)
    workers, ids = workers_frame(Person.objects.filter(pk__in=wanted).order_by("pk"), on, certs)
    pushed = pushed_pairs(ids)
    weights = matching_weights()
    # a posting the worker was hired for is closed for them: never recommended again
    hired: dict[int, set[int]] = defaultdict(set)
    for pid, jid in Application.objects.filter(person_id__in=ids, status="hired").values_list(
            "person_id", "posting_id"):
        hired[pid].add(jid)
    # each person needs k plus their own hires (what the one-person call asks for): the run
    # keeps the most anyone needs, and deepens a person by their own need only, so their list
    # is the one-person list whoever else is on the page
    wanted = np.array([k + len(hired[pid]) for pid in ids], dtype=np.int64)
    rec = recommend(workers, jobs, vocabulary(), weights, pushed=pushed,
                    config=RankConfig(top_k=int(wanted.max())), wanted=wanted)
    picked: dict[int, list[tuple[int, float]]] = {}
    for w, pid in enumerate(ids):
        picked[pid] = [(int(j), float(s)) for j, s in zip(rec.job[w], rec.score[w])
                       if j >= 0 and posting_ids[j] not in hired[pid]][:k]
    postings = JobPosting.objects.select_related("employer").in_bulk(
        {posting_ids[j] for pairs in picked.values() for j, _ in pairs})
    vocab = vocabulary()
    for w, pid in enumerate(ids):
        for j, score in picked[pid]:
            ex = explain_pair(workers, jobs, vocab, w, j, weights=weights, certs=certs, pushed=pushed)
            out[pid].append({"posting": postings[posting_ids[j]], "score": round(score, 3),
                             "reasons": [r.as_dict() for r in ex.reasons], "explanation": ex})
    return out


def explain_for(person: Person, posting: JobPosting, *, on: dt.date | None = None):
    """The engine's explanation of one person and one posting (vetoes, parts, reasons)."""
    from bangfu.engine.matching import explain_pair

    on = on or timezone.localdate()
    jobs, _, certs = jobs_frame(JobPosting.objects.filter(pk=posting.pk), on)
    workers, _ = workers_frame(Person.objects.filter(pk=person.pk), on, certs)
    return explain_pair(workers, jobs, vocabulary(), 0, 0, weights=matching_weights(), certs=certs,
                        pushed=pushed_pairs([person.pk]))
