"""Level 4 of ``rank``: ``score.py``'s score and vetoes of worker × candidate pairs, from tables
built once per run.

A pair's score is ``score.pair_scores`` split by what it depends on:

* the job alone (wage level, employer record; -inf for an expired or full job): ``job_part``;
* the worker's occupation codes × the job's occupation and entry level: the **fit table**, one
  row per distinct code set, -inf where the pair is not a candidate;
* the worker's district, accepted places and ability × the job's location, required ability
  and "same township": the **distance table**, -inf where the place or the ability is vetoed;
* the worker alone (its wage expectation, priority): added after the ranking, it does not
  change the order of one worker's jobs.

So scoring a pair is three gathers and two adds. The vetoes left (exact age, exact wage,
certificates, already pushed) are checked only on the best few of each row; a row whose best
few do not leave ``top_k`` distinct jobs is checked in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu.engine.matching.data import LOC_ABROAD, LOC_OUTSIDE, Jobs, Workers
from bangfu.engine.matching.joblists import decode_keys, order_keys
from bangfu.engine.matching.score import (
    D_ABROAD, D_CITY, D_COOPERATION, D_COUNTY, D_OUTSIDE, D_TOWNSHIP, D_ZONE, DISTANCE_PLACE_BIT,
    DISTANCE_SCORES, FIT_ENTRY, FIT_ENTRY_MAJOR, FIT_EXACT, FIT_MEDIUM, FIT_MINOR, FIT_NEWCOMER,
    PairSet, Weights, WorkerGroups, job_wage_term, priority_fit, worker_wage_term,
)
from bangfu.engine.matching.vocab import COOPERATION_REGIONS

NEG = np.float32(-np.inf)
N_OUTSIDE = len(COOPERATION_REGIONS) + 1  # the cooperation regions, then "other"
INVALID = np.uint64(0xFFFFFFFFFFFFFFFF)  # a vetoed or repeated entry: after everything
INFINITE = np.uint64(0xFF800000) << np.uint64(32)  # keys from here on have a score of -inf
LOW = np.uint64(0xFFFFFFFF)
SPARE = 2  # × top_k best keys of a row checked first (repeats, vetoes); a row left short is checked in full


@dataclass
class PairTables:
    """Every array of jobs has one more entry, a sentinel that job index -1 reads (-inf)."""

    job_part: np.ndarray  # float32 [n_jobs + 1]
    job_cols: np.ndarray  # int32 or int64, three fields (one gather): the fit table's column
    # (occupation × 2 + entry level), the distance table's ((location × 4 + ability) × 2) and
    # the township + 2 (0: none)
    loc_shift: int
    town_shift: int
    job_age_min: np.ndarray  # int16
    job_age_max: np.ndarray  # int16
    job_wage_max: np.ndarray  # int64
    job_certs: np.ndarray  # uint64 [n_jobs + 1, words]
    job_id: np.ndarray
    fit: np.ndarray  # float32, flat [n_code_sets × n_fit_cols]
    dist: np.ndarray  # float32, flat [n_districts × 16 × 4 × n_loc_cols]
    w_fit_base: np.ndarray  # int32 per worker: its row of the fit table
    w_dist_base: np.ndarray  # int32 per worker: its row of the distance table
    w_town: np.ndarray  # per worker: its township + 2 (1: unknown, never a job's)
    w_const: np.ndarray  # float32 per worker
    workers: Workers
    pushed: PairSet | None
    nonnegative: bool = False  # no finite part below 0 (nor -0.0): every finite score is >= +0

    @classmethod
    def build(cls, workers: Workers, groups: WorkerGroups, jobs: Jobs, vocab, weights: Weights,
              pushed: PairSet | None) -> "PairTables":
        n_occ = vocab.n_occupations
        # the fit table: one row per distinct set of occupation codes
        sets, first, inverse = np.unique(groups.code_bits, return_index=True, return_inverse=True)
        occ = np.arange(n_occ)
        one = np.uint64(1)

        def has(bits, index):
            return ((bits[first][:, None] >> index.astype(np.uint64)[None, :]) & one).astype(bool)

        exact, minor = has(groups.code_bits, occ), has(groups.minor_bits, vocab.minor)
        medium, major = has(groups.medium_bits, vocab.medium), has(groups.major_bits, vocab.major)
        entry_fit = np.where(groups.has_codes[first][:, None],
                             np.where(major, FIT_ENTRY_MAJOR, FIT_ENTRY), FIT_NEWCOMER)
        fit = np.empty((len(sets), n_occ, 2), dtype=np.float32)
        for entry in (0, 1):
            value = np.where(exact, FIT_EXACT, np.where(minor, FIT_MINOR, np.where(
                medium, FIT_MEDIUM, np.where(bool(entry), entry_fit, 0.0))))
            fit[:, :, entry] = np.where(medium | bool(entry), weights.occupation * value, -np.inf)
        # the distance table: (district, accepted, ability) × (location, required ability, township)
        nd = vocab.n_districts
        n_loc = nd + N_OUTSIDE + 1
        wd = np.arange(nd)[:, None]
        loc = np.arange(n_loc)[None, :]
        in_cq = loc < nd
        same_zone = vocab.district_zone[np.minimum(loc, nd - 1)] == vocab.district_zone[wd]
        cls_cq = np.where(loc == wd, D_COUNTY, np.where(same_zone, D_ZONE, D_CITY))
        cls_out = np.where(loc == n_loc - 1, D_ABROAD,
                           np.where(loc - nd < N_OUTSIDE - 1, D_COOPERATION, D_OUTSIDE))
        dclass = np.stack([np.where(in_cq, cls_cq, cls_out),
                           np.where(in_cq & (loc == wd), D_TOWNSHIP, np.where(in_cq, cls_cq, cls_out))],
                          axis=-1)  # [nd, n_loc, same township]
        acc = np.arange(16)[:, None, None, None, None]
        ability = np.arange(4)[:, None, None, None]
        need = np.arange(4)[:, None]
        place_ok = (DISTANCE_PLACE_BIT[dclass][:, None, None, :, None, :] & acc[None]) > 0
        ok = place_ok & (ability[None, None] >= need[None, None, None, None]) & (need >= 1)
        score = (weights.distance * DISTANCE_SCORES[dclass])[:, None, None, :, None, :]
        dist = np.where(ok, score, -np.inf).astype(np.float32)  # [nd, 16, 4, n_loc, 4, 2]
        n_loc_cols = n_loc * 4 * 2
        # per job
        kind = jobs.loc_kind
        loc_j = np.where(kind == LOC_ABROAD, n_loc - 1, np.where(
            kind == LOC_OUTSIDE, nd + np.where(jobs.cooperation >= 0, jobs.cooperation, N_OUTSIDE - 1),
            jobs.district)).astype(np.int64)
        part = (weights.wage * 0.5 * job_wage_term(jobs) + weights.employer * jobs.employer_score.astype(np.float64))
        part = np.where(jobs.available, part, -np.inf)

        def pad(values, fill, dtype):
            return np.append(np.asarray(values, dtype=dtype), np.asarray(fill, dtype=dtype))

        certs = np.concatenate([jobs.certs, np.zeros((1, jobs.certs.shape[1]), np.uint64)])
        w_const = (weights.wage * (0.5 - 0.5 * worker_wage_term(workers))
                   + weights.priority * priority_fit(workers))
        wkey = (workers.district.astype(np.int64) * 16 + workers.accepted) * 4 + workers.ability
        fit_col = jobs.occupation.astype(np.int64) * 2 + jobs.entry_level
        loc_col = (loc_j * 4 + jobs.min_ability) * 2
        town = np.where(jobs.township >= 0, jobs.township.astype(np.int64) + 2, 0)
        loc_shift = (2 * n_occ).bit_length()
        town_shift = loc_shift + n_loc_cols.bit_length()
        top = town_shift + max(int(town.max(initial=0)), int(workers.township.max(initial=0)) + 2).bit_length()
        col_type = np.int32 if top < 31 else np.int64
        return cls(
            job_part=pad(part, -np.inf, np.float32),
            job_cols=pad(fit_col | (loc_col << loc_shift) | (town << town_shift), 0, col_type),
            loc_shift=loc_shift, town_shift=town_shift,
            job_age_min=pad(jobs.age_min, 0, np.int16), job_age_max=pad(jobs.age_max, 0, np.int16),
            job_wage_max=pad(jobs.wage_max, 0, np.int64), job_certs=certs,
            job_id=pad(jobs.id, -1, np.int64),
            fit=fit.reshape(-1), dist=dist.reshape(-1),
            w_fit_base=(inverse.reshape(-1) * (n_occ * 2)).astype(np.int32),
            w_dist_base=(wkey * n_loc_cols).astype(np.int32),
            w_town=(workers.township.astype(np.int64) + 2).astype(col_type),
            w_const=w_const.astype(np.float32), workers=workers, pushed=pushed,
            nonnegative=all(_nonnegative(x) for x in (part.astype(np.float32), fit, dist)))

    def scores(self, widx: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """float32 [n, m] score without the worker's own part; -inf where a veto of the tables
        (or padding) forbids the pair."""
        w = widx[:, None]
        cols = self.job_cols[cand]
        fit_col = cols & ((1 << self.loc_shift) - 1)
        fit_col += self.w_fit_base[w]
        col = cols >> self.loc_shift
        col &= (1 << (self.town_shift - self.loc_shift)) - 1
        col += (cols >> self.town_shift) == self.w_town[w]
        col += self.w_dist_base[w]
        out = self.dist[col]
        out += self.fit[fit_col]
        out += self.job_part[cand]
        return out

    def vetoed(self, widx: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """The vetoes the tables do not hold: exact age, exact wage, certificates, pushed."""
        w = widx[:, None]
        age = self.workers.age[w]
        expected = self.workers.expected_wage[w]
        bad = self.job_age_min[cand] > age
        bad |= self.job_age_max[cand] < age
        bad |= (expected > 0) & (self.job_wage_max[cand] < expected)
        for word in range(self.job_certs.shape[1]):
            need = self.job_certs[cand, word]
            bad |= (need & ~self.workers.certs[w, word]) != 0
        if self.pushed is not None and len(self.pushed):
            ids = np.broadcast_to(self.workers.id[w], cand.shape)
            bad |= self.pushed.contains(ids, self.job_id[cand]) & (cand >= 0)
        return bad


def _nonnegative(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return not np.signbit(finite).any()


def _distinct_first(keys: np.ndarray, k: int) -> np.ndarray:
    """Sorted rows, repeats dropped (moved last as ``INVALID``), the first ``k``."""
    keys = np.sort(keys, axis=1)
    keys[:, 1:][keys[:, 1:] == keys[:, :-1]] = INVALID
    keys.sort(axis=1)
    out = np.full((len(keys), k), INVALID, dtype=np.uint64)
    width = min(k, keys.shape[1])
    out[:, :width] = keys[:, :width]
    return out


def rank_pairs(tables: PairTables, widx: np.ndarray, cand: np.ndarray, top_k: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """The best ``top_k`` distinct, unvetoed jobs per row of ``cand`` (-1 padding), best first."""
    n, m = cand.shape
    scores = tables.scores(widx, cand)
    if tables.nonnegative:  # the float's bits are its order: four passes instead of nine
        high = np.uint32(0x7FFFFFFF) - scores.view(np.uint32)  # -inf wraps to 0x807FFFFF and up
        keys = high.astype(np.uint64)
        keys <<= np.uint64(32)
        keys |= cand.view(np.uint32)
        limit = np.uint64(0x80000000) << np.uint64(32)
    else:
        keys, limit = order_keys(scores, cand), INFINITE  # -inf sorts after every finite score
    spare = min(m, SPARE * top_k)
    head = np.partition(keys, spare - 1, axis=1)[:, :spare] if m > spare else keys
    head = np.where(head < limit, head, INVALID)
    # every finite entry of a row is in its head unless the head is all finite
    head_full = (head != INVALID).all(axis=1)
    head_cand = (head & LOW).astype(np.uint32).view(np.int32)
    head = np.where(tables.vetoed(widx, head_cand), INVALID, head)
    top = _distinct_first(head, top_k)
    # rows whose head lost too many to vetoes and repeats, while more finite pairs remain
    redo = np.flatnonzero(((top < INFINITE).sum(axis=1) < top_k) & head_full & (m > spare))
    if len(redo):
        full = np.where(tables.vetoed(widx[redo], cand[redo]) | (keys[redo] >= limit), INVALID, keys[redo])
        top[redo] = _distinct_first(full, top_k)
    job, score = decode_keys(top)
    score = np.where(job >= 0, score + tables.w_const[widx][:, None], NEG)
    return job, score
