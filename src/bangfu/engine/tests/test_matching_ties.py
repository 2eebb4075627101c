"""Equal scores: one total order (score descending, then job index) at every level, so a
smaller top-k is always a prefix of a larger one. No Django."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bangfu.core import reference
from bangfu.engine.matching import RankConfig, recommend
from bangfu.engine.matching.joblists import top_per_row
from bangfu.engine.matching.vocab import Vocabulary
from bangfu.engine.tests.test_matching import random_market


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_reference(reference.divisions(), reference.places(), reference.occupations())


def reference_top(scores, jobs, k):
    """The same top-k by a plain per-row lexsort (score descending, job ascending)."""
    out_j, out_s = [], []
    for s, j in zip(scores, jobs):
        order = np.lexsort((np.where(j < 0, np.iinfo(np.int64).max, j), -s))[:k]
        out_s.append(s[order])
        out_j.append(np.where(np.isfinite(s[order]), j[order], -1))
    return np.array(out_j), np.array(out_s)


@pytest.mark.parametrize("width", [6, 40, 300])  # the sort branch, and the partition branch
def test_top_per_row_breaks_ties_by_job_index_in_every_branch(width):
    rng = np.random.default_rng(width)
    n = 64
    scores = (rng.integers(0, 4, (n, width)) / 2).astype(np.float32)  # few values: many ties
    scores[rng.random((n, width)) < 0.2] = -np.inf
    scores[rng.random((n, width)) < 0.05] = np.float32(-0.0)
    jobs = np.stack([rng.permutation(10 * width)[:width] for _ in range(n)]).astype(np.int32)
    jobs[np.isinf(scores)] = -1
    previous = None
    for k in range(1, width + 2):
        top_j, top_s = top_per_row(scores, jobs, k)
        want_j, want_s = reference_top(scores, jobs, k)
        np.testing.assert_array_equal(top_j, want_j)
        np.testing.assert_array_equal(top_s, want_s)
        if previous is not None:  # a prefix of the next larger k
            np.testing.assert_array_equal(top_j[:, :previous.shape[1]], previous)
        previous = top_j
    # where a job sits in the row does not matter
    perm = rng.permutation(width)
    np.testing.assert_array_equal(top_per_row(scores[:, perm], jobs[:, perm], 5)[0],
                                  top_per_row(scores, jobs, 5)[0])


def tied_market(vocab, seed):
    W, J, _ = random_market(vocab, np.random.default_rng(seed), 150, 400)
    # few wage levels and employer scores: many jobs with the same score for a worker
    J.employer_score[:] = np.round(J.employer_score * 2) / 2
    J.wage_min[:] = np.where(J.wage_min < 500_000, 400_000, 600_000)
    J.wage_max[:] = J.wage_min + 100_000
    return W, J


# shallow lists, so that workers run out of candidates and are ranked again deeper
SHALLOW = RankConfig(list_depth=3, context_depth=4, code_depth=3, depth=4,
                     max_list_depth=64, deepen_factor=4)


@pytest.mark.parametrize("seed", [1, 2])
def test_one_run_with_wanted_counts_gives_each_worker_its_own_run(vocab, seed):
    W, J = tied_market(vocab, seed)
    top = 14
    wanted = np.random.default_rng(seed).integers(2, top + 1, len(W))
    both = recommend(W, J, vocab, config=dataclasses.replace(SHALLOW, top_k=top), wanted=wanted)
    assert both.stats["deepened_workers"] > 0
    compared = 0
    for k in np.unique(wanted):
        alone = recommend(W, J, vocab, config=dataclasses.replace(SHALLOW, top_k=int(k)))
        rows = np.flatnonzero(wanted == k)
        np.testing.assert_array_equal(both.job[rows, :k], alone.job[rows])
        np.testing.assert_array_equal(both.score[rows, :k], alone.score[rows])
        compared += int((alone.job[rows] >= 0).sum())
    assert compared > 100


def test_without_deepening_a_smaller_top_k_is_a_prefix_of_a_larger_one(vocab):
    W, J = tied_market(vocab, 5)
    deep = RankConfig(top_k=40, deepen_factor=1)
    big = recommend(W, J, vocab, config=deep)
    assert ((big.score[:, :-1] == big.score[:, 1:]) & (big.job[:, 1:] >= 0)).sum() > 50  # ties
    for k in (1, 3, 10, 25):
        small = recommend(W, J, vocab, config=dataclasses.replace(deep, top_k=k))
        np.testing.assert_array_equal(small.job, big.job[:, :k])
