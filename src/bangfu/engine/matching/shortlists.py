"""Levels 2 to 4 of ``rank``: place contexts, profiles and workers, each reading short sorted
lists of the level below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bangfu.engine.matching.data import Jobs, Workers
from bangfu.engine.matching.joblists import (
    AGE_BANDS, N_AGE_BANDS, N_OUTSIDE, N_SLOTS, N_ZONES, NEG, JobLists, map_chunks, top_per_row,
)
from bangfu.engine.matching.score import (
    D_ABROAD, D_CITY, D_COOPERATION, D_COUNTY, D_OUTSIDE, D_ZONE, DISTANCE_SCORES, FIT_ENTRY,
    FIT_ENTRY_MAJOR, FIT_EXACT, FIT_MEDIUM, FIT_MINOR, FIT_NEWCOMER, Weights, WorkerGroups,
)

if TYPE_CHECKING:  # rank imports this module
    from bangfu.engine.matching.rank import RankConfig


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
                   needed: np.ndarray, occupation: np.ndarray) -> int:
    """Fill ``ctx.jobs/scores/cut`` for the (context, occupation key) pairs in ``needed``.

    Keys from ``lists.n_occ`` on are **own-code** keys (``lists.n_occ`` + occupation): the
    code's jobs and those of its minor group merged by their fit (same code above same minor
    group), one list where a worker of that code reads both. Returns the number of list
    entries read.
    """
    depth_in = min(cfg.list_depth, lists.jobs.shape[1])
    t = cfg.context_depth
    ctx.row = np.full((len(ctx), lists.n_occ + lists.n_codes), len(needed), dtype=np.int32)
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
    # pairs whose lists are all empty keep their empty row (an own-code key: its minor group's)
    c, occ = needed[:, 0], needed[:, 1]
    probe = np.where(occ < lists.n_occ, occ, lists.minor_key(
        lists.minor_of[np.maximum(occ - lists.n_occ, 0)].astype(np.int64)))
    lid = lists.list_id(ctx.level[c][:, None], probe[:, None], keys[c])
    needed = needed[((lists.lengths[lid] > 0) & enabled[c]).any(axis=1)]
    # group pairs by kind (own-code keys read two lists) and their contexts' slot count
    needed = needed[np.lexsort((n_enabled[needed[:, 0]], needed[:, 1] >= lists.n_occ))]
    exact = np.float32(weights.occupation * FIT_EXACT)
    minor = np.float32(weights.occupation * FIT_MINOR)
    chunk = cfg.context_chunk * 64
    bounds = [0, int(np.searchsorted(needed[:, 1] >= lists.n_occ, True)), len(needed)]
    chunks = [(start, min(last, start + chunk)) for first, last in zip(bounds[:-1], bounds[1:])
              for start in range(first, last, chunk)]

    def one(span: tuple[int, int]) -> int:
        pair = needed[span[0]:span[1]]
        c, occ = pair[:, 0], pair[:, 1]
        width = max(1, int(n_enabled[c].max()))
        if occ[0] < lists.n_occ:
            parts = [(occ, None, None)]
        else:
            code = occ - lists.n_occ
            parts = [(lists.code_key(code), exact, None),
                     (lists.minor_key(lists.minor_of[code].astype(np.int64)), minor, code)]
        Js, Ss, listcut, read = [], [], np.zeros(len(pair), dtype=bool), 0
        for key, bonus, skip_code in parts:
            lid = lists.list_id(ctx.level[c][:, None], key[:, None], keys[c, :width])
            lid = np.where(enabled[c, :width], lid, lists.empty)
            rows = lists.row[lid]
            J = lists.jobs[rows, :depth_in]  # [p, slot, d]
            S = lists.scores[rows, :depth_in] + const[c, :width, None]
            drop = own_zone[c, :width, None] & (lists.district[rows, :depth_in] == ctx.district[c][:, None, None])
            if bonus is not None:
                S += bonus
            if skip_code is not None:  # the code's own jobs: already read with their exact fit
                drop |= occupation[J] == skip_code[:, None, None]
            S = np.where(drop, NEG, S)
            read += int((J >= 0).sum())
            listcut |= (lists.lengths[lid] > depth_in).any(axis=1)
            Js.append(J.reshape(len(pair), -1))
            Ss.append(S.reshape(len(pair), -1))
        S = Ss[0] if len(Ss) == 1 else np.concatenate(Ss, axis=1)
        J = Js[0] if len(Js) == 1 else np.concatenate(Js, axis=1)
        top_j, top_s = top_per_row(S, J, t)
        k = top_j.shape[1]
        r = ctx.row[c, occ]
        ctx.jobs[r, :k] = top_j
        ctx.scores[r, :k] = top_s
        ctx.cut[r] = listcut | (np.isfinite(S).sum(axis=1) > t)
        return read

    return sum(map_chunks(one, chunks, cfg.threads))


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
    one = np.uint64(1)
    fit_medium = np.float32(weights.occupation * FIT_MEDIUM)

    def chunk(start: int) -> int:
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
        S = S.reshape(n, -1)
        top_j, _ = top_per_row(S, J.reshape(n, -1), cfg.depth)
        out_j[rows, :top_j.shape[1]] = top_j
        cut[rows] = (slot_cut & ~sentinel).any(axis=1) | (np.isfinite(S).sum(axis=1) > cfg.depth)
        return int((J >= 0).sum())

    read = sum(map_chunks(chunk, range(0, len(prof), cfg.profile_chunk), cfg.threads))
    return out_j, cut, read


# ------------------------------------------------------------------------------------------
# 4. workers
# ------------------------------------------------------------------------------------------
def contexts_of(workers: Workers, widx: np.ndarray) -> tuple[Contexts, np.ndarray]:
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


def profiles_of(workers: Workers, groups: WorkerGroups, widx: np.ndarray, ctx_of: np.ndarray,
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
