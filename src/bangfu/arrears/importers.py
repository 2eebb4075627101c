"""The ``offices`` import: out-of-town labour offices (驻外劳务办事机构) from a spreadsheet.

``bangfu import offices FILE`` (the shared import command discovers ``IMPORTERS``). The
package ships an editable example set of 26 offices: ``bangfu arrears_offices --example``
prints its path, ``--load-example`` imports it. Offices are matched by code; re-importing the
same file changes nothing; offices missing from a file are left as they are (switch one off
with 状态 = 停用).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from bangfu.arrears.models import Office
from bangfu.arrears.routing import CITY_OFFICE_CODE, DISTRICT_OFFICE_PREFIX
from bangfu.arrears.services.offices import office_upsert
from bangfu.core import reference
from bangfu.core.actors import Actor
from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError

EXAMPLE_FILE = "offices_example.csv"

ERR_CODE = "机构编码应为2至10位大写字母或数字，以字母开头"
ERR_CODE_RESERVED = "机构编码 {code} 为系统保留（市级和区县机构自动生成）"
ERR_NAME = "机构名称最多80个字"
ERR_PLACE = "无法识别的省市：{name}（请填写省、市全称或6位以内的行政区划代码）"
ERR_PLACE_CHONGQING = "驻外机构不能负责重庆市内的地区"
ERR_NO_PLACE = "请至少填写一个负责省市"
ERR_ACTIVE = "状态应填写“启用”或“停用”"
ERR_TEXT = "内容过长，最多{limit}个字"
ERR_DUPLICATE_CODE = "机构编码 {code} 在文件中重复（第{row}行）"
ERR_PLACE_TWICE = "{place} 同时由两个机构负责：{first} 和 {second}"

_SPLIT = re.compile(r"[、，,；;/\s]+")
_ACTIVE = {"启用": True, "是": True, "1": True, "true": True, "yes": True, "active": True,
           "停用": False, "否": False, "0": False, "false": False, "no": False, "inactive": False}


def example_path() -> Path:
    return Path(str(resources.files("bangfu.arrears.data").joinpath(EXAMPLE_FILE)))


def _place_index() -> dict[str, str]:
    """Every name (full, and provinces without their suffix) and code -> place code."""
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    places = reference.places()
    for code, row in places.items():
        names = {code, row["name"]}
        if row["level"] == "province":
            short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", row["name"])
            names.add(short)
        else:
            names.add(places[row["parent_code"]]["name"] + row["name"])
        for name in names:
            if name in ("市辖区", "县"):
                continue
            if name in index and index[name] != code:
                ambiguous.add(name)
            index.setdefault(name, code)
    for name in ambiguous:
        index.pop(name, None)
    return index


def parse_covers(text: str) -> str:
    index = _place_index()
    codes: list[str] = []
    for name in (part for part in _SPLIT.split(text) if part):
        code = index.get(name)
        if code is None:
            raise CellError(ERR_PLACE.format(name=name))
        if code.startswith("50"):
            raise CellError(ERR_PLACE_CHONGQING)
        if code not in codes:
            codes.append(code)
    if not codes:
        raise CellError(ERR_NO_PLACE)
    return ",".join(codes)


def _parse_code(text: str) -> str:
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z][A-Z0-9]{1,9}", code):
        raise CellError(ERR_CODE)
    if code == CITY_OFFICE_CODE or re.fullmatch(rf"{DISTRICT_OFFICE_PREFIX}\d+", code):
        raise CellError(ERR_CODE_RESERVED.format(code=code))
    return code


def _text(limit: int):
    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(ERR_TEXT.format(limit=limit))
        return text

    return parse


def _parse_active(text: str) -> bool:
    if not text:
        return True
    value = _ACTIVE.get(text.strip().lower())
    if value is None:
        raise CellError(ERR_ACTIVE)
    return value


class OfficeImporter(Importer):
    kind = "offices"
    title = "驻外劳务办事机构"
    columns = (
        Column("code", "机构编码", aliases=("code", "office_code"), required=True, parse=_parse_code,
               help="2至10位大写字母或数字，以字母开头，例如 GD；按编码更新已有机构", example="GD"),
        Column("name", "机构名称", aliases=("name",), required=True, parse=_text(80),
               help="例如 重庆市驻广东劳务办事处", example="重庆市驻广东劳务办事处"),
        Column("covers", "负责省市", aliases=("covers", "provinces", "cities"), required=True,
               parse=parse_covers,
               help="省或地级市的全称，多个用顿号分隔；市比省优先，例如深圳市的案件交驻深圳机构",
               example="广东省"),
        Column("contact_person", "联系人", aliases=("contact", "contact_person"), parse=_text(60),
               help="对外公布的联系人", example="张主任"),
        Column("contact_phone", "联系电话", aliases=("phone", "contact_phone"), parse=_text(40),
               help="办公电话，投诉人在查询页面可以看到", example="020-12345678"),
        Column("address", "地址", aliases=("address",), parse=_text(200), example="广东省广州市"),
        Column("active", "状态", aliases=("active", "status"), parse=_parse_active,
               help="启用 或 停用；停用的机构不再分派新案件", example="启用"),
        Column("remark", "备注", aliases=("remark", "note"), parse=_text(200)),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        seen_codes: dict[str, int] = {}
        owner: dict[str, tuple[str, int]] = {}  # place -> (office code, row)
        in_file = {row.values["code"] for row in rows}
        # Places already covered by active offices that this file does not touch.
        for office in Office.objects.filter(kind="outpost", active=True).exclude(code__in=in_file):
            for place in office.cover_list:
                owner[place] = (office.code, 0)
        for row in rows:
            code = row.values["code"]
            if code in seen_codes:
                errors.append(RowError(row.number, "机构编码",
                                       ERR_DUPLICATE_CODE.format(code=code, row=seen_codes[code])))
                continue
            seen_codes[code] = row.number
            if not row.values["active"]:
                continue
            for place in row.values["covers"].split(","):
                if place in owner and owner[place][0] != code:
                    errors.append(RowError(row.number, "负责省市", ERR_PLACE_TWICE.format(
                        place=reference.place_name(place), first=owner[place][0], second=code)))
                else:
                    owner[place] = (code, row.number)
        return errors

    def _values(self, row) -> dict:
        return {key: row.values[key] for key in
                ("name", "covers", "contact_person", "contact_phone", "address", "active", "remark")}

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        for row in rows:
            outcome = office_upsert(code=row.values["code"], values=self._values(row), actor=actor)
            setattr(result, outcome, getattr(result, outcome) + 1)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        existing = {o.code: o for o in Office.objects.filter(code__in=[r.values["code"] for r in rows])}
        for row in rows:
            office = existing.get(row.values["code"])
            if office is None:
                result.created += 1
            elif all(getattr(office, k) == v for k, v in self._values(row).items()):
                result.unchanged += 1
            else:
                result.updated += 1

    def template_rows(self):
        return [["GD", "重庆市驻广东劳务办事处", "广东省", "张主任", "020-12345678", "广东省广州市", "启用", ""],
                ["SZ", "重庆市驻深圳劳务办事处", "深圳市", "李主任", "0755-12345678", "广东省深圳市", "启用", ""]]


IMPORTERS = {"offices": OfficeImporter()}
