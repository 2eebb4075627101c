"""The reference: score every worker × job pair with ``score.py`` and keep the best ``top_k``.

Quadratic by design. The benchmark runs it on a slice to check the ranker's results and to
measure how much blocking and profile sharing save.
"""

from __future__ import annotations

import numpy as np

from bangfu.engine.matching.data import Jobs, Workers
from bangfu.engine.matching.joblists import top_per_row
from bangfu.engine.matching.rank import NEG, Recommendations
from bangfu.engine.matching.score import PairSet, Weights, WorkerGroups, score_pairs
from bangfu.engine.matching.vocab import Vocabulary


def brute_force(workers: Workers, jobs: Jobs, vocab: Vocabulary, weights: Weights | None = None, *,
                top_k: int = 10, pushed: PairSet | None = None,
                pairs_per_chunk: int = 4_000_000) -> Recommendations:
    weights = weights or Weights()
    groups = WorkerGroups.of(workers, vocab)
    n, m = len(workers), len(jobs)
    out_j = np.full((n, top_k), -1, dtype=np.int32)
    out_s = np.full((n, top_k), NEG, dtype=np.float32)
    if n == 0 or m == 0:
        return Recommendations(out_j, out_s, {"pairs_scored": 0})
    rows = max(1, pairs_per_chunk // m)
    all_jobs = np.arange(m, dtype=np.int32)
    for start in range(0, n, rows):
        w = np.arange(start, min(n, start + rows), dtype=np.int64)
        wi = np.repeat(w, m)
        ji = np.tile(all_jobs.astype(np.int64), len(w))
        score, vetoes = score_pairs(workers, groups, jobs, wi, ji, weights, pushed)
        s = np.where(vetoes == 0, score, NEG).astype(np.float32).reshape(len(w), m)
        # the ranker's total order (score descending, then job index), ties included
        top_j, top_s = top_per_row(s, np.broadcast_to(all_jobs, s.shape), top_k)
        out_j[w, :top_j.shape[1]] = top_j
        out_s[w, :top_j.shape[1]] = top_s
    return Recommendations(out_j, out_s, {"pairs_scored": n * m})
