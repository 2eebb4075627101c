"""The reference data shipped in ``bangfu/data`` and the one lookup of names by code.

* ``divisions()``: Chongqing's districts (6 digits) and townships (9 digits), with their zone;
* ``places()``: China's provinces (2 digits) and cities (4 digits), with their cooperation region;
* ``occupations()``: the occupation list (``N-NN-NN-NN``).

``area_name`` names an area code as every page, export and API shows it: ``50`` is 重庆市
(``bangfu.codes.CITY_NAME``), a zone its label (主城都市区), a district or township its
name. ``place_name`` names any place a person may work. ``area_code_for`` and
``place_code_for`` read a code or an unambiguous name back (imports).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from django.utils.translation import gettext

from bangfu import codes

DIVISIONS_FILE = "chongqing_divisions.csv"
PLACES_FILE = "china_provinces_cities.csv"
OCCUPATIONS_FILE = "occupations.csv"
# Rows of the places list that stand for "the rest of a municipality", not a city of its own.
MUNICIPALITY_PARTS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


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


def is_area(code: str) -> bool:
    """The city, a zone, or a district or township of Chongqing."""
    return code == codes.CITY_CODE or code in codes.REGION_GROUP or code in divisions()


def area_name(code: str) -> str:
    """重庆市, 主城都市区, 丰都县, 虎威镇 (in the active language); an unknown code as it is."""
    if code == codes.CITY_CODE:
        return gettext(codes.CITY_NAME)
    if code in codes.REGION_GROUP:
        return gettext(codes.REGION_GROUP.label(code))
    row = divisions().get(code or "")
    return row["name"] if row else (code or "")


def place_name(code: str, *, full: bool = False) -> str:
    """The name of a Chongqing division or of a province or city of China (深圳市).

    ``full`` names it with its parent, as a worker would write an address: 丰都县虎威镇,
    广东省深圳市, and 北京市 for Beijing's 市辖区. An unknown code is returned as it is.
    """
    row = divisions().get(code or "")
    if row is not None:
        if full and len(code) == 9:
            return area_name(row["parent_code"]) + row["name"]
        return row["name"]
    row = places().get(code or "")
    if row is None:
        return code or ""
    parent = places().get(row["parent_code"] or "")
    if row["name"] in MUNICIPALITY_PARTS:
        return parent["name"] if parent else row["name"]
    if full and parent is not None:
        return parent["name"] + row["name"]
    return row["name"]


def _by_code_or_unique_name(rows: dict[str, str]) -> dict[str, str]:
    """{code: name} -> {code or name: code}, leaving out names that several codes share."""
    index = {code: code for code in rows}
    owners: dict[str, set[str]] = {}
    for code, name in rows.items():
        owners.setdefault(name, set()).add(code)
    for name, found in owners.items():
        if len(found) == 1:
            index.setdefault(name, next(iter(found)))
    return index


@lru_cache(maxsize=1)
def _area_index() -> dict[str, str]:
    index = {codes.CITY_CODE: codes.CITY_CODE, codes.CITY_NAME: codes.CITY_CODE,
             codes.AREA_LEVEL.label("city"): codes.CITY_CODE}  # 全市
    for code in codes.REGION_GROUP:
        index[code.value] = index[code.label] = code.value
    index.update(_by_code_or_unique_name({code: row["name"] for code, row in divisions().items()}))
    return index


def area_code_for(text: str) -> str | None:
    """The area a code or an unambiguous name means: 50/重庆市/全市, a zone, a district, a township."""
    return _area_index().get((text or "").strip())


@lru_cache(maxsize=1)
def _place_index() -> dict[str, str]:
    names = {code: row["name"] for code, row in divisions().items()}
    names.update({code: row["name"] for code, row in places().items()
                  if row["name"] not in MUNICIPALITY_PARTS})
    index = _by_code_or_unique_name(names)
    index.update({code: code for code in places()})
    return index


def place_code_for(text: str) -> str | None:
    """The place a code or an unambiguous name means: a Chongqing division, a province or city."""
    return _place_index().get((text or "").strip())


def area_tree(within: str = codes.CITY_CODE) -> list[dict]:
    """The area tree (区划): 重庆市, each district, its townships; only the part within ``within``.

    Each node is ``{"code", "name", "level", "depth"}`` in tree order (from the packaged list).
    """
    rows = sorted(divisions().values(), key=lambda row: row["code"])
    districts = [row for row in rows if len(row["code"]) == 6]
    townships: dict[str, list] = {}
    for row in rows:
        if len(row["code"]) == 9:
            townships.setdefault(row["parent_code"], []).append(row)
    nodes = [{"code": codes.CITY_CODE, "name": area_name(codes.CITY_CODE), "level": "city", "depth": 0}]
    for district in districts:
        nodes.append({"code": district["code"], "name": district["name"], "level": "district", "depth": 1})
        for township in townships.get(district["code"], []):
            nodes.append({"code": township["code"], "name": township["name"], "level": "township", "depth": 2})
    return [node for node in nodes if node["code"].startswith(within)]


def area_choices(within: str = codes.CITY_CODE) -> list[tuple[str, str]]:
    """The area tree as the options of one select, townships indented under their district."""
    return [(node["code"], "\u3000\u3000" * node["depth"] + f"{node['name']}（{node['code']}）")
            for node in area_tree(within)]
