"""Shortage trades (紧缺职业/工种): the trades whose open headcount the registry's workers cannot
fill, from the postings and the matching's own vetoes. Django-free, vectorised with numpy.

For each trade (occupation code) of the open postings: the **candidates** are the workers whose
skills or past jobs lie in the trade's occupation group (中类, the matching's blocking) — the
people a posting of the trade could go to without training; a candidate **qualifies** when at
least one open posting of the trade passes every veto of ``score.pair_vetoes`` for them (age,
wage, certificate, place, labour ability). The gap is the open headcount minus the qualified
candidates; trades are ranked by gap, then by the share of headcount left unfilled. For the
candidates who qualify for none of the trade's postings, ``blocked`` counts the vetoes found at
every one of the trade's postings (a worker may count under several).

The place veto only asks which place class a posting is in for the worker, and that depends on
the posting's *bucket* alone — its district (在本区县 for the district's workers, 市内县外 for the
others), outside Chongqing, or abroad — so the work splits:

1. the other vetoes (age, wage, certificate, ability) are evaluated by ``pair_vetoes`` itself on
   **profiles**: workers alike in age, expected wage, ability and certificates × the trade's
   postings alike in age limits, best wage, ability and certificates, wherever they are; the
   masks are then AND-ed over the profiles present in each bucket (``A[profile, bucket]``);
2. each worker then reads its own district's bucket, the other districts' (an AND of the prefix
   and suffix over the districts, so its own is left out), outside and abroad, OR-ed with the
   place veto where the worker does not accept that place class: arrays over all workers at once.

No Python loop runs per posting or per worker; the loops are per trade and per chunk of profiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bangfu.engine.matching.data import LOC_ABROAD, LOC_OUTSIDE, Jobs, Workers
from bangfu.engine.matching.score import (
    V_ABILITY, V_AGE, V_CERTIFICATE, V_PLACE, V_WAGE, VETO_NAMES, WorkerGroups, _has, pair_vetoes,
)

CHUNK_PAIRS = 2_000_000
BLOCKING = (V_AGE, V_WAGE, V_CERTIFICATE, V_PLACE, V_ABILITY)  # the vetoes a worker brings
EVERYTHING = np.int32(sum(BLOCKING))
ALL_PLACES = np.uint8(0x0F)
IN_COUNTY, IN_CITY, OUT_OF_CITY, ABROAD = 1, 2, 4, 8  # place bits (score.DISTANCE_PLACE_BIT)


@dataclass
class TradeShortage:
    occupation: int  # occupation index of the vocabulary
    postings: int
    employers: int
    headcount: int  # open headcount (remaining) of the open postings
    candidates: int
    qualified: int
    blocked: dict[str, int] = field(default_factory=dict)  # veto name -> candidates stopped by it everywhere

    @property
    def gap(self) -> int:
        return max(self.headcount - self.qualified, 0)

    @property
    def unfilled_share(self) -> float:
        return self.gap / self.headcount if self.headcount else 0.0


def _unique_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(index of one row per distinct combination, each row's combination number)."""
    key = np.column_stack([np.asarray(c).astype(np.int64) for c in columns])
    _keys, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _cert_columns(certs: np.ndarray) -> list[np.ndarray]:
    return [certs[:, k].view(np.int64) for k in range(certs.shape[1])]


def worker_profiles(workers: Workers) -> tuple[np.ndarray, np.ndarray]:
    """(one worker per profile, each worker's profile) over what the non-place vetoes read."""
    return _unique_rows([workers.age, workers.expected_wage, workers.ability, *_cert_columns(workers.certs)])


def _buckets(jobs: Jobs, ji: np.ndarray, n_districts: int) -> np.ndarray:
    kind = jobs.loc_kind[ji]
    return np.where(kind == LOC_ABROAD, n_districts + 1, np.where(kind == LOC_OUTSIDE, n_districts, jobs.district[ji]))


def trade_shortages(workers: Workers, groups: WorkerGroups, jobs: Jobs, *, employer_ids: np.ndarray | None = None,
                    chunk_pairs: int = CHUNK_PAIRS) -> list[TradeShortage]:
    """Every trade with open headcount in ``jobs`` (derived: ``Jobs.derive``), ranked: largest gap first."""
    open_jobs = np.flatnonzero(jobs.available)
    out: list[TradeShortage] = []
    if not len(open_jobs) or not len(workers):
        return out
    rep, profile = worker_profiles(workers)
    reps = workers.take(rep)
    reps.accepted = np.full(len(rep), ALL_PLACES, dtype=np.uint8)  # the place veto is applied per bucket below
    n_districts = int(max(workers.district.max(), jobs.district.max())) + 1
    for trade in np.unique(jobs.occupation[open_jobs]):
        ji = open_jobs[jobs.occupation[open_jobs] == trade]
        cand = _has(groups.medium_bits, np.full(len(workers), jobs.medium[ji[0]]))
        stopped = _stopped(workers, reps, profile, jobs, ji, cand, n_districts, chunk_pairs)
        qualified = stopped == 0
        blocked = {VETO_NAMES[bit]: int(((stopped & bit) != 0).sum()) for bit in BLOCKING}
        employers = len(np.unique(employer_ids[ji])) if employer_ids is not None else 0
        out.append(TradeShortage(occupation=int(trade), postings=len(ji), employers=employers,
                                 headcount=int(jobs.remaining[ji].sum()), candidates=int(cand.sum()),
                                 qualified=int(qualified.sum()), blocked=blocked))
    out.sort(key=lambda t: (-t.gap, -t.unfilled_share, -t.headcount, t.occupation))
    return out


def _stopped(workers: Workers, reps: Workers, profile: np.ndarray, jobs: Jobs, ji: np.ndarray, cand: np.ndarray,
             n_districts: int, chunk_pairs: int) -> np.ndarray:
    """Per candidate worker: the veto bits present at every posting of ``ji`` (0: qualifies)."""
    first, inv = _unique_rows([jobs.age_min[ji], jobs.age_max[ji], jobs.wage_max[ji], jobs.min_ability[ji],
                               *_cert_columns(jobs.certs[ji])])
    jp = ji[first]  # posting profiles: what the non-place vetoes read, wherever the posting is
    bucket = _buckets(jobs, ji, n_districts)
    n_buckets = n_districts + 2
    present = {int(b): np.unique(inv[bucket == b]) for b in np.unique(bucket)}  # bucket -> its profiles
    # A[profile, bucket]: AND of the non-place veto masks over the bucket's postings (EVERYTHING: none)
    a = np.full((len(reps), n_buckets), EVERYTHING, dtype=np.int32)
    step = max(1, chunk_pairs // max(len(jp), 1))
    for start in range(0, len(reps), step):
        w = np.arange(start, min(start + step, len(reps)))
        v = pair_vetoes(reps, jobs, np.repeat(w, len(jp)), np.tile(jp, len(w))).reshape(len(w), len(jp))
        v &= EVERYTHING
        for b, columns in present.items():
            a[w, b] = np.bitwise_and.reduce(v[:, columns], axis=1)
    has_jobs = np.zeros(n_buckets, dtype=bool)
    has_jobs[list(present)] = True
    cq = np.where(has_jobs[:n_districts], a[:, :n_districts], EVERYTHING)
    prefix = np.bitwise_and.accumulate(cq, axis=1)
    suffix = np.bitwise_and.accumulate(cq[:, ::-1], axis=1)[:, ::-1]
    w = np.flatnonzero(cand)
    p, d, acc = profile[w], workers.district[w].astype(np.int64), workers.accepted[w]
    ones = np.full(len(w), EVERYTHING, dtype=np.int32)
    before = np.where(d > 0, prefix[p, np.maximum(d - 1, 0)], ones)
    after = np.where(d < n_districts - 1, suffix[p, np.minimum(d + 1, n_districts - 1)], ones)
    others_have = np.array([has_jobs[:n_districts].sum()] * len(w)) - has_jobs[d].astype(int) > 0

    def place(bit: int) -> np.ndarray:
        return np.where((acc & bit) != 0, 0, V_PLACE).astype(np.int32)

    parts = [
        np.where(has_jobs[d], a[p, d] | place(IN_COUNTY), ones),
        np.where(others_have, (before & after) | place(IN_CITY), ones),
        np.where(has_jobs[n_districts], a[p, n_districts] | place(OUT_OF_CITY), ones),
        np.where(has_jobs[n_districts + 1], a[p, n_districts + 1] | place(ABROAD), ones),
    ]
    stopped = np.zeros(len(workers), dtype=np.int32)
    stopped[w] = parts[0] & parts[1] & parts[2] & parts[3]
    return stopped[cand]
