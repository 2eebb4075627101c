"""Which office handles a case: by where the arrears happened.

* inside Chongqing (a district/county code ``50xxxx``): that district's bureau;
* elsewhere: the out-of-town office (驻外劳务办事机构) that covers the city, else the one that
  covers the province (a city office is more specific than a provincial one);
* nobody covers it (or an office was switched off): the city bureau, which always exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bangfu.arrears import choices as c
from bangfu.arrears.models import Office
from bangfu.core import reference

CITY_OFFICE_CODE = "CQ"
DISTRICT_OFFICE_PREFIX = "D"
CHONGQING_PROVINCE = "50"

ERR_PLACE_UNKNOWN = "务工地代码无效"


class PlaceError(ValueError):
    pass


@dataclass(frozen=True)
class Place:
    code: str  # a Chongqing district (6 digits), a city (4) or a province (2)
    label: str  # 广东省深圳市, 重庆市丰都县
    province_code: str

    @property
    def in_chongqing(self) -> bool:
        return self.province_code == CHONGQING_PROVINCE


def place_from_code(code: str) -> Place:
    """Resolve a work-place code to its label; raises PlaceError for codes we do not know."""
    code = (code or "").strip()
    if len(code) == 6 and code.startswith(CHONGQING_PROVINCE):
        division = reference.divisions().get(code)
        if division is None or division["parent_code"] != CHONGQING_PROVINCE:
            raise PlaceError(_(ERR_PLACE_UNKNOWN))
        return Place(code=code, label=reference.place_name(CHONGQING_PROVINCE) + division["name"],
                     province_code=CHONGQING_PROVINCE)
    row = reference.places().get(code)
    if row is None:
        raise PlaceError(_(ERR_PLACE_UNKNOWN))
    province_code = code if row["level"] == "province" else row["parent_code"]
    return Place(code=code, label=reference.place_name(code, full=True), province_code=province_code)


def city_office() -> Office:
    return Office.objects.get(code=CITY_OFFICE_CODE)


def route(place: Place) -> Office:
    """The active office responsible for arrears at ``place``."""
    if place.in_chongqing:
        if len(place.code) == 6:
            office = Office.objects.filter(
                kind=c.OfficeKind.DISTRICT, district_code=place.code, active=True
            ).first()
            if office is not None:
                return office
        return city_office()
    outposts = list(Office.objects.filter(kind=c.OfficeKind.OUTPOST, active=True).order_by("code"))
    for wanted in (place.code if len(place.code) == 4 else None, place.province_code):
        if not wanted:
            continue
        for office in outposts:
            if wanted in office.cover_list:
                return office
    return city_office()
