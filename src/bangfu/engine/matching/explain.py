"""One worker and one job: every veto with its values, every score part, the reasons in Chinese.

Written pair by pair in plain Python, separately from the vectorised ``score.py``: the tests
check that both give the same vetoes and scores, so each guards the other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bangfu import codes
from bangfu.engine.matching import score as sc
from bangfu.engine.matching.data import LOC_ABROAD, LOC_OUTSIDE, PLACE_BITS, CertificateIndex, Jobs, Workers
from bangfu.engine.matching.reasons import ABILITY_LABELS, PART_LABELS, VETO_TEMPLATES, render, yuan
from bangfu.engine.matching.vocab import COOPERATION_REGIONS, ZONES, Vocabulary

PLACE_OF_CLASS = {sc.D_TOWNSHIP: "in_county", sc.D_COUNTY: "in_county", sc.D_ZONE: "in_city",
                  sc.D_CITY: "in_city", sc.D_COOPERATION: "out_of_city", sc.D_OUTSIDE: "out_of_city",
                  sc.D_ABROAD: "abroad"}


@dataclass
class Reason:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return render(self.code, self.params)

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params, "text": self.text}


@dataclass
class Part:
    name: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    @property
    def label(self) -> str:
        return PART_LABELS[self.name]


@dataclass
class Explanation:
    worker_id: int
    job_id: int
    vetoes: list[Reason]
    parts: list[Part]
    reasons: list[Reason]
    candidate: bool

    @property
    def score(self) -> float:
        return sum(p.contribution for p in self.parts)

    @property
    def recommendable(self) -> bool:
        return not self.vetoes

    def veto_codes(self) -> list[str]:
        return [v.code for v in self.vetoes]

    def as_dict(self) -> dict:
        return {
            "worker": self.worker_id, "job": self.job_id,
            "recommendable": self.recommendable,
            "score": round(self.score, 4),
            "vetoes": [v.as_dict() for v in self.vetoes],
            "parts": [{"name": p.name, "label": p.label, "value": round(p.value, 4),
                       "weight": p.weight, "contribution": round(p.contribution, 4)}
                      for p in self.parts],
            "reasons": [r.text for r in self.reasons],
        }


def _codes(workers: Workers, w: int) -> list[tuple[int, bool]]:
    return [(int(c), bool(p)) for c, p in zip(workers.codes[w], workers.past[w]) if c >= 0]


def _distance_class(workers: Workers, jobs: Jobs, w: int, j: int) -> int:
    if jobs.loc_kind[j] == LOC_ABROAD:
        return sc.D_ABROAD
    if jobs.loc_kind[j] == LOC_OUTSIDE:
        return sc.D_COOPERATION if jobs.cooperation[j] >= 0 else sc.D_OUTSIDE
    if jobs.district[j] == workers.district[w]:
        if jobs.township[j] >= 0 and jobs.township[j] == workers.township[w]:
            return sc.D_TOWNSHIP
        return sc.D_COUNTY
    return sc.D_ZONE if jobs.zone[j] == workers.zone[w] else sc.D_CITY


def _occupation(workers: Workers, jobs: Jobs, vocab: Vocabulary, w: int, j: int
                ) -> tuple[float, bool, Reason | None]:
    job_occ = int(jobs.occupation[j])
    name = vocab.occupation_names[job_occ]
    codes = _codes(workers, w)
    for occ, past in codes:
        if occ == job_occ:
            return sc.FIT_EXACT, True, Reason("occupation_past" if past else "occupation_exact",
                                              {"occupation": name})
    if any(vocab.minor[o] == vocab.minor[job_occ] for o, _ in codes):
        return sc.FIT_MINOR, True, Reason("occupation_minor", {"occupation": name})
    if any(vocab.medium[o] == vocab.medium[job_occ] for o, _ in codes):
        label = vocab.medium_label(int(vocab.medium[job_occ]))
        return sc.FIT_MEDIUM, True, (Reason("occupation_medium", {"group": label}) if label
                                     else Reason("occupation_medium_generic"))
    if bool(jobs.entry_level[j]):
        if not codes:
            return sc.FIT_NEWCOMER, True, Reason("occupation_newcomer")
        same_major = any(vocab.major[o] == vocab.major[job_occ] for o, _ in codes)
        return (sc.FIT_ENTRY_MAJOR if same_major else sc.FIT_ENTRY), True, Reason("occupation_entry")
    return 0.0, False, None


def _place_reason(jobs: Jobs, vocab: Vocabulary, j: int, dclass: int) -> Reason:
    if dclass == sc.D_TOWNSHIP:
        return Reason("place_township")
    if dclass == sc.D_COUNTY:
        return Reason("place_county")
    if dclass in (sc.D_ZONE, sc.D_CITY):
        zone = codes.REGION_GROUP.label(ZONES[int(jobs.zone[j])])
        return Reason("place_zone" if dclass == sc.D_ZONE else "place_city", {"zone": zone})
    if dclass == sc.D_COOPERATION:
        region = codes.COOPERATION_REGION.label(COOPERATION_REGIONS[int(jobs.cooperation[j])])
        return Reason("place_cooperation", {"region": region})
    if dclass == sc.D_OUTSIDE:
        return Reason("place_outside")
    return Reason("place_abroad")


def explain_pair(workers: Workers, jobs: Jobs, vocab: Vocabulary, w: int, j: int, *,
                 weights: sc.Weights | None = None, certs: CertificateIndex | None = None,
                 pushed: sc.PairSet | None = None) -> Explanation:
    """Vetoes, score parts and reasons of worker index ``w`` and job index ``j``."""
    weights = weights or sc.Weights()
    vetoes: list[Reason] = []
    age = int(workers.age[w])
    expected = int(workers.expected_wage[w])
    dclass = _distance_class(workers, jobs, w, j)
    place = PLACE_OF_CLASS[dclass]

    if jobs.expired[j]:
        vetoes.append(Reason("expired"))
    if jobs.remaining[j] <= 0:
        vetoes.append(Reason("full"))
    if not (jobs.age_min[j] <= age <= jobs.age_max[j]):
        vetoes.append(Reason("age", {"age": age, "low": int(jobs.age_min[j]), "high": int(jobs.age_max[j])}))
    if expected > 0 and jobs.wage_max[j] < expected:
        vetoes.append(Reason("wage", {"high": yuan(jobs.wage_max[j]), "expected": yuan(expected)}))
    missing_bits = jobs.certs[j] & ~workers.certs[w]
    if missing_bits.any():
        names = certs.decode(missing_bits) if certs is not None else []
        vetoes.append(Reason("certificate", {"names": "、".join(names) or "?"}))
    if not (int(workers.accepted[w]) & PLACE_BITS[place]):
        vetoes.append(Reason("place", {"place": codes.PLACE_CLASS.label(place)}))
    if workers.ability[w] < jobs.min_ability[j]:
        vetoes.append(Reason("ability", {"required": ABILITY_LABELS[int(jobs.min_ability[j])]}))
    if pushed is not None and len(pushed) and bool(
            pushed.contains(workers.id[w:w + 1], jobs.id[j:j + 1])[0]):
        vetoes.append(Reason("pushed"))
    fit, candidate, occ_reason = _occupation(workers, jobs, vocab, w, j)
    if not candidate:
        vetoes.append(Reason("not_candidate"))

    mid = (int(jobs.wage_min[j]) + int(jobs.wage_max[j])) / 2
    ref = expected if expected > 0 else sc.REFERENCE_WAGE_FEN
    wage = 0.5 + 0.5 * (math.log2(max(mid, sc.MIN_WAGE_FEN)) - math.log2(max(ref, sc.MIN_WAGE_FEN)))
    priority = (sc.PRIORITY_UNEMPLOYED * bool(workers.unemployed[w])
                + sc.PRIORITY_MONITORED * bool(workers.monitored[w]))
    parts = [
        Part("occupation", fit, weights.occupation),
        Part("wage", wage, weights.wage),
        Part("distance", float(sc.DISTANCE_SCORES[dclass]), weights.distance),
        Part("employer", float(jobs.employer_score[j]), weights.employer),
        Part("priority", priority, weights.priority),
    ]

    reasons: list[Reason] = []
    if occ_reason is not None:
        reasons.append(occ_reason)
    low, high = int(jobs.wage_min[j]), int(jobs.wage_max[j])
    if expected > 0 and low >= expected:
        reasons.append(Reason("wage_above", {"amount": yuan(low - expected)}) if low > expected
                       else Reason("wage_meets"))
    elif expected > 0 and high >= expected:
        reasons.append(Reason("wage_reaches", {"amount": yuan(high)}))
    elif expected <= 0:
        reasons.append(Reason("wage_range", {"low": yuan(low), "high": yuan(high)}))
    reasons.append(_place_reason(jobs, vocab, j, dclass))
    if workers.ability[w] == 1 and jobs.min_ability[j] == 1:
        reasons.append(Reason("ability_weak"))
    if jobs.accommodation[j]:
        reasons.append(Reason("accommodation"))
    if jobs.transport[j]:
        reasons.append(Reason("transport"))
    if jobs.employer_score[j] >= 0.8:
        reasons.append(Reason("employer_good"))
    return Explanation(worker_id=int(workers.id[w]), job_id=int(jobs.id[j]), vetoes=vetoes,
                       parts=parts, reasons=reasons, candidate=candidate)


__all__ = ["Explanation", "Part", "Reason", "VETO_TEMPLATES", "explain_pair"]
