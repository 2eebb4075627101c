"""Level 1 of ``rank``: the job lists (blocking by occupation group, place and level).

Every available job goes into a few lists keyed by (occupation key, location key, level), each
sorted by the part of the score that depends on the job alone; ``top_per_row`` is the top-k
every level uses to merge them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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


def map_chunks(fn, chunks, threads: int) -> list:
    """``[fn(c) for c in chunks]``, in ``threads`` threads: numpy releases the GIL in its
    loops, gathers and sorts, so two chunks go twice as fast on two free cores. Each chunk
    must write only its own rows."""
    chunks = list(chunks)
    if threads <= 1 or len(chunks) <= 1:
        return [fn(c) for c in chunks]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(fn, chunks))


def top_per_row(scores: np.ndarray, jobs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` per row, sorted; (-1, -inf) padding.

    One total order: score descending, then job index ascending (``order_keys``). The best
    ``k`` are thus a prefix of the best ``k + 1`` and do not depend on the column a job sits in."""
    n, width = scores.shape
    k = min(k, width)
    if k <= 0:
        return np.full((n, 0), -1, dtype=np.int32), np.zeros((n, 0), dtype=np.float32)
    keys = order_keys(scores, jobs)
    if width > 2 * k:  # wide rows: partition, then sort the best k only
        keys = np.partition(keys, k - 1, axis=1)[:, :k]
        keys.sort(axis=1)
    else:
        keys = np.sort(keys, axis=1)[:, :k]
    return decode_keys(keys)


_SIGN = np.uint32(0x80000000)
_LOW = np.uint64(0xFFFFFFFF)


def order_keys(scores: np.ndarray, jobs: np.ndarray) -> np.ndarray:
    """One uint64 per entry, ascending in (score descending, job ascending, job -1 last): the
    high half is the float32 score's bits turned so that unsigned order is descending score
    (-inf above every finite score), the low half the job index."""
    bits = (np.asarray(scores, dtype=np.float32) + np.float32(0)).view(np.uint32)  # -0.0 -> 0.0
    high = np.where(bits & _SIGN, bits, ~bits & ~_SIGN)
    key = high.astype(np.uint64)
    key <<= np.uint64(32)
    key |= np.asarray(jobs).astype(np.uint32)
    return key


def decode_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(job int32, score float32) of ``order_keys``; job -1 where the score is not finite."""
    high = (keys >> np.uint64(32)).astype(np.uint32)
    score = np.where(high & _SIGN, high, ~high & ~_SIGN).view(np.float32)
    job = (keys & _LOW).astype(np.uint32).view(np.int32)
    finite = np.isfinite(score)
    return np.where(finite, job, -1), np.where(finite, score, NEG)


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
    minor_of: np.ndarray  # occupation index -> minor group index

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


def build_job_lists(jobs: Jobs, vocab: Vocabulary, weights: Weights, depth: int,
                    threads: int = 1) -> JobLists:
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
    # one sort of one integer key (list, then the job's place in the order g descending, job
    # ascending); every level below keeps this order
    by_g = avail[np.lexsort((avail, -g[avail]))]
    place = np.zeros(len(jobs), dtype=np.int64)
    place[by_g] = np.arange(len(by_g))
    shift = max(1, len(by_g).bit_length())
    key = (base << shift) | place[ji]
    key.sort()
    base, ji = key >> shift, by_g[key & ((1 << shift) - 1)]
    n_levels = len(ABILITIES) * N_AGE_BANDS
    lengths = np.zeros(n_levels * n_base, dtype=np.int32)
    age_min, age_max = jobs.age_min[ji], jobs.age_max[ji]
    ability = jobs.min_ability[ji]

    def level_lists(level: int):
        a, band = ABILITIES[level // N_AGE_BANDS], level % N_AGE_BANDS
        low, high = AGE_BANDS[band], AGE_BANDS[band + 1] - 1
        ok = (ability <= a) & (age_min <= high) & (age_max >= low)
        sub, sub_j = base[ok], ji[ok]
        counts = np.bincount(sub, minlength=n_base)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rank = np.arange(len(sub)) - starts[sub]
        keep = rank < depth
        return counts, level * n_base + sub[keep], rank[keep], sub_j[keep]

    levels = map_chunks(level_lists, range(n_levels), threads)
    for level, (counts, *_) in enumerate(levels):
        lengths[level * n_base:(level + 1) * n_base] = counts
    kept_lid, kept_rank, kept_j = ([part[i] for part in levels] for i in (1, 2, 3))
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
                    n_occ=n_occ, n_loc=n_loc, n_districts=nd,
                    minor_of=vocab.minor)
