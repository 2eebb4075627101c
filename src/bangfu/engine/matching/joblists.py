"""Level 1 of ``rank``: the job lists (blocking by occupation group, place and level).

Every available job goes into a few lists keyed by (occupation key, location key, level), each
sorted by the part of the score that depends on the job alone; ``top_per_row`` is the top-k
every level uses to merge them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu.engine.matching.data import LOC_ABROAD, LOC_CHONGQING, LOC_OUTSIDE, Jobs
from bangfu.engine.matching.score import Weights, job_wage_term
from bangfu.engine.matching.vocab import COOPERATION_REGIONS, ZONES, Vocabulary

N_ZONES = len(ZONES)
N_OUTSIDE = len(COOPERATION_REGIONS) + 1  # the cooperation regions, then "other"
N_SLOTS = 1 + N_ZONES + N_OUTSIDE + 1  # own district, zones, outside regions, abroad
ABILITIES = (1, 2, 3)
NEG = np.float32(-np.inf)
# Age bands of the place contexts: job age limits cluster at 45, 50, 55 and 60, so a context's
# merged lists hold only jobs whose limits can admit its workers (the exact age is a veto).
AGE_BANDS = np.array([16, 18, 46, 51, 56, 61, 200])
N_AGE_BANDS = len(AGE_BANDS) - 1


def top_per_row(scores: np.ndarray, jobs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` per row, sorted; (-1, -inf) padding.

    One total order in every branch: score descending, then job index ascending. The best
    ``k`` are thus a prefix of the best ``k + 1`` and do not depend on the branch taken or on
    the column a job sits in."""
    n, width = scores.shape
    k = min(k, width)
    if k <= 0:
        return np.full((n, 0), -1, dtype=np.int32), np.zeros((n, 0), dtype=scores.dtype)
    if width <= 4 * k:  # narrow rows: one sort is cheaper than partition + sort
        order = np.argsort(_order_key(scores, jobs), axis=1)[:, :k]
    else:
        order = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        top_s = np.take_along_axis(scores, order, 1)
        # argpartition picks any of the jobs tied with the k-th score: where it left one out,
        # the row is chosen again by the total order (a finite tie only; -inf is padding)
        kth = top_s.min(axis=1)
        tied = (scores == kth[:, None]).sum(axis=1) > (top_s == kth[:, None]).sum(axis=1)
        redo = np.flatnonzero(tied & np.isfinite(kth))
        if len(redo):
            order[redo] = _first_k_by_job(scores[redo], jobs[redo], kth[redo], k)
        sel = _order_key(np.take_along_axis(scores, order, 1), np.take_along_axis(jobs, order, 1))
        order = np.take_along_axis(order, np.argsort(sel, axis=1), 1)
    top_s = np.take_along_axis(scores, order, 1)
    top_j = np.where(np.isfinite(top_s), np.take_along_axis(jobs, order, 1), -1)
    return top_j.astype(np.int32), top_s


_SIGN = np.uint32(0x80000000)


def _order_key(scores: np.ndarray, jobs: np.ndarray) -> np.ndarray:
    """One uint64 per entry, ascending in (score descending, job ascending, job -1 last)."""
    s = np.asarray(scores, dtype=np.float32) + np.float32(0)  # -0.0 -> 0.0: equal scores, one key
    bits = s.view(np.uint32)
    ascending = np.where(bits & _SIGN, ~bits, bits | _SIGN)  # unsigned order = float order
    return ((~ascending).astype(np.uint64) << np.uint64(32)) | jobs.astype(np.uint32).astype(np.uint64)


def _first_k_by_job(scores, jobs, kth, k):
    """Columns of the best ``k`` per row: every score above the k-th, then the lowest jobs
    among those equal to it (one partition of a float key: -1 above, the job when tied)."""
    exact = np.float32 if int(jobs.max(initial=0)) < 2**24 else np.float64
    j = np.where(jobs < 0, 2**24 if exact is np.float32 else 2**53, jobs).astype(exact)
    key = np.where(scores > kth[:, None], exact(-1), np.where(scores == kth[:, None], j, exact(np.inf)))
    return np.argpartition(key, k - 1, axis=1)[:, :k]


@dataclass
class JobLists:
    """The lists, stored only when not empty: ``row[list id]`` is the row of a list in the
    tables (the last row is the empty list)."""

    row: np.ndarray  # int32 [n_lists + 1]
    jobs: np.ndarray  # int32 [n_nonempty + 1, depth]
    scores: np.ndarray  # float32, same shape; -inf padding
    district: np.ndarray  # int16 district of each entry (-1 outside Chongqing)
    lengths: np.ndarray  # int32 full length of each list (by list id)
    n_med: int
    n_codes: int
    n_occ: int
    n_loc: int
    n_districts: int

    @property
    def entry_key(self) -> int:
        return self.n_med

    def code_key(self, occupation):
        return self.n_med + 1 + occupation

    def minor_key(self, minor):
        return self.n_med + 1 + self.n_codes + minor

    def list_id(self, level, occ, loc):
        """``level`` = (ability - 1) × N_AGE_BANDS + age band: a list holds the jobs open to that
        ability whose age limits admit someone of that band."""
        return (level * self.n_occ + occ) * self.n_loc + loc

    @property
    def empty(self) -> int:
        return len(self.lengths) - 1


def build_job_lists(jobs: Jobs, vocab: Vocabulary, weights: Weights, depth: int) -> JobLists:
    nd = vocab.n_districts
    n_med = vocab.n_mediums
    n_minor = int(vocab.minor.max()) + 1
    n_occ = n_med + 1 + vocab.n_occupations + n_minor
    n_loc = nd + N_ZONES + N_OUTSIDE + 1
    avail = np.flatnonzero(jobs.available)
    g = (weights.wage * 0.5 * job_wage_term(jobs) + weights.employer * jobs.employer_score
         ).astype(np.float32)
    kind = jobs.loc_kind[avail]
    cq = avail[kind == LOC_CHONGQING]
    out = avail[kind == LOC_OUTSIDE]
    abroad = avail[kind == LOC_ABROAD]
    outside_key = np.where(jobs.cooperation[out] >= 0, jobs.cooperation[out], N_OUTSIDE - 1)
    by_loc = [
        (cq, jobs.district[cq].astype(np.int64)),
        (cq, nd + jobs.zone[cq].astype(np.int64)),
        (out, nd + N_ZONES + outside_key.astype(np.int64)),
        (abroad, np.full(len(abroad), n_loc - 1, dtype=np.int64)),
    ]
    occ_parts, loc_parts, job_parts = [], [], []
    for idx, loc in by_loc:
        for occ, keep in ((jobs.medium[idx].astype(np.int64), None),
                          (n_med + 1 + jobs.occupation[idx].astype(np.int64), None),
                          (n_med + 1 + vocab.n_occupations + jobs.minor[idx].astype(np.int64), None),
                          (np.full(len(idx), n_med, dtype=np.int64), jobs.entry_level[idx])):
            if keep is None:
                occ_parts.append(occ), loc_parts.append(loc), job_parts.append(idx)
            else:
                occ_parts.append(occ[keep]), loc_parts.append(loc[keep]), job_parts.append(idx[keep])
    occ = np.concatenate(occ_parts)
    loc = np.concatenate(loc_parts)
    ji = np.concatenate(job_parts).astype(np.int64)
    n_base = n_occ * n_loc
    base = occ * n_loc + loc
    order = np.lexsort((ji, -g[ji], base))  # one sort; every level below keeps this order
    base, ji = base[order], ji[order]
    n_levels = len(ABILITIES) * N_AGE_BANDS
    lengths = np.zeros(n_levels * n_base, dtype=np.int32)
    kept_lid, kept_rank, kept_j = [], [], []
    for a in ABILITIES:
        ability_ok = jobs.min_ability[ji] <= a
        for band in range(N_AGE_BANDS):
            low, high = AGE_BANDS[band], AGE_BANDS[band + 1] - 1
            ok = ability_ok & (jobs.age_min[ji] <= high) & (jobs.age_max[ji] >= low)
            sub, sub_j = base[ok], ji[ok]
            if not len(sub):
                continue
            level = (a - 1) * N_AGE_BANDS + band
            counts = np.bincount(sub, minlength=n_base)
            lengths[level * n_base:(level + 1) * n_base] = counts
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            rank = np.arange(len(sub)) - starts[sub]
            keep = rank < depth
            kept_lid.append(level * n_base + sub[keep])
            kept_rank.append(rank[keep])
            kept_j.append(sub_j[keep])
    lid = np.concatenate(kept_lid) if kept_lid else np.zeros(0, np.int64)
    rank = np.concatenate(kept_rank) if kept_rank else np.zeros(0, np.int64)
    jk = np.concatenate(kept_j) if kept_j else np.zeros(0, np.int64)
    n_lists = n_levels * n_base
    used = np.flatnonzero(lengths > 0)
    row = np.full(n_lists + 1, len(used), dtype=np.int32)
    row[used] = np.arange(len(used), dtype=np.int32)
    depth = max(1, min(depth, int(lengths.max()) if len(lengths) else 1))
    n_rows = len(used) + 1
    table_j = np.full((n_rows, depth), -1, dtype=np.int32)
    table_s = np.full((n_rows, depth), NEG, dtype=np.float32)
    table_d = np.full((n_rows, depth), -1, dtype=np.int16)
    r = row[lid]
    table_j[r, rank] = jk
    table_s[r, rank] = g[jk]
    table_d[r, rank] = jobs.district[jk]
    return JobLists(row=row, jobs=table_j, scores=table_s, district=table_d,
                    lengths=np.append(lengths, 0), n_med=n_med, n_codes=vocab.n_occupations,
                    n_occ=n_occ, n_loc=n_loc, n_districts=nd)
