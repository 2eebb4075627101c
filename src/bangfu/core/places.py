"""Places of postings, employers and work: a Chongqing district or township, a province or
city elsewhere in China, or abroad. Everything else about a place is derived from the shipped
reference data (``bangfu/data``)."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.codes import CITY_CODE
from bangfu.core import reference


@dataclass(frozen=True)
class PlaceFacts:
    code: str
    district_code: str  # 6-digit Chongqing district, "" elsewhere
    township_code: str  # 9-digit Chongqing township, ""
    region_group: str  # 一区两群 zone of a Chongqing place, ""
    cooperation_region: str  # 长三角/珠三角/四川/鲁渝 of a place elsewhere, ""
    name: str
    abroad: bool = False

    @property
    def in_chongqing(self) -> bool:
        return bool(self.district_code)


ABROAD = PlaceFacts(code="", district_code="", township_code="", region_group="",
                    cooperation_region="", name="境外", abroad=True)


def place_facts(code: str, *, abroad: bool = False) -> PlaceFacts | None:
    """Facts of a place code, or None when the code is unknown."""
    if abroad:
        return ABROAD
    code = (code or "").strip()
    divisions = reference.divisions()
    name = reference.place_name(code, full=True)
    if code in divisions:
        row = divisions[code]
        if len(code) == 9:
            return PlaceFacts(code=code, district_code=row["parent_code"], township_code=code,
                              region_group=row["region_group"], cooperation_region="", name=name)
        if len(code) == 6:
            return PlaceFacts(code=code, district_code=code, township_code="",
                              region_group=row["region_group"], cooperation_region="", name=name)
        return None
    places = reference.places()
    if code in places and not code.startswith(CITY_CODE):
        row = places[code]
        parent = places.get(row.get("parent_code") or "", {})
        region = row.get("cooperation_region") or parent.get("cooperation_region", "") or ""
        return PlaceFacts(code=code, district_code="", township_code="", region_group="",
                          cooperation_region=region, name=name)
    return None


def place_class_for(person_district: str, facts: PlaceFacts) -> str:
    """The place class of work at ``facts`` for a person living in ``person_district``."""
    if facts.abroad:
        return "abroad"
    if not facts.in_chongqing:
        return "out_of_city"
    return "in_county" if facts.district_code == person_district else "in_city"
