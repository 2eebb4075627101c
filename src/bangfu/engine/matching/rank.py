"""Top-k jobs per worker without scoring workers × jobs.

Four levels, each reading only short sorted lists of the level below:

1. **Job lists** (blocking by occupation group and place). Every available job goes into a
   few lists keyed by (occupation key, location key, level). Occupation keys: its medium group
   (中类), its minor group, its own code, and ``ENTRY`` when it is entry-level. Location keys:
   its district and its zone (一区两群) in Chongqing, its cooperation region (or "other")
   elsewhere in China, or abroad. A level is a labour ability and an age band: a list holds the
   jobs open to that ability whose age limits admit that band, sorted by the part of the score
   that depends on the job alone (wage level, employer record) — so the top of a list is never
   wasted on jobs a whole band of workers cannot take.
2. **Place contexts**: workers of one district with the same accepted places, ability and age
   band read the same lists at the same distance classes. For each context and occupation key
   the engine merges those lists once into one sorted list.
3. **Profiles**: workers who share (context, occupation groups, wage band of 1,000 元) share a
   ranking: the merged lists of their groups plus the entry-level list, with the occupation
   fit of the profile, cut to ``depth`` jobs.
4. **Workers**: each worker's profile short list plus the context lists of its own
   occupation codes is scored exactly (``score.score_pairs``: same code, own township) and
   the per-worker vetoes are applied (age, certificates, exact wage, already pushed); the
   best ``top_k`` remain. A worker left with fewer than ``top_k`` while some list was cut is
   ranked again with every depth multiplied by ``deepen_factor``.

The work grows with contexts × lists, profiles × depth and workers × depth — not with
workers × jobs. ``brute.py`` scores every pair with the same ``score_pairs``; the benchmark
compares the two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from bangfu.engine.matching.data import LOC_ABROAD, LOC_CHONGQING, LOC_OUTSIDE, Jobs, Workers
from bangfu.engine.matching.score import (
    D_ABROAD, D_CITY, D_COOPERATION, D_COUNTY, D_OUTSIDE, D_ZONE, DISTANCE_SCORES, FIT_ENTRY,
    FIT_ENTRY_MAJOR, FIT_MEDIUM, FIT_NEWCOMER, PairSet, Weights, WorkerGroups, job_wage_term,
    score_ok_pairs,
)
from bangfu.engine.matching.vocab import COOPERATION_REGIONS, ZONES, Vocabulary

N_ZONES = len(ZONES)
N_OUTSIDE = len(COOPERATION_REGIONS) + 1  # the cooperation regions, then "other"
N_SLOTS = 1 + N_ZONES + N_OUTSIDE + 1  # own district, zones, outside regions, abroad
ABILITIES = (1, 2, 3)
NEG = np.float32(-np.inf)
CODES_PER_WORKER = 3  # own-code (and own minor group) lists read per worker
# Age bands of the place contexts: job age limits cluster at 45, 50, 55 and 60, so a context's
# merged lists hold only jobs whose limits can admit its workers (the exact age is a veto).
AGE_BANDS = np.array([16, 18, 46, 51, 56, 61, 200])
N_AGE_BANDS = len(AGE_BANDS) - 1


@dataclass
class RankConfig:
    top_k: int = 10
    list_depth: int = 16  # entries read from each job list when merging a context
    context_depth: int = 40  # entries kept per (context, occupation key)
    code_depth: int = 16  # entries read from each own-code context list per worker
    minor_depth: int = 8  # entries read from each own-minor-group context list per worker
    depth: int = 30  # profile short-list length
    max_list_depth: int = 128  # entries kept per job list
    deepen_factor: int = 4
    wage_band_fen: int = 100_000  # 1,000 元
    context_chunk: int = 64
    profile_chunk: int = 8192
    worker_chunk: int = 32768

    def deeper(self) -> "RankConfig":
        f = self.deepen_factor
        return RankConfig(
            top_k=self.top_k, list_depth=self.list_depth * f, context_depth=self.context_depth * f,
            code_depth=self.code_depth * f, minor_depth=self.minor_depth * f, depth=self.depth * f,
            max_list_depth=self.max_list_depth,
            deepen_factor=f, wage_band_fen=self.wage_band_fen,
            context_chunk=max(1, self.context_chunk // f), profile_chunk=max(1, self.profile_chunk // f),
            worker_chunk=max(1, self.worker_chunk // f))


@dataclass
class Recommendations:
    """``top_k`` columns per worker (row = worker index); job index -1 where there is none."""

    job: np.ndarray  # int32 [n_workers, top_k] job index
    score: np.ndarray  # float32 [n_workers, top_k]
    stats: dict = field(default_factory=dict)

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Flat (worker index, job index, score) of every recommendation, best first per worker."""
        wi, k = np.nonzero(self.job >= 0)
        return wi, self.job[wi, k], self.score[wi, k]

    def count(self) -> np.ndarray:
        return (self.job >= 0).sum(axis=1)


def _top(scores: np.ndarray, jobs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` per row, sorted; (-1, -inf) padding."""
    n, width = scores.shape
    k = min(k, width)
    if width <= 4 * k:  # narrow rows: one sort is cheaper than partition + sort
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        top_s = np.take_along_axis(scores, order, 1)
        top_j = np.where(np.isfinite(top_s), np.take_along_axis(jobs, order, 1), -1)
        return top_j.astype(np.int32), top_s
    if width > k:
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        top_s = np.take_along_axis(scores, part, 1)
    else:
        part = np.broadcast_to(np.arange(width), (n, width))
        top_s = scores
    order = np.argsort(-top_s, axis=1, kind="stable")
    part = np.take_along_axis(part, order, 1)
    top_s = np.take_along_axis(top_s, order, 1)
    top_j = np.where(np.isfinite(top_s), np.take_along_axis(jobs, part, 1), -1)
    return top_j.astype(np.int32), top_s


# ------------------------------------------------------------------------------------------
# 1. job lists
# ------------------------------------------------------------------------------------------
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


# ------------------------------------------------------------------------------------------
# 2. place contexts
# ------------------------------------------------------------------------------------------
@dataclass
class Contexts:
    district: np.ndarray
    zone: np.ndarray
    accepted: np.ndarray
    ability: np.ndarray
    level: np.ndarray  # (ability - 1) × N_AGE_BANDS + age band: which job lists it reads
    # merged lists, only for the (context, occupation key) pairs someone reads: ``row`` maps a
    # pair to its row of ``jobs``/``scores``/``cut`` (the last row is an empty list)
    row: np.ndarray | None = None  # int32 [n_ctx, n_occ]
    jobs: np.ndarray | None = None  # int32 [n_pairs + 1, context_depth]
    scores: np.ndarray | None = None  # float32, distance part + job part
    cut: np.ndarray | None = None  # bool [n_pairs + 1]: more candidates than kept

    def __len__(self) -> int:
        return len(self.district)


def _slots(ctx: Contexts, rows: np.ndarray, lists: JobLists, weights: Weights):
    """Location keys, distance constants, enabled flags and own-zone flags: [n, N_SLOTS]."""
    nd = lists.n_districts
    n = len(rows)
    acc = ctx.accepted[rows].astype(np.int64)
    zone = ctx.zone[rows]
    keys = np.empty((n, N_SLOTS), dtype=np.int64)
    dist = np.empty((n, N_SLOTS), dtype=np.int64)
    enabled = np.empty((n, N_SLOTS), dtype=bool)
    own_zone = np.zeros((n, N_SLOTS), dtype=bool)
    keys[:, 0], dist[:, 0], enabled[:, 0] = ctx.district[rows], D_COUNTY, (acc & 1) > 0
    for z in range(N_ZONES):
        c = 1 + z
        keys[:, c], dist[:, c], enabled[:, c] = nd + z, np.where(zone == z, D_ZONE, D_CITY), (acc & 2) > 0
        own_zone[:, c] = zone == z
    for r in range(N_OUTSIDE):
        c = 1 + N_ZONES + r
        keys[:, c] = nd + N_ZONES + r
        dist[:, c] = D_COOPERATION if r < N_OUTSIDE - 1 else D_OUTSIDE
        enabled[:, c] = (acc & 4) > 0
    keys[:, -1], dist[:, -1], enabled[:, -1] = lists.n_loc - 1, D_ABROAD, (acc & 8) > 0
    const = (weights.distance * DISTANCE_SCORES[dist]).astype(np.float32)
    return keys, const, enabled, own_zone


def merge_contexts(ctx: Contexts, lists: JobLists, weights: Weights, cfg: RankConfig,
                   needed: np.ndarray) -> int:
    """Fill ``ctx.jobs/scores/cut`` for the (context, occupation key) pairs in ``needed``.

    Returns the number of list entries read.
    """
    depth_in = min(cfg.list_depth, lists.jobs.shape[1])
    t = cfg.context_depth
    ctx.row = np.full((len(ctx), lists.n_occ), len(needed), dtype=np.int32)
    ctx.row[needed[:, 0], needed[:, 1]] = np.arange(len(needed), dtype=np.int32)
    ctx.jobs = np.full((len(needed) + 1, t), -1, dtype=np.int32)
    ctx.scores = np.full((len(needed) + 1, t), NEG, dtype=np.float32)
    ctx.cut = np.zeros(len(needed) + 1, dtype=bool)
    keys, const, enabled, own_zone = _slots(ctx, np.arange(len(ctx)), lists, weights)
    # enabled slots first, so a chunk reads only as many slots as its contexts use
    order = np.argsort(~enabled, axis=1, kind="stable")
    keys, const, enabled, own_zone = (np.take_along_axis(x, order, 1)
                                      for x in (keys, const, enabled, own_zone))
    n_enabled = enabled.sum(axis=1)
    # group pairs by their contexts' slot count: fewer wasted reads
    needed = needed[np.argsort(n_enabled[needed[:, 0]], kind="stable")]
    read = 0
    chunk = cfg.context_chunk * 64
    for start in range(0, len(needed), chunk):
        pair = needed[start:start + chunk]
        c, occ = pair[:, 0], pair[:, 1]
        width = max(1, int(n_enabled[c].max()))
        lid = lists.list_id(ctx.level[c][:, None], occ[:, None], keys[c, :width])
        lid = np.where(enabled[c, :width], lid, lists.empty)
        rows = lists.row[lid]
        J = lists.jobs[rows, :depth_in]  # [p, slot, d]
        S = lists.scores[rows, :depth_in] + const[c, :width, None]
        own = own_zone[c, :width, None] & (lists.district[rows, :depth_in] == ctx.district[c][:, None, None])
        S = np.where(own, NEG, S)
        read += int((J >= 0).sum())
        listcut = (lists.lengths[lid] > depth_in).any(axis=1)
        S = S.reshape(len(pair), -1)
        J = J.reshape(len(pair), -1)
        top_j, top_s = _top(S, J, t)
        k = top_j.shape[1]
        r = ctx.row[c, occ]
        ctx.jobs[r, :k] = top_j
        ctx.scores[r, :k] = top_s
        ctx.cut[r] = listcut | (np.isfinite(S).sum(axis=1) > t)
    return read


# ------------------------------------------------------------------------------------------
# 3. profiles
# ------------------------------------------------------------------------------------------
@dataclass
class Profiles:
    context: np.ndarray  # context index
    mediums: np.ndarray  # int16 [n_profiles, width], sentinel = n_med
    medium_bits: np.ndarray  # uint64
    major_bits: np.ndarray  # uint64
    has_codes: np.ndarray
    wage_floor: np.ndarray  # int64 fen

    def __len__(self) -> int:
        return len(self.context)


def rank_profiles(prof: Profiles, ctx: Contexts, jobs: Jobs, lists: JobLists, weights: Weights,
                  cfg: RankConfig) -> tuple[np.ndarray, np.ndarray, int]:
    """(short lists [n_profiles, depth], cut flags, entries read)."""
    n_med = lists.n_med
    t = ctx.jobs.shape[1]
    out_j = np.full((len(prof), cfg.depth), -1, dtype=np.int32)
    cut = np.zeros(len(prof), dtype=bool)
    read = 0
    one = np.uint64(1)
    fit_medium = np.float32(weights.occupation * FIT_MEDIUM)
    for start in range(0, len(prof), cfg.profile_chunk):
        rows = np.arange(start, min(len(prof), start + cfg.profile_chunk))
        n = len(rows)
        c = prof.context[rows]
        meds = prof.mediums[rows]
        occ = np.concatenate([np.minimum(meds, n_med), np.full((n, 1), n_med)], axis=1)
        r = ctx.row[c[:, None], occ]
        J = ctx.jobs[r]  # [n, slots, t]
        S = ctx.scores[r]
        slot_cut = ctx.cut[r]
        sentinel = np.concatenate([meds >= n_med, np.zeros((n, 1), bool)], axis=1)
        S = np.where(sentinel[:, :, None], NEG, S)
        safe = np.maximum(J, 0)
        # medium-group slots: the profile's group fit; entry-level slot: fit by the job's groups
        jmed = jobs.medium[safe[:, -1]]
        in_groups = ((prof.medium_bits[rows][:, None] >> jmed.astype(np.uint64)) & one).astype(bool)
        same_major = ((prof.major_bits[rows][:, None] >> jobs.major[safe[:, -1]].astype(np.uint64))
                      & one).astype(bool)
        entry_fit = np.where(prof.has_codes[rows][:, None],
                             np.where(same_major, FIT_ENTRY_MAJOR, FIT_ENTRY), FIT_NEWCOMER)
        S[:, :-1] += fit_medium
        S[:, -1] = np.where(in_groups, NEG, S[:, -1] + np.float32(weights.occupation) * entry_fit)
        S = np.where(jobs.wage_max[safe] < prof.wage_floor[rows][:, None, None], NEG, S)
        read += int((J >= 0).sum())
        S = S.reshape(n, -1)
        J = J.reshape(n, -1)
        top_j, _ = _top(S, J, cfg.depth)
        out_j[rows, :top_j.shape[1]] = top_j
        cut[rows] = (slot_cut & ~sentinel).any(axis=1) | (np.isfinite(S).sum(axis=1) > cfg.depth)
    return out_j, cut, read


# ------------------------------------------------------------------------------------------
# 4. workers
# ------------------------------------------------------------------------------------------
def _dedupe(cand: np.ndarray) -> np.ndarray:
    """Each row's job indexes once (sorted; -1 where a repeat was)."""
    s = np.sort(cand, axis=1)
    dup = np.zeros_like(s, dtype=bool)
    dup[:, 1:] = (s[:, 1:] == s[:, :-1])
    s[dup] = -1
    return s


def rank_workers(workers: Workers, groups: WorkerGroups, jobs: Jobs, widx: np.ndarray,
                 cand: np.ndarray, weights: Weights, pushed: PairSet | None, top_k: int
                 ) -> tuple[np.ndarray, np.ndarray, int]:
    """Exact scores and vetoes over each worker's candidates; the best ``top_k`` per worker."""
    cand = _dedupe(cand)
    n, m = cand.shape
    valid = (cand >= 0).ravel()
    wi = np.repeat(widx, m)[valid]
    ji = cand.ravel()[valid].astype(np.int64)
    score, ok = score_ok_pairs(workers, groups, jobs, wi, ji, weights, pushed)
    full = np.full(n * m, NEG, dtype=np.float32)
    full[valid] = np.where(ok, score, NEG)
    top_j, top_s = _top(full.reshape(n, m), cand, top_k)
    return top_j, top_s, len(wi)


# ------------------------------------------------------------------------------------------
# the pipeline
# ------------------------------------------------------------------------------------------
def _contexts_of(workers: Workers, widx: np.ndarray) -> tuple[Contexts, np.ndarray]:
    band = np.searchsorted(AGE_BANDS, workers.age[widx], side="right") - 1
    band = np.clip(band, 0, len(AGE_BANDS) - 2)
    key = (workers.district[widx].astype(np.int64) << 12) | (workers.accepted[widx].astype(np.int64) << 6) \
        | (workers.ability[widx].astype(np.int64) << 4) | band
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    f = widx[first]
    fb = band[first]
    return Contexts(district=workers.district[f].astype(np.int64), zone=workers.zone[f].astype(np.int64),
                    accepted=workers.accepted[f], ability=workers.ability[f].astype(np.int64),
                    level=(workers.ability[f].astype(np.int64) - 1) * N_AGE_BANDS + fb), inverse.reshape(-1)


def _profiles_of(workers: Workers, groups: WorkerGroups, widx: np.ndarray, ctx_of: np.ndarray,
                 n_med: int, band_fen: int, width: int) -> tuple[Profiles, np.ndarray]:
    band = np.minimum(np.where(workers.expected_wage[widx] > 0, workers.expected_wage[widx] // band_fen + 1, 0), 255)
    if n_med <= 24 and len(ctx_of) and int(ctx_of.max()) < 2**30:  # one int64 key: fast unique
        key = (ctx_of.astype(np.int64) << 32) | (groups.medium_bits[widx].astype(np.int64) << 8) | band
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    else:  # pragma: no cover - a longer occupation list
        key_cols = np.column_stack([ctx_of, groups.medium_bits[widx].view(np.int64), band])
        _, first, inverse = np.unique(key_cols, axis=0, return_index=True, return_inverse=True)
    f = widx[first]
    bits = groups.medium_bits[f]
    meds = np.full((len(f), width), n_med, dtype=np.int16)
    fill = np.zeros(len(f), dtype=np.int64)
    for m in range(n_med):
        has = ((bits >> np.uint64(m)) & np.uint64(1)).astype(bool) & (fill < width)
        meds[has, fill[has]] = m
        fill += has
    pband = band[first]
    return Profiles(context=ctx_of[first], mediums=meds, medium_bits=bits,
                    major_bits=groups.major_bits[f], has_codes=groups.has_codes[f],
                    wage_floor=np.where(pband > 0, (pband - 1) * band_fen, 0).astype(np.int64)
                    ), inverse.reshape(-1)


def _pipeline(workers: Workers, groups: WorkerGroups, jobs: Jobs, lists: JobLists,
              widx: np.ndarray, weights: Weights, pushed: PairSet | None, cfg: RankConfig,
              stats: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    clock = time.perf_counter()
    minor_of = groups.minor_of
    ctx, ctx_of = _contexts_of(workers, widx)
    stats["contexts"] = stats.get("contexts", 0) + len(ctx)
    width = max(1, int(np.bitwise_count(groups.medium_bits[widx]).max()) if len(widx) else 1)
    prof, prof_of = _profiles_of(workers, groups, widx, ctx_of, lists.n_med, cfg.wage_band_fen, width)
    # the (context, occupation key) lists anyone reads: entry-level, profile groups, own codes
    need = [np.column_stack([np.arange(len(ctx)), np.full(len(ctx), lists.entry_key)])]
    for k in range(prof.mediums.shape[1]):
        has = prof.mediums[:, k] < lists.n_med
        need.append(np.column_stack([prof.context[has], prof.mediums[has, k]]))
    for k in range(CODES_PER_WORKER):
        code = workers.codes[widx, k]
        has = code >= 0
        need.append(np.column_stack([ctx_of[has], lists.code_key(code[has].astype(np.int64))]))
        minor = minor_of[code[has]].astype(np.int64)
        need.append(np.column_stack([ctx_of[has], lists.minor_key(minor)]))
    pairs = np.concatenate(need).astype(np.int64)
    keys = np.unique(pairs[:, 0] * lists.n_occ + pairs[:, 1])
    needed = np.column_stack([keys // lists.n_occ, keys % lists.n_occ])
    stats["entries_read"] = stats.get("entries_read", 0) + merge_contexts(ctx, lists, weights, cfg, needed)
    stats["profiles"] = stats.get("profiles", 0) + len(prof)
    clock = _lap(stats, "contexts_s", clock)
    short, prof_cut, read = rank_profiles(prof, ctx, jobs, lists, weights, cfg)
    stats["entries_read"] += read
    clock = _lap(stats, "profiles_s", clock)

    n = len(widx)
    out_j = np.full((n, cfg.top_k), -1, dtype=np.int32)
    out_s = np.full((n, cfg.top_k), NEG, dtype=np.float32)
    maybe_more = np.zeros(n, dtype=bool)
    # workers with as many own codes side by side (no padding columns), neighbours sharing
    # their profile's short list
    n_codes = (workers.codes[widx, :CODES_PER_WORKER] >= 0).sum(axis=1)
    order = np.lexsort((prof_of, n_codes))
    bounds = np.searchsorted(n_codes[order], np.arange(CODES_PER_WORKER + 2))
    chunks = []
    for k in range(CODES_PER_WORKER + 1):
        first, last = int(bounds[k]), int(bounds[k + 1])
        chunks += [(s, min(last, s + cfg.worker_chunk)) for s in range(first, last, cfg.worker_chunk)]
    for start, stop in chunks:
        rows = order[start:stop]
        w = widx[rows]
        c = ctx_of[rows]
        width = max(1, int(n_codes[rows].max()))
        codes = workers.codes[w, :width]
        has = codes >= 0
        safe = np.maximum(codes, 0).astype(np.int64)
        code_keys = np.where(has, lists.code_key(safe), 0)
        minor_keys = np.where(has, lists.minor_key(minor_of[safe].astype(np.int64)), 0)
        own = ctx.jobs[ctx.row[c[:, None], code_keys], :cfg.code_depth]  # [n, codes, depth]
        own = np.where(has[:, :, None], own, -1).reshape(len(rows), -1)
        near = ctx.jobs[ctx.row[c[:, None], minor_keys], :cfg.minor_depth]
        near = np.where(has[:, :, None], near, -1).reshape(len(rows), -1)
        own_cut = ((ctx.cut[ctx.row[c[:, None], code_keys]] | ctx.cut[ctx.row[c[:, None], minor_keys]])
                   & has).any(axis=1)
        cand = np.concatenate([short[prof_of[rows]], own, near], axis=1)
        top_j, top_s, scored = rank_workers(workers, groups, jobs, w, cand, weights, pushed, cfg.top_k)
        out_j[rows], out_s[rows] = top_j, top_s
        maybe_more[rows] = prof_cut[prof_of[rows]] | own_cut
        stats["pairs_scored"] = stats.get("pairs_scored", 0) + scored
    _lap(stats, "workers_s", clock)
    return out_j, out_s, maybe_more


def _lap(stats: dict, key: str, since: float) -> float:
    now = time.perf_counter()
    stats[key] = round(stats.get(key, 0.0) + now - since, 3)
    return now


def recommend(workers: Workers, jobs: Jobs, vocab: Vocabulary, weights: Weights | None = None, *,
              pushed: PairSet | None = None, config: RankConfig | None = None) -> Recommendations:
    """The best ``config.top_k`` jobs for every worker that no veto forbids, best first."""
    weights = weights or Weights()
    cfg = config or RankConfig()
    n = len(workers)
    result_j = np.full((n, cfg.top_k), -1, dtype=np.int32)
    result_s = np.full((n, cfg.top_k), NEG, dtype=np.float32)
    stats: dict = {"workers": n, "jobs": len(jobs), "available_jobs": int(jobs.available.sum())}
    usable = np.flatnonzero(workers.ability > 0)
    if not len(usable) or not stats["available_jobs"]:
        stats["workers_with_recommendation"] = 0
        return Recommendations(result_j, result_s, stats)
    clock = time.perf_counter()
    groups = WorkerGroups.of(workers, vocab)
    lists = build_job_lists(jobs, vocab, weights, cfg.max_list_depth)
    stats["lists"] = int((lists.lengths > 0).sum())
    _lap(stats, "lists_s", clock)
    j, s, more = _pipeline(workers, groups, jobs, lists, usable, weights, pushed, cfg, stats)
    result_j[usable], result_s[usable] = j, s
    again = usable[((j >= 0).sum(axis=1) < cfg.top_k) & more]
    stats["deepened_workers"] = int(len(again))
    if len(again):
        deep: dict = {}
        j2, s2, _ = _pipeline(workers, groups, jobs, lists, again, weights, pushed, cfg.deeper(), deep)
        result_j[again], result_s[again] = j2, s2
        for key in ("contexts", "profiles", "entries_read", "pairs_scored"):
            stats[key] += deep.get(key, 0)
        stats["deepen_s"] = round(sum(v for k, v in deep.items() if k.endswith("_s")), 3)
    stats["workers_with_recommendation"] = int((result_j[:, 0] >= 0).sum())
    return Recommendations(result_j, result_s, stats)
