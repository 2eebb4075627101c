"""Job matching for 渝职聘: vetoes, scores, reasons in Chinese, capped pushes. Django-free.

``recommend(workers, jobs, vocab, weights)`` gives each worker its best jobs that no veto
forbids; ``explain_pair`` says why for one pair; ``allocate`` picks the pushes under the
per-worker and per-job caps; ``brute_force`` is the quadratic reference. See ``score.py`` for
the vetoes and the score, ``rank.py`` (levels in ``joblists.py`` and ``shortlists.py``) for
blocking and profile sharing.
"""

from bangfu.engine.matching.brute import brute_force
from bangfu.engine.matching.data import (
    ABILITY_LEVEL, DEFAULT_ACCEPTED, PLACE_BITS, CertificateIndex, JobRecord, Jobs, WorkerRecord,
    Workers, certificate_index, jobs_from_records, workers_from_records,
)
from bangfu.engine.matching.explain import Explanation, Reason, explain_pair
from bangfu.engine.matching.push import allocate
from bangfu.engine.matching.rank import RankConfig, Recommendations, recommend
from bangfu.engine.matching.score import PairSet, Weights, WorkerGroups, score_pairs
from bangfu.engine.matching.vocab import Vocabulary

__all__ = [
    "ABILITY_LEVEL", "DEFAULT_ACCEPTED", "PLACE_BITS", "CertificateIndex", "Explanation",
    "JobRecord", "Jobs", "PairSet", "RankConfig", "Reason", "Recommendations", "Vocabulary",
    "Weights", "WorkerGroups", "WorkerRecord", "Workers", "allocate", "brute_force",
    "certificate_index", "explain_pair", "jobs_from_records", "recommend", "score_pairs",
    "workers_from_records",
]
