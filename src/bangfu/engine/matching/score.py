"""Vetoes and scores of worker-job pairs, vectorised over arrays of pairs.

A pair is first **vetoed** (never recommended) when the job is expired or full, the worker's
age is outside the job's limits, the job's best wage is below the worker's expectation, a
required certificate is missing, the place class is not one the worker accepts, the worker's
labour ability is weaker than the job asks, or the job was already pushed to the worker.
It must also be a **candidate**: the job's occupation is in one of the worker's occupation
groups (中类, from skills and past jobs), or the job is entry-level (no certificate, open to
weak or ordinary labour). Blocking (``rank.py``) only ever looks at candidates.

What passes is **scored**, each part in about [0, 1], weighted (``Weights``; the jobs app reads
them from ``settings.BANGFU["MATCHING_WEIGHTS"]``):

* occupation fit: same code 1.0 > same minor group 0.75 > same medium group 0.5; an
  entry-level job outside the worker's groups 0.3 (same major group) or 0.25; a worker with
  no skills and no past jobs 0.4 for any entry-level job;
* wage: 0.5 + ½·log2(mid-range wage / expectation): 0.5 at the expectation, 1.0 at twice
  it (a worker with no expectation is compared with ``REFERENCE_WAGE_FEN``);
* distance class: same township 1.0 > same county 0.85 > same zone (一区两群) 0.65 > elsewhere
  in Chongqing 0.5 > a cooperation region (长三角, 珠三角, 四川, 鲁渝) 0.35 > elsewhere 0.2
  > abroad 0.1;
* employer record: 0..1 as the jobs app rates it (credit rating and hires made);
* priority: 0.6 for a worker out of work plus 0.4 for a monitored household. It does not
  change one worker's ranking, only who is served first when a job's push budget is short.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np

from bangfu.engine.matching.data import LOC_ABROAD, LOC_OUTSIDE, Jobs, Workers

FIT_EXACT, FIT_MINOR, FIT_MEDIUM = 1.0, 0.75, 0.5
FIT_ENTRY_MAJOR, FIT_ENTRY, FIT_NEWCOMER = 0.3, 0.25, 0.4

D_TOWNSHIP, D_COUNTY, D_ZONE, D_CITY, D_COOPERATION, D_OUTSIDE, D_ABROAD = range(7)
DISTANCE_SCORES = np.array([1.0, 0.85, 0.65, 0.5, 0.35, 0.2, 0.1])
DISTANCE_PLACE_BIT = np.array([1, 1, 2, 2, 4, 4, 8], dtype=np.uint8)  # class -> place class bit

REFERENCE_WAGE_FEN = 350_000  # 3,500 元: what a worker with no stated expectation is offered
MIN_WAGE_FEN = 10_000  # wages are floored here before the logarithm
PRIORITY_UNEMPLOYED, PRIORITY_MONITORED = 0.6, 0.4

# Veto bits, in the order explanations list them.
V_EXPIRED, V_FULL, V_AGE, V_WAGE, V_CERTIFICATE, V_PLACE, V_ABILITY, V_PUSHED, V_NOT_CANDIDATE = (
    1 << i for i in range(9))
VETO_NAMES = {V_EXPIRED: "expired", V_FULL: "full", V_AGE: "age", V_WAGE: "wage",
              V_CERTIFICATE: "certificate", V_PLACE: "place", V_ABILITY: "ability",
              V_PUSHED: "pushed", V_NOT_CANDIDATE: "not_candidate"}


@dataclass(frozen=True)
class Weights:
    occupation: float = 0.35
    wage: float = 0.25
    distance: float = 0.20
    employer: float = 0.10
    priority: float = 0.10

    @classmethod
    def from_mapping(cls, values: Mapping[str, float] | None) -> "Weights":
        if not values:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown matching weights: {sorted(unknown)}")
        return cls(**{k: float(v) for k, v in values.items()})

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class PairSet:
    """A set of (worker id, job id) pairs, e.g. pushes already sent, with vectorised lookup."""

    MULT = np.int64(1) << np.int64(31)

    def __init__(self, worker_ids=(), job_ids=()) -> None:
        w = np.asarray(worker_ids, dtype=np.int64)
        j = np.asarray(job_ids, dtype=np.int64)
        self.keys = np.unique(w * self.MULT + j)

    def __len__(self) -> int:
        return len(self.keys)

    def contains(self, worker_ids: np.ndarray, job_ids: np.ndarray) -> np.ndarray:
        if not len(self.keys):
            return np.zeros(np.shape(worker_ids), dtype=bool)
        keys = np.asarray(worker_ids, dtype=np.int64) * self.MULT + np.asarray(job_ids, dtype=np.int64)
        pos = np.searchsorted(self.keys, keys)
        pos = np.minimum(pos, len(self.keys) - 1)
        return self.keys[pos] == keys


@dataclass
class WorkerGroups:
    """Each worker's occupation codes and their minor, medium and major groups as bit masks.

    Bit ``i`` of ``code_bits`` is set when the worker has occupation index ``i`` (and so on for
    the groups), so a pair's fit is a handful of shifts instead of set comparisons.
    """

    code_bits: np.ndarray  # uint64
    minor_bits: np.ndarray
    medium_bits: np.ndarray
    major_bits: np.ndarray
    has_codes: np.ndarray
    minor_of: np.ndarray  # occupation index -> minor group index (the vocabulary's)

    @classmethod
    def of(cls, workers: Workers, vocab) -> "WorkerGroups":
        n_minor = int(vocab.minor.max()) + 1 if len(vocab.minor) else 0
        if vocab.n_occupations > 64 or n_minor > 64:  # pragma: no cover - a longer list
            raise ValueError("the occupation list is longer than the 64 bits the engine packs")
        codes = workers.codes
        one = np.uint64(1)
        # per occupation (and -1 padding, the last entry) its bit in each mask
        tables = [np.append(one << index.astype(np.uint64), np.uint64(0))
                  for index in (np.arange(vocab.n_occupations), vocab.minor, vocab.medium, vocab.major)]
        masks = [np.zeros(len(codes), dtype=np.uint64) for _ in tables]
        for col in range(codes.shape[1]):
            index = codes[:, col]
            if not (index >= 0).any():
                continue
            for mask, table in zip(masks, tables):
                mask |= table[index]
        return cls(code_bits=masks[0], minor_bits=masks[1], medium_bits=masks[2], major_bits=masks[3],
                   has_codes=masks[0] != 0, minor_of=vocab.minor)


def _has(bits: np.ndarray, index: np.ndarray) -> np.ndarray:
    return (np.right_shift(bits, index.astype(np.uint64)) & np.uint64(1)).astype(bool)


def distance_class(workers: Workers, jobs: Jobs, wi: np.ndarray, ji: np.ndarray) -> np.ndarray:
    kind = jobs.loc_kind[ji]
    jd = jobs.district[ji]
    jt = jobs.township[ji]
    same_district = jd == workers.district[wi]
    same_township = same_district & (jt >= 0) & (jt == workers.township[wi])
    cq = np.where(same_township, D_TOWNSHIP,
                  np.where(same_district, D_COUNTY,
                           np.where(jobs.zone[ji] == workers.zone[wi], D_ZONE, D_CITY)))
    out = np.where(jobs.cooperation[ji] >= 0, D_COOPERATION, D_OUTSIDE)
    return np.where(kind == LOC_ABROAD, D_ABROAD, np.where(kind == LOC_OUTSIDE, out, cq)).astype(np.int8)


def occupation_fit(workers: Workers, groups: WorkerGroups, jobs: Jobs, wi: np.ndarray,
                   ji: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(fit, candidate) for each pair; ``fit`` is 0 where the pair is not a candidate."""
    exact = _has(groups.code_bits[wi], jobs.occupation[ji])
    minor = _has(groups.minor_bits[wi], jobs.minor[ji])
    medium = _has(groups.medium_bits[wi], jobs.medium[ji])
    major = _has(groups.major_bits[wi], jobs.major[ji])
    entry = jobs.entry_level[ji]
    entry_fit = np.where(groups.has_codes[wi], np.where(major, FIT_ENTRY_MAJOR, FIT_ENTRY),
                         FIT_NEWCOMER)
    fit = np.where(exact, FIT_EXACT, np.where(minor, FIT_MINOR, np.where(
        medium, FIT_MEDIUM, np.where(entry, entry_fit, 0.0))))
    return fit, medium | entry


def wage_fit(workers: Workers, jobs: Jobs, wi: np.ndarray, ji: np.ndarray) -> np.ndarray:
    return 0.5 * job_wage_term(jobs)[ji] - 0.5 * worker_wage_term(workers)[wi] + 0.5


def job_wage_term(jobs: Jobs) -> np.ndarray:
    mid = (jobs.wage_min + jobs.wage_max) / 2
    return np.log2(np.maximum(mid, MIN_WAGE_FEN))


def worker_wage_term(workers: Workers) -> np.ndarray:
    ref = np.where(workers.expected_wage > 0, workers.expected_wage, REFERENCE_WAGE_FEN)
    return np.log2(np.maximum(ref, MIN_WAGE_FEN))


def priority_fit(workers: Workers) -> np.ndarray:
    return PRIORITY_UNEMPLOYED * workers.unemployed + PRIORITY_MONITORED * workers.monitored


def pair_parts(workers: Workers, groups: WorkerGroups, jobs: Jobs, wi: np.ndarray,
               ji: np.ndarray) -> dict[str, np.ndarray]:
    """The unweighted score parts of each pair, plus its distance class and candidacy."""
    fit, candidate = occupation_fit(workers, groups, jobs, wi, ji)
    dclass = distance_class(workers, jobs, wi, ji)
    return {
        "occupation": fit,
        "wage": wage_fit(workers, jobs, wi, ji),
        "distance": DISTANCE_SCORES[dclass],
        "employer": jobs.employer_score[ji].astype(np.float64),
        "priority": priority_fit(workers)[wi],
        "distance_class": dclass,
        "candidate": candidate,
    }


def pair_scores(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    return (weights.occupation * parts["occupation"] + weights.wage * parts["wage"]
            + weights.distance * parts["distance"] + weights.employer * parts["employer"]
            + weights.priority * parts["priority"])


def pair_vetoes(workers: Workers, jobs: Jobs, wi: np.ndarray, ji: np.ndarray, *,
                distance: np.ndarray | None = None, candidate: np.ndarray | None = None,
                pushed: PairSet | None = None) -> np.ndarray:
    """A bit mask of vetoes per pair (0 = recommendable)."""
    if distance is None:
        distance = distance_class(workers, jobs, wi, ji)
    age = workers.age[wi]
    expected = workers.expected_wage[wi]
    missing_cert = (jobs.certs[ji] & ~workers.certs[wi]).any(axis=1)
    v = np.zeros(len(wi), dtype=np.int32)
    v |= np.where(jobs.expired[ji], V_EXPIRED, 0)
    v |= np.where(jobs.remaining[ji] <= 0, V_FULL, 0)
    v |= np.where((age < jobs.age_min[ji]) | (age > jobs.age_max[ji]), V_AGE, 0)
    v |= np.where((expected > 0) & (jobs.wage_max[ji] < expected), V_WAGE, 0)
    v |= np.where(missing_cert, V_CERTIFICATE, 0)
    v |= np.where((DISTANCE_PLACE_BIT[distance] & workers.accepted[wi]) == 0, V_PLACE, 0)
    v |= np.where(workers.ability[wi] < jobs.min_ability[ji], V_ABILITY, 0)
    if pushed is not None and len(pushed):
        v |= np.where(pushed.contains(workers.id[wi], jobs.id[ji]), V_PUSHED, 0)
    if candidate is not None:
        v |= np.where(candidate, 0, V_NOT_CANDIDATE)
    return v


def score_pairs(workers: Workers, groups: WorkerGroups, jobs: Jobs, wi: np.ndarray, ji: np.ndarray,
                weights: Weights, pushed: PairSet | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(score, vetoes) of each pair: the definition. Brute force and the benchmark's checks use
    it; the ranker scores from tables of the same parts (``pairs.py``)."""
    parts = pair_parts(workers, groups, jobs, wi, ji)
    vetoes = pair_vetoes(workers, jobs, wi, ji, distance=parts["distance_class"],
                         candidate=parts["candidate"], pushed=pushed)
    return pair_scores(parts, weights), vetoes
