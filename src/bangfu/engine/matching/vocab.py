"""Code lists the matching engine needs, turned into integer indexes.

The engine never reads the database or Django: the caller hands in the reference rows
(``bangfu.registry.reference.divisions()``, ``places()``, ``occupations()``: the CSV files
shipped in ``bangfu/data``) and the engine works on the integer codes built here.

The occupation list is a subset (57 occupations) of the 2022 national occupational
classification (中华人民共和国职业分类大典, 2022 public-comment draft): codes ``N-NN-NN-NN``
whose prefixes are the groups — major ``N``, medium ``N-NN``, minor ``N-NN-NN``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

import numpy as np

from bangfu import codes

ZONES = codes.REGION_GROUP.values
COOPERATION_REGIONS = codes.COOPERATION_REGION.values
CHONGQING = codes.CITY_CODE


@dataclass
class Vocabulary:
    """Occupations, Chongqing's districts and townships, and destinations outside Chongqing."""

    occupation_codes: list[str]
    occupation_names: list[str]
    minor: np.ndarray  # occupation index -> minor group index
    medium: np.ndarray  # occupation index -> medium group index
    major: np.ndarray  # occupation index -> major group index
    medium_codes: list[str]
    district_codes: list[str]
    district_names: list[str]
    district_zone: np.ndarray  # district index -> zone index
    township_codes: list[str]
    township_names: list[str]
    township_district: np.ndarray  # township index -> district index
    place_names: dict[str, str]  # province/city code outside Chongqing -> name
    place_cooperation: dict[str, int]  # province/city code -> cooperation region index or -1
    occupation_index: dict[str, int] = field(init=False)
    district_index: dict[str, int] = field(init=False)
    township_index: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.occupation_index = {c: i for i, c in enumerate(self.occupation_codes)}
        self.district_index = {c: i for i, c in enumerate(self.district_codes)}
        self.township_index = {c: i for i, c in enumerate(self.township_codes)}

    @classmethod
    def from_reference(
        cls,
        divisions: Mapping[str, Mapping[str, str]] | Iterable[Mapping[str, str]],
        places: Mapping[str, Mapping[str, str]] | Iterable[Mapping[str, str]],
        occupations: Mapping[str, Mapping[str, str]] | Iterable[Mapping[str, str]],
    ) -> "Vocabulary":
        """Build from the reference rows (dicts with the CSV columns)."""
        div_rows = list(divisions.values()) if isinstance(divisions, Mapping) else list(divisions)
        place_rows = list(places.values()) if isinstance(places, Mapping) else list(places)
        occ_rows = list(occupations.values()) if isinstance(occupations, Mapping) else list(occupations)

        occ_rows.sort(key=lambda r: r["code"])
        codes = [r["code"] for r in occ_rows]
        minors = sorted({r["minor_code"] for r in occ_rows})
        mediums = sorted({r["medium_code"] for r in occ_rows})
        majors = sorted({r["major_code"] for r in occ_rows})
        minor = np.array([minors.index(r["minor_code"]) for r in occ_rows], dtype=np.int16)
        medium = np.array([mediums.index(r["medium_code"]) for r in occ_rows], dtype=np.int16)
        major = np.array([majors.index(r["major_code"]) for r in occ_rows], dtype=np.int16)

        districts = sorted((r for r in div_rows if len(r["code"]) == 6), key=lambda r: r["code"])
        district_codes = [r["code"] for r in districts]
        d_index = {c: i for i, c in enumerate(district_codes)}
        townships = sorted((r for r in div_rows if len(r["code"]) == 9), key=lambda r: r["code"])

        place_names: dict[str, str] = {}
        place_coop: dict[str, int] = {}
        by_code = {r["code"]: r for r in place_rows}
        for row in place_rows:
            code = row["code"]
            if code == CHONGQING or code.startswith(CHONGQING):
                continue
            region = row.get("cooperation_region") or ""
            if not region and row.get("parent_code"):  # a city inherits its province's region
                region = by_code.get(row["parent_code"], {}).get("cooperation_region", "") or ""
            place_names[code] = row["name"] if row["level"] == "province" else (
                by_code.get(row.get("parent_code", ""), {}).get("name", "") + row["name"]
                if row["name"] == "市辖区" else row["name"])
            place_coop[code] = COOPERATION_REGIONS.index(region) if region in COOPERATION_REGIONS else -1

        return cls(
            occupation_codes=codes,
            occupation_names=[r["name"] for r in occ_rows],
            minor=minor, medium=medium, major=major, medium_codes=mediums,
            district_codes=district_codes,
            district_names=[r["name"] for r in districts],
            district_zone=np.array([ZONES.index(r["region_group"]) for r in districts], dtype=np.int8),
            township_codes=[r["code"] for r in townships],
            township_names=[r["name"] for r in townships],
            township_district=np.array([d_index.get(r["parent_code"], -1) for r in townships],
                                       dtype=np.int16),
            place_names=place_names,
            place_cooperation=place_coop,
        )

    @property
    def n_occupations(self) -> int:
        return len(self.occupation_codes)

    @property
    def n_mediums(self) -> int:
        return len(self.medium_codes)

    @property
    def n_districts(self) -> int:
        return len(self.district_codes)

    def medium_label(self, medium_index: int) -> str:
        return codes.OCCUPATION_GROUP.label(self.medium_codes[medium_index], "")

    def place_name(self, code: str) -> str:
        if code in self.district_index:
            return self.district_names[self.district_index[code]]
        if code in self.township_index:
            t = self.township_index[code]
            return self.district_names[self.township_district[t]] + self.township_names[t]
        return self.place_names.get(code, code)
