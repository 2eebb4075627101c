"""Loading the shipped reference data (``bangfu.core.reference``) into the registry's tables."""

from __future__ import annotations

# Read through bangfu.core.reference; these names stay importable from here for the modules
# that still import them from the registry (the demo steps, a test factory).
from bangfu.core.reference import divisions, occupations, places, read_rows  # noqa: F401


def load_reference_data(division_model, place_model, *, using: str = "default") -> tuple[int, int]:
    """Insert or refresh divisions and places (in database ``using``); used by the data
    migration and tests."""
    div_rows = [
        division_model(code=r["code"], name=r["name"], level=r["level"],
                       parent_code=r["parent_code"], region_group=r["region_group"])
        for r in divisions().values()
    ]
    place_rows = [
        place_model(code=r["code"], name=r["name"], level=r["level"],
                    parent_code=r["parent_code"], cooperation_region=r["cooperation_region"])
        for r in places().values()
    ]
    division_model.objects.using(using).bulk_create(
        div_rows, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "level", "parent_code", "region_group"],
    )
    place_model.objects.using(using).bulk_create(
        place_rows, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "level", "parent_code", "cooperation_region"],
    )
    return len(div_rows), len(place_rows)
