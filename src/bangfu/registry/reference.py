"""Reference data shipped with the package: divisions of Chongqing, provinces and cities."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

DIVISIONS_FILE = "chongqing_divisions.csv"
PLACES_FILE = "china_provinces_cities.csv"
OCCUPATIONS_FILE = "occupations.csv"


def read_rows(filename: str) -> list[dict[str, str]]:
    with resources.files("bangfu.data").joinpath(filename).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def divisions() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_rows(DIVISIONS_FILE)}


@lru_cache(maxsize=1)
def places() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_rows(PLACES_FILE)}


@lru_cache(maxsize=1)
def occupations() -> dict[str, dict[str, str]]:
    return {row["code"]: row for row in read_rows(OCCUPATIONS_FILE)}


def load_reference_data(division_model, place_model) -> tuple[int, int]:
    """Insert or refresh divisions and places; used by the data migration and tests."""
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
    division_model.objects.bulk_create(
        div_rows, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "level", "parent_code", "region_group"],
    )
    place_model.objects.bulk_create(
        place_rows, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "level", "parent_code", "cooperation_region"],
    )
    return len(div_rows), len(place_rows)
