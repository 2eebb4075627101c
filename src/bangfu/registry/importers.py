"""The registry import (花名册导入): households and persons from the national monitoring system's sheets.

Each row is one person. Households are upserted by 户编号, persons by the hash of their ID
number; a re-import of the same file changes nothing (see ``services.person_import_commit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bangfu.core import reference
from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, Importer, ImportResult, ParsedRow, RowError
from bangfu.core.imports import parsers as p
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE
from bangfu.registry import choices as c
from bangfu.registry.services import (
    PersonRecord,
    household_lookup,
    person_import_commit,
    person_lookup,
    person_values,
)

ERR_HOUSEHOLD_NO = gettext_noop("户编号只能包含数字、字母和“-”，最长32位")
ERR_NAME = gettext_noop("姓名不应包含数字")
ERR_UNKNOWN_TOWNSHIP = gettext_noop("未知的乡镇代码“{value}”")
ERR_TOWNSHIP_NOT_IN_DISTRICT = gettext_noop("乡镇“{township}”不属于区县“{district}”")
ERR_TOWNSHIP_NAME = gettext_noop("区县“{district}”下没有名为“{value}”的乡镇（街道）")
ERR_UNKNOWN_SKILL = gettext_noop("“{value}”不是有效的职业编码（见职业分类大典，如 4-01-02-03）")
ERR_DUPLICATE_ID = gettext_noop("证件号码与第 {row} 行重复")
ERR_HOUSEHOLD_MISMATCH = gettext_noop("同一户编号的{field}与第 {row} 行不一致")
ERR_SECOND_HEAD = gettext_noop("户编号 {household} 已有户主（第 {row} 行），一户只能有一个户主")
ERR_OTHER_HOUSEHOLD = gettext_noop("该证件号码已登记在户编号 {household} 下，与本行户编号不一致")
ERR_OUTSIDE_AREA = gettext_noop("不在您的管辖区域内，不能导入")
ERR_PERSON_OUTSIDE_AREA = gettext_noop("该人员已登记在您管辖区域以外，不能修改")
ERR_HOUSEHOLD_OUTSIDE_AREA = gettext_noop("户编号 {household} 已登记在您管辖区域以外，不能修改")

HOUSEHOLD_NO = re.compile(r"^[0-9A-Za-z-]{1,32}$")
MAX_WAGE_YUAN = 100_000  # a monthly wage above this is a typo (an annual figure, extra zeros)

RELATION_ALIASES = {
    "本人": "head", "户主本人": "head", "配偶": "spouse", "妻": "spouse", "妻子": "spouse", "夫": "spouse",
    "丈夫": "spouse", "子": "son", "儿子": "son", "长子": "son", "次子": "son", "女": "daughter",
    "女儿": "daughter", "长女": "daughter", "次女": "daughter", "儿媳": "daughter_in_law",
    "女婿": "son_in_law", "孙子": "grandson", "孙女": "granddaughter", "父亲": "father", "父": "father",
    "母亲": "mother", "母": "mother", "之外孙子": "other", "之外孙女": "other", "之岳父": "other",
    "之岳母": "other", "之公公": "other", "之婆婆": "other", "之祖父": "other", "之祖母": "other",
    "之兄弟姐妹": "other", "兄弟姐妹": "other",
}
CATEGORY_ALIASES = {
    "脱贫户": "alleviated", "脱贫": "alleviated", "脱贫不稳定户": "monitored", "边缘易致贫户": "monitored",
    "突发严重困难户": "monitored", "监测对象": "monitored", "监测户": "monitored",
}
LABOUR_ALIASES = {
    "普通劳动力": "ordinary", "技能劳动力": "skilled", "弱劳动力": "weak", "半劳动力": "weak",
    "丧失劳动能力": "lost", "无劳动能力": "none",
}
EDUCATION_ALIASES = {
    "文盲": "illiterate", "半文盲": "illiterate", "高中": "senior", "中专": "senior", "中职": "senior",
    "技校": "senior", "大专": "college", "本科": "college", "本科及以上": "college", "研究生": "college",
}
HEALTH_ALIASES = {"大病": "serious", "慢性病": "chronic", "残疾人": "disabled"}
PLACE_ALIASES = {"市外（省外）": "out_of_city", "省外": "out_of_city", "市内": "in_city", "本县": "in_county"}


@dataclass(frozen=True)
class IdCell:
    """A validated ID number with what it tells: hash for lookup, sex and birth date."""

    number: str
    hash: str
    sex: str
    birth_date: object

    def __str__(self) -> str:  # never printed in full by accident
        return self.number[:3] + "…"


def parse_id_cell(text: str) -> IdCell:
    """A valid ID number with its lookup hash, sex and birth date."""
    info = p.id_number_info(text)
    return IdCell(number=info.number, hash=pii_hash(info.number), sex=info.sex, birth_date=info.birth_date)


def parse_household_no(text: str) -> str:
    text = p.ascii_text(text).replace(" ", "")
    if not HOUSEHOLD_NO.match(text):
        raise CellError(_(ERR_HOUSEHOLD_NO))
    return text


def parse_name(text: str) -> str:
    text = re.sub(r"\s+", "", text) if not re.search(r"[A-Za-z]\s+[A-Za-z]", text) else text
    if len(text) > 60:
        raise CellError(_(p.ERR_TOO_LONG).format(limit=60))
    if any(ch.isdigit() for ch in text):
        raise CellError(_(ERR_NAME))
    return text


def parse_township(text: str) -> str:
    """A township code; a name is kept as is and resolved within the row's district by ``check``."""
    code = p.ascii_text(text).replace(" ", "")
    if code.isdigit():
        row = reference.divisions().get(code)
        if row is None or row["level"] not in c.TOWNSHIP_LEVELS:
            raise CellError(_(ERR_UNKNOWN_TOWNSHIP).format(value=text))
        return code
    return text


@lru_cache(maxsize=1)
def _skills_parser():
    by_name = {row["name"]: code for code, row in reference.occupations().items()}
    return p.code_list(reference.occupations(), error=ERR_UNKNOWN_SKILL, by_name=by_name)


def parse_skills(text: str) -> str:
    return _skills_parser()(text) if text else ""


@lru_cache(maxsize=1)
def _township_names() -> dict[tuple[str, str], str]:
    return {(row["parent_code"], row["name"]): code for code, row in reference.divisions().items()
            if row["level"] in c.TOWNSHIP_LEVELS}


def division_label(code: str) -> str:
    row = reference.divisions().get(code)
    return f"{code}（{row['name']}）" if row else code


# Optional columns -> the PersonRecord field they fill (kept from the registry when absent).
FILLED_FROM_REGISTRY = {
    "phone": "phone", "village": "village", "education": "education", "health": "health",
    "in_school": "in_school", "certificates": "certificates", "expected_wage": "expected_wage_fen",
    "accepted_places": "accepted_places", "skills": "skills",
}

H = {  # headers, named once: errors point at them
    "household_no": "户编号", "name": "姓名", "id_number": "证件号码", "relation": "与户主关系",
    "phone": "联系电话", "district_code": "区县代码", "township_code": "乡镇代码", "village": "村",
    "category": "人口类型", "labour_ability": "劳动技能", "education": "文化程度", "health": "健康状况",
    "in_school": "是否在校生", "certificates": "技能证书", "expected_wage": "期望月薪",
    "accepted_places": "可接受务工地点", "skills": "技能",
}


class RegistryImporter(Importer):
    kind = "registry"
    title = "花名册"
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("脱贫人口和防返贫监测对象的户和人员信息，每行一人；按户编号和证件号码新增或更新。")
    result_link = ("registry:person_list", gettext_lazy("查看人员花名册"))
    columns = (
        Column("household_no", H["household_no"], ("household_no", "household_number", "户号"),
               required=True, parse=parse_household_no, help="全国防返贫监测信息系统中的户编号",
               example="500230101001000123"),
        Column("name", H["name"], ("name",), required=True, parse=parse_name, example="张三"),
        Column("id_number", H["id_number"], ("id_number", "身份证号", "身份证号码", "公民身份号码"),
               required=True, parse=parse_id_cell,
               help="18位居民身份证号码；请把该列设为文本格式，以免 Excel 丢失末尾数字；性别和出生日期由证件号码得出",
               example="500230198506010016"),
        Column("relation", H["relation"], ("relation", "关系"), required=True,
               parse=p.choice(c.Relation, aliases=RELATION_ALIASES), choices=p.choice_labels(c.Relation),
               example="户主"),
        Column("phone", H["phone"], ("phone", "手机号码", "电话", "联系方式"), parse=p.phone(),
               help="11位手机号，或带区号的固定电话（023-12345678）", example="13812345678"),
        Column("district_code", H["district_code"], ("district_code", "区县"), required=True,
               parse=p.district(), help="6位区县代码（如丰都县 500230），也可填区县名称", example="500230"),
        Column("township_code", H["township_code"], ("township_code", "乡镇", "乡镇（街道）代码"),
               required=True, parse=parse_township,
               help="9位乡镇（街道）代码（如虎威镇 500230101），也可填本区县内的乡镇名称", example="500230101"),
        Column("village", H["village"], ("village", "行政村", "村（社区）"), parse=p.text(max_length=60),
               example="新村"),
        Column("category", H["category"], ("category", "人员类型", "户类型"), required=True,
               parse=p.choice(c.Category, aliases=CATEGORY_ALIASES), choices=p.choice_labels(c.Category),
               example="脱贫人口"),
        Column("labour_ability", H["labour_ability"], ("labour_ability", "劳动能力"), required=True,
               parse=p.choice(c.LabourAbility, aliases=LABOUR_ALIASES),
               choices=p.choice_labels(c.LabourAbility), example="普通劳动力"),
        Column("education", H["education"], ("education",),
               parse=p.choice(c.Education, aliases=EDUCATION_ALIASES), choices=p.choice_labels(c.Education),
               example="初中"),
        Column("health", H["health"], ("health",), parse=p.choice(c.Health, aliases=HEALTH_ALIASES),
               choices=p.choice_labels(c.Health), example="健康"),
        Column("in_school", H["in_school"], ("in_school", "在校生"), parse=p.boolean(), choices=("是", "否"),
               help="是 或 否，不填为否", example="否"),
        Column("certificates", H["certificates"], ("certificates", "证书"), parse=p.text_list(max_length=200),
               help="多个证书用“、”分隔", example="电工证、叉车证"),
        Column("expected_wage", H["expected_wage"], ("expected_wage", "期望月薪（元）", "期望工资"),
               parse=p.yuan_to_fen(low=0, high=MAX_WAGE_YUAN), help="元/月", example="3500"),
        Column("accepted_places", H["accepted_places"], ("accepted_places", "务工意向地点", "可接受务工地"),
               parse=p.choice_list(c.PlaceClass, aliases=PLACE_ALIASES), choices=p.choice_labels(c.PlaceClass),
               help="多个用“、”分隔", example="县内、市内县外"),
        Column("skills", H["skills"], ("skills", "职业技能", "技能（职业编码）"), parse=parse_skills,
               help="职业分类大典编码或工种名称，多个用“、”分隔", example="4-01-02-03"),
    )

    def template_rows(self):
        # No example rows in the data sheet: left in place they would be imported as people.
        # The examples are in the 填写说明 sheet.
        return []

    # -- checks ------------------------------------------------------------------------------

    def check(self, rows: list[ParsedRow], *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        area = actor.area_code
        townships = _township_names()
        divisions = reference.divisions()
        first_by_id: dict[str, int] = {}
        household_first: dict[str, ParsedRow] = {}
        heads: dict[str, int] = {}
        for row in rows:
            v = row.values
            district = v["district_code"]
            township = v["township_code"]
            if not township.isdigit():
                code = townships.get((district, township))
                if code is None:
                    errors.append(RowError(row.number, H["township_code"], _(ERR_TOWNSHIP_NAME).format(
                        district=division_label(district), value=township)))
                    continue
                v["township_code"] = township = code
            if divisions[township]["parent_code"] != district:
                errors.append(RowError(row.number, H["township_code"], _(ERR_TOWNSHIP_NOT_IN_DISTRICT).format(
                    township=division_label(township), district=division_label(district))))
                continue
            if area != CITY_CODE and not township.startswith(area):
                errors.append(RowError(row.number, H["township_code"], _(ERR_OUTSIDE_AREA)))
                continue
            id_hash = v["id_number"].hash
            if id_hash in first_by_id:
                errors.append(RowError(row.number, H["id_number"],
                                       _(ERR_DUPLICATE_ID).format(row=first_by_id[id_hash])))
                continue
            first_by_id[id_hash] = row.number
            household = v["household_no"]
            first = household_first.setdefault(household, row)
            if first is not row:
                for key in ("district_code", "township_code", "village"):
                    if first.values[key] != v[key]:
                        errors.append(RowError(row.number, H[key], _(ERR_HOUSEHOLD_MISMATCH).format(
                            field=H[key], row=first.number)))
                        break
            if v["relation"] == c.Relation.HEAD:
                if household in heads:
                    errors.append(RowError(row.number, H["relation"], _(ERR_SECOND_HEAD).format(
                        household=household, row=heads[household])))
                else:
                    heads[household] = row.number
        errors.extend(self._check_database(rows, errors, area))
        return errors

    def _check_database(self, rows: list[ParsedRow], errors: list[RowError], area: str) -> list[RowError]:
        """Existing persons and households: same household, inside the actor's area."""
        bad = {e.row for e in errors}
        candidates = [r for r in rows if r.number not in bad]
        existing = person_lookup(hashes=[r.values["id_number"].hash for r in candidates])
        households = household_lookup(numbers={r.values["household_no"] for r in candidates})
        found: list[RowError] = []
        for row in candidates:
            v = row.values
            person = existing.get(v["id_number"].hash)
            if person is not None:
                if person.household_number != v["household_no"]:
                    found.append(RowError(row.number, H["household_no"], _(ERR_OTHER_HOUSEHOLD).format(
                        household=person.household_number)))
                    continue
                if area != CITY_CODE and not person.township_code.startswith(area):
                    found.append(RowError(row.number, H["id_number"], _(ERR_PERSON_OUTSIDE_AREA)))
                    continue
            household = households.get(v["household_no"])
            if household is not None and area != CITY_CODE and not household.township_code.startswith(area):
                found.append(RowError(row.number, H["household_no"], _(ERR_HOUSEHOLD_OUTSIDE_AREA).format(
                    household=v["household_no"])))
                continue
            record = self.record(row)
            row.meta["record"] = record
            row.meta["existing"] = person
        absent = (rows[0].meta.get("absent_columns") or frozenset()) & set(FILLED_FROM_REGISTRY) if rows else ()
        if absent:
            self._keep_stored_values(candidates, absent, households)
        return found

    @staticmethod
    def _keep_stored_values(rows: list[ParsedRow], absent: set[str], households) -> None:
        """A column missing from the file leaves what is stored: a sheet without phones
        does not erase them. New persons take their household's village."""
        fields = [FILLED_FROM_REGISTRY[key] for key in absent]
        by_pk = {row.meta["existing"].pk: row for row in rows
                 if "record" in row.meta and row.meta["existing"] is not None}
        for person in person_values(pks=list(by_pk), fields=fields):
            record = by_pk[person["pk"]].meta["record"]
            for name in fields:
                setattr(record, name, person[name])
        if "village" in absent:
            for row in rows:
                if "record" in row.meta and row.meta["existing"] is None:
                    household = households.get(row.values["household_no"])
                    row.meta["record"].village = household.village if household else ""

    # -- writing -----------------------------------------------------------------------------

    @staticmethod
    def record(row: ParsedRow) -> PersonRecord:
        v = row.values
        ident: IdCell = v["id_number"]
        return PersonRecord(
            household_number=v["household_no"], name=v["name"], id_number=ident.number,
            id_number_hash=ident.hash, sex=ident.sex, birth_date=ident.birth_date, relation=v["relation"],
            phone=v["phone"], district_code=v["district_code"], township_code=v["township_code"],
            village=v["village"], category=v["category"], labour_ability=v["labour_ability"],
            education=v["education"], health=v["health"], in_school=v["in_school"], skills=v["skills"],
            certificates=v["certificates"], accepted_places=v["accepted_places"],
            expected_wage_fen=v["expected_wage"],
        )

    def preview(self, rows: list[ParsedRow], *, actor: Actor, result: ImportResult) -> None:
        for row in rows:
            existing = row.meta.get("existing")
            if existing is None:
                result.created += 1
            elif existing.content_hash == row.meta["record"].content_hash:
                result.unchanged += 1
            else:
                result.updated += 1

    def commit(self, rows: list[ParsedRow], *, actor: Actor, result: ImportResult, progress=None) -> None:
        records = [row.meta["record"] for row in rows]
        existing = {row.meta["record"].id_number_hash: row.meta["existing"] for row in rows
                    if row.meta.get("existing") is not None}
        counts = person_import_commit(records=records, actor=actor, existing=existing, progress=progress)
        result.created += counts.created
        result.updated += counts.updated
        result.unchanged += counts.unchanged


IMPORTERS = {"registry": RegistryImporter()}
