"""ID numbers and mobile numbers for millions of people at once, all valid and all distinct.

``id_numbers`` builds exactly what ``bangfu.core.identifiers.make_id_number`` builds
(address code, birth date, a sequence whose parity gives the sex, the GB 11643 check digit),
column-wise; a test holds the two to the same output.
"""

from __future__ import annotations

import numpy as np

from bangfu.registry.generate import wordlists

STR = np.dtypes.StringDType()

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK = np.array(list("10X98765432"), dtype=STR)
SEQUENCES = 500  # per address code, birth date and sex (make_id_number's range)


def _ymd(birth: np.ndarray) -> np.ndarray:
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (birth.astype("datetime64[M]") - birth.astype("datetime64[Y]")).astype(np.int64) + 1
    day = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    return year * 10000 + month * 100 + day


def id_sequences(rng: np.random.Generator, address: np.ndarray, birth: np.ndarray,
                 male: np.ndarray) -> np.ndarray:
    """A sequence 0..499 per person, distinct among people of one address, birth date and sex."""
    days = (birth - np.datetime64("1900-01-01")).astype(np.int64)
    key = (address * 100_000 + days) * 2 + male.astype(np.int64)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    new_group = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    group = np.cumsum(new_group) - 1
    starts = np.flatnonzero(new_group)
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key)) - starts[group]
    if len(key) and rank.max() >= SEQUENCES:
        raise ValueError("more than 500 people share an address code, birth date and sex")
    base = rng.integers(0, SEQUENCES, len(starts))
    group_of = np.empty(len(key), dtype=np.int64)
    group_of[order] = group
    return (rank + base[group_of]) % SEQUENCES


def id_numbers(rng: np.random.Generator, district_code: np.ndarray, birth: np.ndarray,
               male: np.ndarray) -> np.ndarray:
    """Valid, distinct 18-character ID numbers whose address code is ``district_code``."""
    address = district_code.astype(np.int64)
    sequence = id_sequences(rng, address, birth, male)
    body = address * 10**11 + _ymd(birth) * 1000 + sequence * 2 + male.astype(np.int64)
    total = np.zeros(len(body), dtype=np.int64)
    for position, weight in enumerate(ID_WEIGHTS):
        total += (body // 10 ** (16 - position) % 10) * weight
    return np.strings.add(body.astype(STR), ID_CHECK[total % 11])


def mobile_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 11-digit mobile numbers on real carrier prefixes."""
    prefixes = np.array(wordlists.MOBILE_PREFIXES, dtype=np.int64)
    value = prefixes[rng.integers(0, len(prefixes), n)] * 10**8 + rng.integers(0, 10**8, n)
    while True:
        _, first = np.unique(value, return_index=True)
        if len(first) == n:
            break
        again = np.ones(n, dtype=bool)
        again[first] = False
        k = int(again.sum())
        value[again] = prefixes[rng.integers(0, len(prefixes), k)] * 10**8 + rng.integers(0, 10**8, k)
    return value.astype(STR)
