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
   the engine merges those lists once into one sorted list; for an own-code key it merges the
   code's lists and its minor group's, by their fit (same code above same minor group).
3. **Profiles**: workers who share (context, occupation groups, wage band of 1,000 元) share a
   ranking: the merged lists of their groups plus the entry-level list, with the occupation
   fit of the profile, cut to ``depth`` jobs.
4. **Workers**: each worker's profile short list plus the own-code context lists of its
   occupation codes is scored exactly (``pairs.py``: ``score.py``'s score from tables built
   once per run; same code, own township) and the per-worker vetoes are applied (age,
   certificates, exact wage, already pushed); the best ``top_k`` remain. A worker left with
   fewer than ``top_k`` while some list was cut is ranked again with every depth multiplied by
   ``deepen_factor``.

The work grows with contexts × lists, profiles × depth and workers × depth — not with
workers × jobs. ``brute.py`` scores every pair with ``score.score_pairs``; the benchmark
compares the two. Level 1 lives in ``joblists.py``, levels 2 and 3 in ``shortlists.py``,
level 4's scoring in ``pairs.py``; this module holds the configuration and the pipeline that
runs them.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from bangfu.engine.matching.data import Jobs, Workers
# The levels live in joblists (1) and shortlists (2-4); their names stay importable from here.
from bangfu.engine.matching.joblists import (  # noqa: F401
    ABILITIES, AGE_BANDS, N_AGE_BANDS, N_OUTSIDE, N_SLOTS, N_ZONES, NEG, JobLists, build_job_lists,
    map_chunks, top_per_row,
)
from bangfu.engine.matching.pairs import PairTables, rank_pairs
from bangfu.engine.matching.score import PairSet, Weights, WorkerGroups
from bangfu.engine.matching.shortlists import (  # noqa: F401
    Contexts, Profiles, contexts_of, merge_contexts, profiles_of, rank_profiles,
)
from bangfu.engine.matching.vocab import Vocabulary

CODES_PER_WORKER = 3  # own-code lists (the code's jobs, then its minor group's) read per worker


@dataclass
class RankConfig:
    top_k: int = 10
    list_depth: int = 24  # entries read from each job list when merging a context
    context_depth: int = 40  # entries kept per (context, occupation key)
    code_depth: int = 36  # entries read per worker from each own-code context list
    depth: int = 24  # profile short-list length
    max_list_depth: int = 128  # entries kept per job list
    deepen_factor: int = 4
    wage_band_fen: int = 100_000  # 1,000 元
    context_chunk: int = 16  # × 64 (context, key) pairs; small chunks: temporaries that stay in cache
    profile_chunk: int = 2048
    worker_chunk: int = 4096
    threads: int = 2  # chunks ranked side by side (numpy releases the GIL in its loops)

    def deeper(self) -> "RankConfig":
        f = self.deepen_factor
        return RankConfig(
            top_k=self.top_k, list_depth=self.list_depth * f, context_depth=self.context_depth * f,
            code_depth=self.code_depth * f, depth=self.depth * f,
            max_list_depth=self.max_list_depth,
            deepen_factor=f, wage_band_fen=self.wage_band_fen,
            context_chunk=max(1, self.context_chunk // f), profile_chunk=max(1, self.profile_chunk // f),
            worker_chunk=max(1, self.worker_chunk // f), threads=self.threads)


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


def _pipeline(workers: Workers, groups: WorkerGroups, jobs: Jobs, lists: JobLists, tables: PairTables,
              widx: np.ndarray, weights: Weights, cfg: RankConfig,
              stats: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    clock = time.perf_counter()
    minor_of = groups.minor_of
    ctx, ctx_of = contexts_of(workers, widx)
    stats["contexts"] = stats.get("contexts", 0) + len(ctx)
    width = max(1, int(np.bitwise_count(groups.medium_bits[widx]).max()) if len(widx) else 1)
    prof, prof_of = profiles_of(workers, groups, widx, ctx_of, lists.n_med, cfg.wage_band_fen, width)
    # the (context, occupation key) lists anyone reads: entry-level, profile groups, own codes
    need = [np.column_stack([np.arange(len(ctx)), np.full(len(ctx), lists.entry_key)])]
    for k in range(prof.mediums.shape[1]):
        has = prof.mediums[:, k] < lists.n_med
        need.append(np.column_stack([prof.context[has], prof.mediums[has, k]]))
    for k in range(CODES_PER_WORKER):
        code = workers.codes[widx, k]
        has = code >= 0
        need.append(np.column_stack([ctx_of[has], lists.n_occ + code[has].astype(np.int64)]))
    pairs = np.concatenate(need).astype(np.int64)
    n_keys = lists.n_occ + lists.n_codes
    keys = np.unique(pairs[:, 0] * n_keys + pairs[:, 1])
    needed = np.column_stack([keys // n_keys, keys % n_keys])
    stats["entries_read"] = stats.get("entries_read", 0) + merge_contexts(ctx, lists, weights, cfg, needed,
                                                                          jobs.occupation)
    stats["profiles"] = stats.get("profiles", 0) + len(prof)
    clock = _lap(stats, "contexts_s", clock)
    short, prof_cut, read = rank_profiles(prof, ctx, jobs, lists, weights, cfg)
    stats["entries_read"] += read
    clock = _lap(stats, "profiles_s", clock)

    n = len(widx)
    out_j = np.full((n, cfg.top_k), -1, dtype=np.int32)
    out_s = np.full((n, cfg.top_k), NEG, dtype=np.float32)
    maybe_more = np.zeros(n, dtype=bool)
    # each worker reads its profile's short list and the own-code list of each of its codes:
    # sorted lists, so their entries are prefixes of known length
    codes = workers.codes[widx, :CODES_PER_WORKER]
    has = codes >= 0
    empty = len(ctx.jobs) - 1
    own_rows = np.where(has, ctx.row[ctx_of[:, None], lists.n_occ + np.maximum(codes, 0)], empty)
    own_len = np.minimum((ctx.jobs >= 0).sum(axis=1), cfg.code_depth)[own_rows]
    prof_len = (short >= 0).sum(axis=1)[prof_of]
    # rows with the same lengths (to 8) side by side, then neighbours sharing a profile: a chunk
    # reads no column that is padding in all its rows (most own-code lists are empty)
    order = np.lexsort((prof_of, (prof_len + 7) // 8, *((own_len[:, k] + 7) // 8 for k in reversed(range(codes.shape[1])))))
    chunks = [(s, min(n, s + cfg.worker_chunk)) for s in range(0, n, cfg.worker_chunk)]

    def one(chunk: tuple[int, int]) -> int:
        rows = order[chunk[0]:chunk[1]]
        maybe_more[rows] = prof_cut[prof_of[rows]] | ctx.cut[own_rows[rows]].any(axis=1)
        parts = [short[prof_of[rows], :int(prof_len[rows].max())]]
        for k in range(codes.shape[1]):
            parts.append(ctx.jobs[own_rows[rows, k], :int(own_len[rows, k].max())])
        cand = np.concatenate(parts, axis=1)
        if not cand.shape[1]:
            return 0
        top_j, top_s = rank_pairs(tables, widx[rows], cand, cfg.top_k)
        kept = top_j.shape[1]  # fewer than top_k when the rows are narrower
        out_j[rows, :kept], out_s[rows, :kept] = top_j, top_s
        return int((cand >= 0).sum())

    stats["pairs_scored"] = stats.get("pairs_scored", 0) + sum(map_chunks(one, chunks, cfg.threads))
    _lap(stats, "workers_s", clock)
    return out_j, out_s, maybe_more


def _lap(stats: dict, key: str, since: float) -> float:
    now = time.perf_counter()
    stats[key] = round(stats.get(key, 0.0) + now - since, 3)
    return now


def recommend(workers: Workers, jobs: Jobs, vocab: Vocabulary, weights: Weights | None = None, *,
              pushed: PairSet | None = None, config: RankConfig | None = None,
              wanted: np.ndarray | None = None) -> Recommendations:
    """The best ``config.top_k`` jobs for every worker that no veto forbids, best first.

    ``wanted`` (per worker, at most ``top_k``): how many jobs a worker needs before it is not
    ranked again deeper. A worker's first ``wanted`` columns are then those a run with
    ``top_k = wanted`` gives it (ties go to the lower job index at every level), so one run
    serves workers that need different numbers."""
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
    # the job lists (jobs only) while the worker groups and the pair tables are built
    with ThreadPoolExecutor(max_workers=1) as pool:
        job_lists = pool.submit(build_job_lists, jobs, vocab, weights, cfg.max_list_depth, cfg.threads)
        groups = WorkerGroups.of(workers, vocab)
        tables = PairTables.build(workers, groups, jobs, vocab, weights, pushed)
        clock = _lap(stats, "tables_s", clock)
        lists = job_lists.result()
    stats["lists"] = int((lists.lengths > 0).sum())
    clock = _lap(stats, "lists_s", clock)
    j, s, more = _pipeline(workers, groups, jobs, lists, tables, usable, weights, cfg, stats)
    result_j[usable], result_s[usable] = j, s
    need = np.full(len(usable), cfg.top_k) if wanted is None else np.minimum(
        np.asarray(wanted)[usable], cfg.top_k)
    again = usable[((j >= 0).sum(axis=1) < need) & more]
    stats["deepened_workers"] = int(len(again))
    if len(again):
        deep: dict = {}
        j2, s2, _ = _pipeline(workers, groups, jobs, lists, tables, again, weights, cfg.deeper(), deep)
        result_j[again], result_s[again] = j2, s2
        for key in ("contexts", "profiles", "entries_read", "pairs_scored"):
            stats[key] += deep.get(key, 0)
        stats["deepen_s"] = round(sum(v for k, v in deep.items() if k.endswith("_s")), 3)
    stats["workers_with_recommendation"] = int((result_j[:, 0] >= 0).sum())
    return Recommendations(result_j, result_s, stats)
