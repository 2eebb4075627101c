"""Choosing which recommendations become pushes, under the caps.

* at most ``worker_cap[w]`` new pushes per worker (the weekly cap minus this week's pushes);
* at most ``job_budget[j]`` new pushes per job (about k × remaining headcount minus the
  pushes the job already had), so no job is flooded;
* a pair already pushed never comes here: it is vetoed upstream.

The result is the greedy allocation in descending score order (higher-priority workers first
when scores tie on the job): a pair is taken when its worker and its job both have room.
It is computed in rounds without a Python loop per pair: take each worker's best pairs up to
its cap, drop the pairs each job cannot afford, and repeat until nothing is dropped.
"""

from __future__ import annotations

import numpy as np


def _rank_within(keys: np.ndarray) -> np.ndarray:
    """For a sequence of keys, how many earlier elements share each element's key."""
    if not len(keys):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    run = np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys)) - run
    return rank


def allocate(worker: np.ndarray, job: np.ndarray, score: np.ndarray, *, worker_cap: np.ndarray,
             job_budget: np.ndarray) -> np.ndarray:
    """Boolean mask over the given pairs: the ones to push.

    ``worker`` and ``job`` index ``worker_cap`` and ``job_budget``; ``score`` orders the pairs.
    """
    n = len(worker)
    taken = np.zeros(n, dtype=bool)
    if n == 0:
        return taken
    order = np.lexsort((job, worker, -np.asarray(score, dtype=np.float64)))
    w, j = worker[order], job[order]
    alive = np.ones(n, dtype=bool)
    while True:
        idx = np.flatnonzero(alive)
        tentative = idx[_rank_within(w[idx]) < worker_cap[w[idx]]]
        over = tentative[_rank_within(j[tentative]) >= job_budget[j[tentative]]]
        if not len(over):
            taken[order[tentative]] = True
            return taken
        alive[over] = False
