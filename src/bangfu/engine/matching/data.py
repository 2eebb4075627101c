"""Workers and jobs as columns of numpy arrays, and their construction from plain records.

Integer codes used throughout the engine:

* labour ability: 1 weak (弱劳动力或半劳动力), 2 ordinary (普通), 3 skilled (技能); 0 none/lost;
* accepted place classes: a bit mask, 1 in_county 县内, 2 in_city 市内县外, 4 out_of_city 市外,
  8 abroad 境外 (the registry generator's ``place_mask``);
* job location kind: 0 in Chongqing (district, maybe township), 1 elsewhere in China, 2 abroad;
* certificates: one bit per certificate name that some job requires (``CertificateIndex``);
  certificates no job asks for cannot decide anything and are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Iterable, Sequence

import numpy as np

from bangfu import codes
from bangfu.engine.matching.vocab import Vocabulary

# Levels 1..3 are the positions in bangfu.codes.MIN_ABILITY (weakest first); bit i of the place
# mask is the i-th place class of bangfu.codes.PLACE_CLASS.
ABILITY_LEVEL = {value: level for level, value in enumerate(codes.MIN_ABILITY.values, start=1)}
PLACE_BITS = {value: 1 << i for i, value in enumerate(codes.PLACE_CLASS.values)}
# A worker who stated no preference is offered work in the county and in the city: local first.
DEFAULT_ACCEPTED = PLACE_BITS["in_county"] | PLACE_BITS["in_city"]
LOC_CHONGQING, LOC_OUTSIDE, LOC_ABROAD = 0, 1, 2
MAX_CODES = 6  # occupation codes kept per worker (skills first, then past jobs)


class CertificateIndex:
    """Bit positions for the certificate names that jobs require."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted({n.strip() for n in names if n and n.strip()})
        self.position = {n: i for i, n in enumerate(self.names)}
        self.words = max(1, (len(self.names) + 63) // 64)

    def encode(self, lists: Sequence[Sequence[str]]) -> np.ndarray:
        out = np.zeros((len(lists), self.words), dtype=np.uint64)
        for row, names in enumerate(lists):
            for name in names:
                pos = self.position.get(name.strip())
                if pos is not None:
                    out[row, pos // 64] |= np.uint64(1) << np.uint64(pos % 64)
        return out

    def decode(self, bits: np.ndarray) -> list[str]:
        return [n for n, i in self.position.items()
                if int(bits[i // 64]) >> (i % 64) & 1]


@dataclass
class Workers:
    id: np.ndarray  # int64 database id
    district: np.ndarray  # int16 district index
    township: np.ndarray  # int32 township index, -1 unknown
    zone: np.ndarray  # int8
    age: np.ndarray  # int16, completed years on the run day
    ability: np.ndarray  # int8 1..3
    expected_wage: np.ndarray  # int64 fen, 0 = no expectation
    accepted: np.ndarray  # uint8 place mask (never 0: DEFAULT_ACCEPTED filled in)
    codes: np.ndarray  # int16 [n, MAX_CODES] occupation indexes, -1 padding
    past: np.ndarray  # bool [n, MAX_CODES] the code comes from a past job
    certs: np.ndarray  # uint64 [n, words]
    unemployed: np.ndarray  # bool: no employment record this month or last
    monitored: np.ndarray  # bool: household under monitoring (防返贫监测对象)

    def __len__(self) -> int:
        return len(self.id)

    def take(self, index: np.ndarray) -> "Workers":
        return Workers(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


@dataclass
class Jobs:
    id: np.ndarray  # int64
    occupation: np.ndarray  # int16 occupation index
    loc_kind: np.ndarray  # int8 LOC_*
    district: np.ndarray  # int16, -1 outside Chongqing
    township: np.ndarray  # int32, -1 none
    zone: np.ndarray  # int8, -1 outside Chongqing
    cooperation: np.ndarray  # int8 cooperation region of an outside job, -1 none
    wage_min: np.ndarray  # int64 fen
    wage_max: np.ndarray  # int64 fen
    age_min: np.ndarray  # int16
    age_max: np.ndarray  # int16
    min_ability: np.ndarray  # int8 1..3
    certs: np.ndarray  # uint64 [n, words]
    remaining: np.ndarray  # int32 headcount - filled
    expired: np.ndarray  # bool: past valid_until, not yet valid, or closed
    employer_score: np.ndarray  # float32 0..1
    accommodation: np.ndarray  # bool
    transport: np.ndarray  # bool
    medium: np.ndarray = field(default=None)  # int16, derived
    minor: np.ndarray = field(default=None)  # int16, derived
    major: np.ndarray = field(default=None)  # int16, derived
    entry_level: np.ndarray = field(default=None)  # bool, derived

    def __len__(self) -> int:
        return len(self.id)

    def derive(self, vocab: Vocabulary) -> "Jobs":
        """Fill the group columns and ``entry_level`` (no certificate, weak or ordinary labour)."""
        self.medium = vocab.medium[self.occupation]
        self.minor = vocab.minor[self.occupation]
        self.major = vocab.major[self.occupation]
        self.entry_level = (~self.certs.any(axis=1)) & (self.min_ability <= 2)
        return self

    def take(self, index: np.ndarray) -> "Jobs":
        return Jobs(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @property
    def available(self) -> np.ndarray:
        return ~self.expired & (self.remaining > 0)


# ------------------------------------------------------------------------------------------
# from records (the jobs app, tests): one Python object per worker/job
# ------------------------------------------------------------------------------------------
@dataclass
class WorkerRecord:
    id: int
    district_code: str
    township_code: str = ""
    age: int = 35
    labour_ability: str = "ordinary"
    expected_wage_fen: int | None = None
    accepted_places: Sequence[str] = ()
    skills: Sequence[str] = ()
    past_occupations: Sequence[str] = ()
    certificates: Sequence[str] = ()
    unemployed: bool = True
    monitored: bool = False


@dataclass
class JobRecord:
    id: int
    occupation_code: str
    work_place_code: str = ""  # district/township of Chongqing, or province/city elsewhere
    abroad: bool = False
    wage_min_fen: int = 0
    wage_max_fen: int = 0
    age_min: int = 16
    age_max: int = 65
    min_labour_ability: str = "weak"
    certificates: Sequence[str] = ()
    remaining: int = 1
    expired: bool = False
    employer_score: float = 0.5
    accommodation: bool = False
    transport: bool = False


def certificate_index(jobs: Iterable[JobRecord]) -> CertificateIndex:
    return CertificateIndex(name for job in jobs for name in job.certificates)


def jobs_from_records(records: Sequence[JobRecord], vocab: Vocabulary,
                      certs: CertificateIndex) -> Jobs:
    n = len(records)
    loc_kind = np.zeros(n, dtype=np.int8)
    district = np.full(n, -1, dtype=np.int16)
    township = np.full(n, -1, dtype=np.int32)
    cooperation = np.full(n, -1, dtype=np.int8)
    for i, r in enumerate(records):
        code = r.work_place_code or ""
        if r.abroad:
            loc_kind[i] = LOC_ABROAD
        elif code in vocab.township_index:
            township[i] = vocab.township_index[code]
            district[i] = vocab.township_district[township[i]]
        elif code in vocab.district_index:
            district[i] = vocab.district_index[code]
        elif code in vocab.place_cooperation:
            loc_kind[i] = LOC_OUTSIDE
            cooperation[i] = vocab.place_cooperation[code]
        else:
            raise ValueError(f"unknown work place code {code!r} for job {r.id}")
    zone = np.where(district >= 0, vocab.district_zone[np.maximum(district, 0)], -1).astype(np.int8)
    jobs = Jobs(
        id=np.array([r.id for r in records], dtype=np.int64),
        occupation=np.array([vocab.occupation_index[r.occupation_code] for r in records],
                            dtype=np.int16),
        loc_kind=loc_kind, district=district, township=township, zone=zone, cooperation=cooperation,
        wage_min=np.array([r.wage_min_fen for r in records], dtype=np.int64),
        wage_max=np.array([max(r.wage_max_fen, r.wage_min_fen) for r in records], dtype=np.int64),
        age_min=np.array([r.age_min for r in records], dtype=np.int16),
        age_max=np.array([r.age_max for r in records], dtype=np.int16),
        min_ability=np.array([ABILITY_LEVEL.get(r.min_labour_ability, 1) for r in records],
                             dtype=np.int8),
        certs=certs.encode([r.certificates for r in records]),
        remaining=np.array([r.remaining for r in records], dtype=np.int32),
        expired=np.array([r.expired for r in records], dtype=bool),
        employer_score=np.array([r.employer_score for r in records], dtype=np.float32),
        accommodation=np.array([r.accommodation for r in records], dtype=bool),
        transport=np.array([r.transport for r in records], dtype=bool),
    )
    return jobs.derive(vocab)


def place_mask(places: Iterable[str]) -> int:
    mask = 0
    for p in places:
        mask |= PLACE_BITS.get(p.strip(), 0)
    return mask or DEFAULT_ACCEPTED


def workers_from_records(records: Sequence[WorkerRecord], vocab: Vocabulary,
                         certs: CertificateIndex) -> Workers:
    n = len(records)
    codes = np.full((n, MAX_CODES), -1, dtype=np.int16)
    past = np.zeros((n, MAX_CODES), dtype=bool)
    district = np.zeros(n, dtype=np.int16)
    township = np.full(n, -1, dtype=np.int32)
    for i, r in enumerate(records):
        district[i] = vocab.district_index[r.district_code]
        township[i] = vocab.township_index.get(r.township_code, -1)
        seen: list[tuple[int, bool]] = []
        for code, is_past in [(c, False) for c in r.skills] + [(c, True) for c in r.past_occupations]:
            idx = vocab.occupation_index.get(code.strip())
            if idx is not None and idx not in [s for s, _ in seen]:
                seen.append((idx, is_past))
        for k, (idx, is_past) in enumerate(seen[:MAX_CODES]):
            codes[i, k] = idx
            past[i, k] = is_past
    return Workers(
        id=np.array([r.id for r in records], dtype=np.int64),
        district=district, township=township, zone=vocab.district_zone[district].astype(np.int8),
        age=np.array([r.age for r in records], dtype=np.int16),
        ability=np.array([ABILITY_LEVEL.get(r.labour_ability, 0) for r in records], dtype=np.int8),
        expected_wage=np.array([r.expected_wage_fen or 0 for r in records], dtype=np.int64),
        accepted=np.array([place_mask(r.accepted_places) for r in records], dtype=np.uint8),
        codes=codes, past=past, certs=certs.encode([r.certificates for r in records]),
        unemployed=np.array([r.unemployed for r in records], dtype=bool),
        monitored=np.array([r.monitored for r in records], dtype=bool),
    )


# ------------------------------------------------------------------------------------------
# from columns (generated frames, database exports): no Python loop per row
# ------------------------------------------------------------------------------------------
def _strings(values) -> np.ndarray:
    return np.asarray(values).astype(np.dtypes.StringDType())


_HASH_MULT = np.uint64(1_000_003)


def _string_keys(arr: np.ndarray) -> tuple[np.ndarray, bool]:
    """One uint64 per string of a fixed-width unicode column, and whether it is exact (the
    string's bytes: up to eight one-byte characters) or a hash (equal strings, equal keys)."""
    chars = np.ascontiguousarray(arr).view(np.uint32).reshape(len(arr), -1)
    if int(chars.max()) < 256:  # one byte per character: eight characters per word
        width = chars.shape[1]
        packed = np.zeros((len(arr), width + (-width % 8)), dtype=np.uint8)
        packed[:, :width] = chars
        words = packed.view(np.uint64)
    else:
        words = chars
    key = words[:, 0].astype(np.uint64)
    for col in range(1, words.shape[1]):
        key *= _HASH_MULT
        key += words[:, col]
    return key, words.shape[1] == 1 and words.dtype == np.uint64


def _factorize(values) -> tuple[np.ndarray, list[str]]:
    """(inverse index, distinct strings) of a string column.

    A fixed-width unicode column (generated frames) is keyed by integers (``_string_keys``)
    and its distinct keys found by hashing: ten times faster than sorting strings. A hashed
    key is checked (every string equal to its group's representative); a collision falls back
    to sorting the strings."""
    arr = np.asarray(values)
    if arr.dtype.kind == "U" and arr.ndim == 1 and len(arr) and arr.dtype.itemsize:
        key, exact = _string_keys(arr)
        uniq = np.sort(np.unique(key, sorted=False))
        inverse = np.searchsorted(uniq, key)
        rep = np.empty(len(uniq), dtype=np.int64)
        rep[inverse] = np.arange(len(arr))
        distinct = arr[rep]
        if exact or (distinct[inverse] == arr).all():
            return inverse, distinct.tolist()
    uniq, inverse = np.unique(_strings(arr), return_inverse=True)
    return inverse.reshape(-1), uniq.tolist()


def _lookup(values, mapping: dict[str, int], default: int = -1, *,
            factorized: tuple[np.ndarray, list[str]] | None = None) -> np.ndarray:
    """Map an array of strings through ``mapping`` by its distinct values."""
    inverse, uniq = factorized or _factorize(values)
    table = np.array([mapping.get(u, default) for u in uniq], dtype=np.int64)
    return table[inverse] if len(uniq) else np.zeros(0, dtype=np.int64)


def _split_column(values: np.ndarray) -> tuple[np.ndarray, list[list[str]]]:
    """Comma-joined strings -> (inverse index, the distinct split lists)."""
    inverse, uniq = _factorize(values)
    return inverse, [[p.strip() for p in u.split(",") if p.strip()] for u in uniq]


def workers_from_columns(*, vocab: Vocabulary, certs: CertificateIndex, id, district_code,
                         township_code, age, labour_ability, expected_wage_fen, place_mask,
                         skills, certificates, past_occupations=None, unemployed=None,
                         monitored=None) -> Workers:
    """Workers from column arrays (strings comma-joined, ``place_mask`` as bits, 0 = default)."""
    n = len(id)
    district = _lookup(district_code, vocab.district_index).astype(np.int16)
    if (district < 0).any():
        raise ValueError("unknown district code among the workers")
    township = _lookup(township_code, vocab.township_index).astype(np.int32)
    codes = np.full((n, MAX_CODES), -1, dtype=np.int16)
    past = np.zeros((n, MAX_CODES), dtype=bool)
    skill_inv, skill_lists = _split_column(skills)
    if past_occupations is None:
        past_inv, past_lists = np.zeros(n, dtype=np.int64), [[]]
    else:
        past_inv, past_lists = _split_column(past_occupations)
    # distinct (skills, past) combinations are few: encode each once
    combo, combo_inv = np.unique(skill_inv.astype(np.int64) * (len(past_lists) + 1) + past_inv,
                                 return_inverse=True)
    combo_codes = np.full((len(combo), MAX_CODES), -1, dtype=np.int16)
    combo_past = np.zeros((len(combo), MAX_CODES), dtype=bool)
    for row, key in enumerate(combo.tolist()):
        s_list = skill_lists[key // (len(past_lists) + 1)]
        p_list = past_lists[key % (len(past_lists) + 1)]
        seen: list[int] = []
        for code, is_past in [(c, False) for c in s_list] + [(c, True) for c in p_list]:
            idx = vocab.occupation_index.get(code)
            if idx is not None and idx not in seen and len(seen) < MAX_CODES:
                combo_codes[row, len(seen)] = idx
                combo_past[row, len(seen)] = is_past
                seen.append(idx)
    codes[:] = combo_codes[combo_inv.reshape(-1)]
    past[:] = combo_past[combo_inv.reshape(-1)]
    cert_inv, cert_lists = _split_column(certificates)
    cert_bits = certs.encode(cert_lists)[cert_inv] if len(cert_lists) else np.zeros((n, certs.words), np.uint64)
    mask = np.asarray(place_mask, dtype=np.uint8)
    return Workers(
        id=np.asarray(id, dtype=np.int64), district=district, township=township,
        zone=vocab.district_zone[district].astype(np.int8),
        age=np.asarray(age, dtype=np.int16),
        ability=_lookup(labour_ability, ABILITY_LEVEL, 0).astype(np.int8),
        expected_wage=np.asarray(expected_wage_fen, dtype=np.int64),
        accepted=np.where(mask == 0, DEFAULT_ACCEPTED, mask).astype(np.uint8),
        codes=codes, past=past, certs=cert_bits,
        unemployed=np.ones(n, bool) if unemployed is None else np.asarray(unemployed, dtype=bool),
        monitored=np.zeros(n, bool) if monitored is None else np.asarray(monitored, dtype=bool),
    )


def jobs_from_columns(*, vocab: Vocabulary, certs: CertificateIndex, id, occupation_code,
                      work_place_code, wage_min_fen, wage_max_fen, age_min, age_max,
                      min_labour_ability, certificates, remaining, expired=None, abroad=None,
                      employer_score=None, accommodation=None, transport=None) -> Jobs:
    n = len(id)
    place = np.asarray(work_place_code)
    places = _factorize(place)
    abroad = np.zeros(n, bool) if abroad is None else np.asarray(abroad, dtype=bool)
    township = _lookup(place, vocab.township_index, factorized=places).astype(np.int32)
    district = _lookup(place, vocab.district_index, factorized=places)
    district = np.where(township >= 0, vocab.township_district[np.maximum(township, 0)], district)
    cooperation = _lookup(place, vocab.place_cooperation, -2, factorized=places)
    outside = (district < 0) & (cooperation >= -1) & ~abroad
    unknown = (district < 0) & ~outside & ~abroad
    if unknown.any():
        raise ValueError(f"unknown work place code {place[unknown][0]!r}")
    loc_kind = np.where(abroad, LOC_ABROAD, np.where(outside, LOC_OUTSIDE, LOC_CHONGQING)).astype(np.int8)
    district = np.where(loc_kind == LOC_CHONGQING, district, -1).astype(np.int16)
    township = np.where(loc_kind == LOC_CHONGQING, township, -1).astype(np.int32)
    occupation = _lookup(occupation_code, vocab.occupation_index)
    if (occupation < 0).any():
        raise ValueError("unknown occupation code among the jobs")
    cert_inv, cert_lists = _split_column(certificates)
    wage_min = np.asarray(wage_min_fen, dtype=np.int64)
    jobs = Jobs(
        id=np.asarray(id, dtype=np.int64), occupation=occupation.astype(np.int16),
        loc_kind=loc_kind, district=district, township=township,
        zone=np.where(district >= 0, vocab.district_zone[np.maximum(district, 0)], -1).astype(np.int8),
        cooperation=np.where(loc_kind == LOC_OUTSIDE, cooperation, -1).astype(np.int8),
        wage_min=wage_min, wage_max=np.maximum(np.asarray(wage_max_fen, dtype=np.int64), wage_min),
        age_min=np.asarray(age_min, dtype=np.int16), age_max=np.asarray(age_max, dtype=np.int16),
        min_ability=_lookup(min_labour_ability, ABILITY_LEVEL, 1).astype(np.int8),
        certs=certs.encode(cert_lists)[cert_inv] if len(cert_lists) else np.zeros((n, certs.words), np.uint64),
        remaining=np.asarray(remaining, dtype=np.int32),
        expired=np.zeros(n, bool) if expired is None else np.asarray(expired, dtype=bool),
        employer_score=(np.full(n, 0.5, np.float32) if employer_score is None
                        else np.asarray(employer_score, dtype=np.float32)),
        accommodation=np.zeros(n, bool) if accommodation is None else np.asarray(accommodation, bool),
        transport=np.zeros(n, bool) if transport is None else np.asarray(transport, bool),
    )
    return jobs.derive(vocab)
