"""Push caps: per worker per week, never a pair twice, a budget per job. No Django."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from bangfu.engine.matching import PairSet, allocate, recommend
from bangfu.engine.tests.test_matching import random_market, vocab  # noqa: F401 - the fixture


def greedy(worker, job, score, worker_cap, job_budget):
    """The definition: take pairs by descending score while both sides have room."""
    order = sorted(range(len(worker)), key=lambda i: (-score[i], worker[i], job[i]))
    w_used, j_used, taken = Counter(), Counter(), np.zeros(len(worker), dtype=bool)
    for i in order:
        if w_used[worker[i]] < worker_cap[worker[i]] and j_used[job[i]] < job_budget[job[i]]:
            w_used[worker[i]] += 1
            j_used[job[i]] += 1
            taken[i] = True
    return taken


def test_allocation_is_the_greedy_allocation_under_both_caps():
    rng = np.random.default_rng(5)
    for _ in range(20):
        n_w, n_j = int(rng.integers(2, 30)), int(rng.integers(1, 15))
        pairs = {(int(rng.integers(n_w)), int(rng.integers(n_j))) for _ in range(int(rng.integers(1, 120)))}
        worker = np.array([p[0] for p in pairs])
        job = np.array([p[1] for p in pairs])
        score = rng.random(len(pairs))
        worker_cap = rng.integers(0, 4, n_w)
        job_budget = rng.integers(0, 5, n_j)
        taken = allocate(worker, job, score, worker_cap=worker_cap, job_budget=job_budget)
        assert (taken == greedy(worker, job, score, worker_cap, job_budget)).all()


def test_no_worker_exceeds_the_cap_and_no_job_its_budget():
    rng = np.random.default_rng(9)
    worker = rng.integers(0, 50, 2000)
    job = rng.integers(0, 20, 2000)
    keep = np.unique(worker * 100 + job, return_index=True)[1]
    worker, job = worker[keep], job[keep]
    taken = allocate(worker, job, rng.random(len(worker)), worker_cap=np.full(50, 3),
                     job_budget=np.full(20, 4))
    assert max(Counter(worker[taken]).values()) <= 3
    assert max(Counter(job[taken]).values()) <= 4


def test_repeated_weekly_runs_respect_every_cap(vocab):  # noqa: F811
    """Five weekly runs: ≤ N a week per worker, never a pair twice, ≤ ceil(k × remaining) per job."""
    W, J, _ = random_market(vocab, np.random.default_rng(21), 150, 60)
    per_week, factor = 3, 2.0
    pushed_w: list[int] = []
    pushed_j: list[int] = []
    job_pushes = Counter()
    for week in range(5):
        rec = recommend(W, J, vocab, pushed=PairSet(W.id[pushed_w], J.id[pushed_j]))
        wi, ji, score = rec.pairs()
        budget = np.array([max(0, math.ceil(factor * max(0, int(J.remaining[j]))) - job_pushes[j])
                           for j in range(len(J))])
        taken = allocate(wi, ji, score, worker_cap=np.full(len(W), per_week), job_budget=budget)
        week_counts = Counter(wi[taken].tolist())
        assert not week_counts or max(week_counts.values()) <= per_week
        pushed_w += wi[taken].tolist()
        pushed_j += ji[taken].tolist()
        job_pushes.update(ji[taken].tolist())
    pairs = list(zip(pushed_w, pushed_j))
    assert len(pairs) == len(set(pairs)) > 0
    for j, n in job_pushes.items():
        assert n <= math.ceil(factor * int(J.remaining[j]))


def test_a_worker_at_the_weekly_cap_gets_nothing_more():
    taken = allocate(np.array([0, 0, 1]), np.array([0, 1, 1]), np.array([0.9, 0.8, 0.7]),
                     worker_cap=np.array([0, 2]), job_budget=np.array([5, 5]))
    assert taken.tolist() == [False, False, True]


def test_higher_priority_takes_a_short_budget_first():
    # two workers want the one remaining slot of job 0; the higher score (priority boost) wins
    taken = allocate(np.array([0, 1]), np.array([0, 0]), np.array([0.70, 0.75]),
                     worker_cap=np.array([3, 3]), job_budget=np.array([1]))
    assert taken.tolist() == [False, True]
