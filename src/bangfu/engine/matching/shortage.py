"""Shortage trades (紧缺职业/工种): the trades whose open headcount the registry's workers cannot
fill, from the postings and the matching's own vetoes. Django-free, vectorised with numpy.

For each trade (occupation code) of the open postings: the **candidates** are the workers whose
skills or past jobs lie in the trade's occupation group (中类, the matching's blocking) — the
people a posting of the trade could go to without training; a candidate **qualifies** when at
least one open posting of the trade passes every veto of ``score.pair_vetoes`` for them (age,
wage, certificate, place, labour ability). The gap is the open headcount minus the qualified
candidates; trades are ranked by gap, then by the share of headcount left unfilled. For the
candidates who qualify for none of the trade's postings, ``blocked`` counts the vetoes that
stop them at every posting (a worker may count under several).

Pairs are built per trade as (candidates × the trade's postings) in chunks of at most
``CHUNK_PAIRS``, never per posting or per worker in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bangfu.engine.matching.data import Jobs, Workers
from bangfu.engine.matching.score import (
    V_ABILITY, V_AGE, V_CERTIFICATE, V_PLACE, V_WAGE, VETO_NAMES, WorkerGroups, _has, pair_vetoes,
)

CHUNK_PAIRS = 2_000_000
BLOCKING = (V_AGE, V_WAGE, V_CERTIFICATE, V_PLACE, V_ABILITY)  # the vetoes a worker brings


@dataclass
class TradeShortage:
    occupation: int  # occupation index of the vocabulary
    postings: int
    employers: int
    headcount: int  # open headcount (remaining) of the open postings
    candidates: int
    qualified: int
    blocked: dict[str, int] = field(default_factory=dict)  # veto name -> candidates stopped by it everywhere

    @property
    def gap(self) -> int:
        return max(self.headcount - self.qualified, 0)

    @property
    def unfilled_share(self) -> float:
        return self.gap / self.headcount if self.headcount else 0.0


def trade_shortages(workers: Workers, groups: WorkerGroups, jobs: Jobs, *, employer_ids: np.ndarray | None = None,
                    chunk_pairs: int = CHUNK_PAIRS) -> list[TradeShortage]:
    """Every trade with open headcount in ``jobs`` (derived: ``Jobs.derive``), ranked: largest gap first."""
    open_jobs = np.flatnonzero(jobs.available)
    out: list[TradeShortage] = []
    if not len(open_jobs):
        return out
    trades = np.unique(jobs.occupation[open_jobs])
    for trade in trades:
        ji = open_jobs[jobs.occupation[open_jobs] == trade]
        medium = jobs.medium[ji[0]]
        cand = np.flatnonzero(_has(groups.medium_bits, np.full(len(workers), medium)))
        qualified, blocked = _qualify(workers, jobs, cand, ji, chunk_pairs)
        employers = len(np.unique(employer_ids[ji])) if employer_ids is not None else 0
        out.append(TradeShortage(occupation=int(trade), postings=len(ji), employers=employers,
                                 headcount=int(jobs.remaining[ji].sum()), candidates=len(cand),
                                 qualified=qualified, blocked=blocked))
    out.sort(key=lambda t: (-t.gap, -t.unfilled_share, -t.headcount, t.occupation))
    return out


def _qualify(workers: Workers, jobs: Jobs, cand: np.ndarray, ji: np.ndarray, chunk_pairs: int
             ) -> tuple[int, dict[str, int]]:
    m = len(ji)
    qualified = 0
    blocked = {VETO_NAMES[bit]: 0 for bit in BLOCKING}
    step = max(1, chunk_pairs // max(m, 1))
    everything = np.int32(sum(BLOCKING))
    for start in range(0, len(cand), step):
        w = cand[start:start + step]
        wi = np.repeat(w, m)
        jj = np.tile(ji, len(w))
        v = pair_vetoes(workers, jobs, wi, jj).reshape(len(w), m)
        ok = (v == 0).any(axis=1)
        qualified += int(ok.sum())
        stopped = np.bitwise_and.reduce(v[~ok] & everything, axis=1) if (~ok).any() else np.zeros(0, np.int32)
        for bit in BLOCKING:
            blocked[VETO_NAMES[bit]] += int(((stopped & bit) != 0).sum())
    return qualified, blocked
