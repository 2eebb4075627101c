"""The offices that always exist: the city bureau and one bureau per district/county.

Used by the data migration (with the historical model) and by tests that must restore them.
"""

from __future__ import annotations

DISTRICT_LEVELS = ("district", "county", "autonomous_county")
CITY_OFFICE = {"code": "CQ", "name": "重庆市人力资源和社会保障局（劳动保障监察）", "kind": "city",
               "contact_phone": "12333", "address": "重庆市"}


def load_builtin_offices(office_model, *, using: str = "default") -> int:
    from bangfu.core import reference

    defaults = {k: v for k, v in CITY_OFFICE.items() if k != "code"}
    office_model.objects.using(using).update_or_create(code=CITY_OFFICE["code"], defaults=defaults)
    count = 1
    for code, row in reference.divisions().items():
        if row["level"] not in DISTRICT_LEVELS:
            continue
        office_model.objects.using(using).update_or_create(
            code=f"D{code}",
            defaults={"name": f"{row['name']}人力资源和社会保障局", "kind": "district",
                      "district_code": code, "contact_phone": "12333"},
        )
        count += 1
    return count
