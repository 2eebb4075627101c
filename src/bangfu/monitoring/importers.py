"""Imports of monitoring facts: ``bangfu import employment|income|targets FILE``.

Same guarantees as the registry import (``bangfu.core.imports``): Chinese headers with English
aliases, every error with row, column and a Chinese reason, all-or-nothing by default,
re-importing the same file changes nothing. Persons are found by the keyed hash of their ID
number, households by their number, both only inside the importing user's area (a person
outside it reads as unregistered: the import does not reveal who exists elsewhere).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers as p
from bangfu.core.imports.spec import ParsedRow
from bangfu.core.money import format_yuan
from bangfu.core.pii import pii_hash
from bangfu.core.reference import place_name
from bangfu.core.scoping import CITY_CODE, area_contains
from bangfu.monitoring import services
from bangfu.monitoring.models import EmploymentMonth, HouseholdIncome, Target
from bangfu.registry.choices import Channel, PlaceClass
from bangfu.registry.models import Household, Person

ERR_DESTINATION_REQUIRED = gettext_noop("务工地点类型为“{place}”时必须填写务工地区代码")
ERR_IN_COUNTY = gettext_noop("务工地点类型为“县内”，但务工地区“{dest}”不在本人所在区县（{district}）")
ERR_IN_CITY_OWN = gettext_noop("务工地点类型为“市内县外”，但务工地区“{dest}”就在本人所在区县，应为“县内”")
ERR_IN_CITY_OUTSIDE = gettext_noop("务工地点类型为“市内县外”，但务工地区“{dest}”不在重庆市内")
ERR_OUT_OF_CITY_INSIDE = gettext_noop("务工地点类型为“市外”，但务工地区“{dest}”在重庆市内")
ERR_ABROAD_DOMESTIC = gettext_noop("务工地点类型为“境外”，但务工地区“{dest}”在国内")
ERR_OCCUPATION = gettext_noop("职业代码格式应为“6-29-01-01”")
ERR_PERSON_UNKNOWN = gettext_noop("该证件号码未在本辖区花名册中登记")
ERR_DUPLICATE = gettext_noop("同一人同一月份在第{row}行已有一条内容不同的记录")
ERR_HOUSEHOLD_UNKNOWN = gettext_noop("该户编号未在本辖区花名册中登记")
ERR_TOTAL = gettext_noop("家庭纯收入 {total} 元不等于四项收入之和 {sum} 元")
ERR_DUPLICATE_HOUSEHOLD = gettext_noop("同一户同一年度在第{row}行已有一条内容不同的记录")
ERR_AREA_OUTSIDE = gettext_noop("区域 {value} 不在您的管辖范围内")
ERR_DUPLICATE_TARGET = gettext_noop("同一区域同一年度在第{row}行已有目标")

OCCUPATION_RE = re.compile(r"^\d-\d{2}(-\d{2}){0,2}$")
PLACE_ALIASES = {"市外（省外）": "out_of_city", "省外": "out_of_city", "市内": "in_city", "县外市内": "in_city"}
MAX_INCOME_YUAN = 10_000_000  # a monthly or yearly income above this is a typing error
MAX_TARGET = 2_000_000  # more people than Chongqing has

# ---- cell parsers (bangfu.core.imports.parsers) -------------------------------------------------
parse_id = p.id_number()
parse_month_cell = p.month(not_future=True, earliest_year=2000)
parse_uscc = p.uscc()
parse_fen = p.yuan_to_fen(high=MAX_INCOME_YUAN)


def parse_fen_zero(text: str) -> int:
    return parse_fen(text) or 0


def parse_occupation(text: str) -> str:
    if text and not OCCUPATION_RE.match(text):
        raise CellError(_(ERR_OCCUPATION))
    return text


def _actor_area(actor: Actor) -> str:
    """The area an importer may write to: the user's, or the whole city for the command line."""
    return actor.area_code



def _persons_by_hash(hashes: set[str], actor: Actor) -> dict[str, Person]:
    qs = Person.objects.in_area(_actor_area(actor)).filter(id_number_hash__in=hashes)
    return {p.id_number_hash: p for p in qs.only("id", "id_number_hash", "district_code", "township_code")}


# ---- employment -----------------------------------------------------------------------------------
class EmploymentImporter(Importer):
    kind = "employment"
    title = gettext_noop("务工月度信息")
    capability = Capability.IMPORT_MONITORING
    description = gettext_noop("每人每月一行：证件号码、年月、务工地点和就业渠道等；同一人同一月份再次导入即为更正。")
    columns = (
        Column("id_number", "证件号码", ("id_number", "身份证号", "身份证号码"), required=True,
               parse=parse_id, help="18位居民身份证号码，须已在花名册中登记", example="500230198506010018"),
        Column("name", "姓名", ("name",), help="仅供核对，不导入", example="张三"),
        Column("month", "年月", ("month", "务工年月", "月份"), required=True, parse=parse_month_cell,
               help="如 2024-09 或 2024年9月；不能晚于本月", example="2024-09"),
        Column("place_class", "务工地点类型", ("place_class", "务工地点"), required=True,
               parse=p.choice(PlaceClass, aliases=PLACE_ALIASES), help="县内、市内县外、市外、境外",
               example="市外", choices=p.choice_labels(PlaceClass)),
        Column("destination_code", "务工地区代码", ("destination_code", "务工地区", "务工地"),
               parse=p.place(),
               help="重庆市内填区县或乡镇代码，市外填省或地级市代码（如 4403 深圳市），也可填全称；"
                    "县内可不填，境外不填", example="4403"),
        Column("channel", "就业渠道", ("channel",), required=True, parse=p.choice(Channel),
               help="外出务工、就近就业、公益性岗位、帮扶车间、零工、自主创业、灵活就业", example="外出务工",
               choices=p.choice_labels(Channel)),
        Column("employer_name", "务工单位", ("employer_name", "单位名称", "用工单位"),
               help="单位全称", example="深圳市某某电子有限公司"),
        Column("employer_uscc", "统一社会信用代码", ("employer_uscc", "uscc", "uscic", "信用代码"),
               parse=parse_uscc, help="18位，填写时校验",
               example="91440300MA5FXXXX0X"),
        Column("job_title", "岗位", ("job_title", "工种"), help="如 电子设备装配工", example="电子设备装配工"),
        Column("occupation_code", "职业代码", ("occupation_code",), parse=parse_occupation,
               help="职业分类大典代码，如 6-25-04-07", example=""),
        Column("income_fen", "月收入", ("income", "月收入（元）", "monthly_income"), parse=parse_fen,
               help="当月收入，单位元，不能为负数", example="5200"),
    )

    def template_rows(self):
        return [["500230198506010018", "张三", "2024-09", "市外", "4403", "外出务工",
                 "深圳市某某电子有限公司", "", "电子设备装配工", "", "5200"],
                ["500230199001020027", "李四", "2024-09", "县内", "", "公益性岗位", "", "", "护林员", "",
                 "1800"]]

    def check(self, rows: list[ParsedRow], *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        hashes = {pii_hash(r.values["id_number"]) for r in rows}
        persons = _persons_by_hash(hashes, actor)
        seen: dict[tuple[int, str], ParsedRow] = {}
        for row in rows:
            v = row.values
            person = persons.get(pii_hash(v["id_number"]))
            if person is None:
                errors.append(RowError(row.number, "证件号码", ERR_PERSON_UNKNOWN))
                continue
            message = self._place_error(v["place_class"], v["destination_code"], person.district_code)
            if message:
                errors.append(RowError(row.number, "务工地区代码", message))
                continue
            row.meta["person_id"] = person.pk
            record = self.record(row)
            first = seen.get((person.pk, v["month"]))
            if first is not None:
                if self.record(first) != record:
                    errors.append(RowError(row.number, "年月", ERR_DUPLICATE.format(row=first.number)))
                row.meta["duplicate"] = True
                continue
            seen[(person.pk, v["month"])] = row
        return errors

    @staticmethod
    def _place_error(place: str, dest: str, district: str) -> str:
        label = str(PlaceClass(place).label)
        in_chongqing = dest.startswith(CITY_CODE) and len(dest) >= 6
        shown = f"{dest} {place_name(dest)}" if dest else ""
        if place == "in_county":
            if dest and not dest.startswith(district):
                return ERR_IN_COUNTY.format(dest=shown, district=place_name(district))
        elif place == "in_city":
            if not dest:
                return ERR_DESTINATION_REQUIRED.format(place=label)
            if not in_chongqing:
                return ERR_IN_CITY_OUTSIDE.format(dest=shown)
            if dest.startswith(district):
                return ERR_IN_CITY_OWN.format(dest=shown)
        elif place == "out_of_city":
            if not dest:
                return ERR_DESTINATION_REQUIRED.format(place=label)
            if in_chongqing or dest == CITY_CODE:
                return ERR_OUT_OF_CITY_INSIDE.format(dest=shown)
        elif place == "abroad" and dest:
            return ERR_ABROAD_DOMESTIC.format(dest=shown)
        return ""

    @staticmethod
    def record(row: ParsedRow) -> dict:
        v = row.values
        return {
            "person_id": row.meta["person_id"], "month": v["month"], "place_class": v["place_class"],
            "destination_code": v["destination_code"], "channel": v["channel"],
            "employer_name": v["employer_name"][:200], "employer_uscc": v["employer_uscc"],
            "job_title": v["job_title"][:100], "occupation_code": v["occupation_code"],
            "income_fen": v["income_fen"],
        }

    def _records(self, rows: list[ParsedRow]) -> list[dict]:
        return [self.record(r) for r in rows if not r.meta.get("duplicate")]

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        counts = services.employment_months_write(rows=self._records(rows), actor=actor, audit=False)
        result.created, result.updated = counts.created, counts.updated
        result.unchanged = counts.unchanged + sum(1 for r in rows if r.meta.get("duplicate"))
        _enqueue_fill()

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        records = self._records(rows)
        existing = {
            (e.person_id, e.month): e
            for e in EmploymentMonth.objects.filter(person_id__in={r["person_id"] for r in records},
                                                    month__in={r["month"] for r in records})
        }
        for rec in records:
            current = existing.get((rec["person_id"], rec["month"]))
            if current is None:
                result.created += 1
            elif any(getattr(current, f) != rec[f] for f in services.facts.EMPLOYMENT_FIELDS):
                result.updated += 1
            else:
                result.unchanged += 1


# ---- household incomes ----------------------------------------------------------------------------
INCOME_KEYS = ("wage_fen", "business_fen", "property_fen", "transfer_fen")


class IncomeImporter(Importer):
    kind = "income"
    title = gettext_noop("家庭年度收入")
    capability = Capability.IMPORT_MONITORING
    description = gettext_noop("每户每年一行：工资性、经营性、财产性、转移性收入（元）；家庭纯收入可不填，按四项之和计算。")
    columns = (
        Column("household_number", "户编号", ("household_number", "household", "户号"), required=True,
               help="花名册中的户编号", example="500230101000001"),
        Column("year", "年度", ("year", "收入年度"), required=True, parse=p.year(low=2000), example="2023"),
        Column("wage_fen", "工资性收入", ("wage", "wage_income"), required=True, parse=parse_fen_zero,
               help="单位元", example="42000"),
        Column("business_fen", "经营性收入", ("business", "business_income"), parse=parse_fen_zero,
               help="单位元", example="6000"),
        Column("property_fen", "财产性收入", ("property", "property_income"), parse=parse_fen_zero,
               help="单位元", example="500"),
        Column("transfer_fen", "转移性收入", ("transfer", "transfer_income"), parse=parse_fen_zero,
               help="单位元", example="5500"),
        Column("total_fen", "家庭纯收入", ("total", "total_income", "家庭总收入"), parse=parse_fen,
               help="单位元；不填则按四项之和", example="54000"),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        numbers = {r.values["household_number"] for r in rows}
        households = dict(Household.objects.in_area(_actor_area(actor)).filter(number__in=numbers)
                          .values_list("number", "id"))
        seen: dict[tuple[int, int], ParsedRow] = {}
        for row in rows:
            v = row.values
            household_id = households.get(v["household_number"])
            if household_id is None:
                errors.append(RowError(row.number, "户编号", ERR_HOUSEHOLD_UNKNOWN))
                continue
            parts = sum(v[k] for k in INCOME_KEYS)
            if v["total_fen"] is not None and v["total_fen"] != parts:
                errors.append(RowError(row.number, "家庭纯收入", ERR_TOTAL.format(
                    total=format_yuan(v["total_fen"]), sum=format_yuan(parts))))
                continue
            row.meta["household_id"] = household_id
            first = seen.get((household_id, v["year"]))
            if first is not None:
                if self.record(first) != self.record(row):
                    errors.append(RowError(row.number, "年度", ERR_DUPLICATE_HOUSEHOLD.format(row=first.number)))
                row.meta["duplicate"] = True
                continue
            seen[(household_id, v["year"])] = row
        return errors

    @staticmethod
    def record(row: ParsedRow) -> dict:
        v = row.values
        out = {"household_id": row.meta["household_id"], "year": v["year"]}
        out.update({k: v[k] for k in INCOME_KEYS})
        out["total_fen"] = sum(v[k] for k in INCOME_KEYS)
        return out

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        records = [self.record(r) for r in rows if not r.meta.get("duplicate")]
        counts = services.household_incomes_write(rows=records, actor=actor, audit=False)
        result.created, result.updated = counts.created, counts.updated
        result.unchanged = counts.unchanged + sum(1 for r in rows if r.meta.get("duplicate"))
        _enqueue_fill()

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        records = [self.record(r) for r in rows if not r.meta.get("duplicate")]
        existing = {(i.household_id, i.year): i for i in HouseholdIncome.objects.filter(
            household_id__in={r["household_id"] for r in records})}
        for rec in records:
            current = existing.get((rec["household_id"], rec["year"]))
            if current is None:
                result.created += 1
            elif any(getattr(current, f) != rec[f] for f in services.facts.INCOME_FIELDS):
                result.updated += 1
            else:
                result.unchanged += 1


# ---- targets ---------------------------------------------------------------------------------------
class TargetImporter(Importer):
    kind = "targets"
    title = gettext_noop("务工规模年度目标")
    capability = Capability.IMPORT_MONITORING
    description = gettext_noop("每个区域每年一行：区域代码（50为全市）、年度、务工规模目标人数。")
    columns = (
        Column("area_code", "区域代码", ("area_code", "区域", "area"), required=True, parse=p.area(),
               help="50（全市）、一区两群名称、区县或乡镇代码", example="50"),
        Column("area_name", "区域名称", ("area_name",), help="仅供核对，不导入", example="重庆市"),
        Column("year", "年度", ("year",), required=True, parse=p.year(low=2000, years_ahead=1), example="2024"),
        Column("employment_target", "务工规模目标", ("employment_target", "target", "目标人数"),
               required=True, parse=p.integer(low=1, high=MAX_TARGET), help="人数", example="745000"),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        area = _actor_area(actor)
        seen: dict[tuple[str, int], ParsedRow] = {}
        for row in rows:
            code = row.values["area_code"]
            if area != CITY_CODE and not area_contains(area, code):
                errors.append(RowError(row.number, "区域代码", ERR_AREA_OUTSIDE.format(value=code)))
                continue
            key = (code, row.values["year"])
            if key in seen:
                errors.append(RowError(row.number, "年度", ERR_DUPLICATE_TARGET.format(row=seen[key].number)))
                continue
            seen[key] = row
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        records = [{k: r.values[k] for k in ("area_code", "year", "employment_target")} for r in rows]
        counts = services.targets_write(rows=records, actor=actor, audit=False)
        result.created, result.updated, result.unchanged = counts.created, counts.updated, counts.unchanged
        _enqueue_fill()

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        for r in rows:
            current = Target.objects.filter(area_code=r.values["area_code"], year=r.values["year"]).first()
            if current is None:
                result.created += 1
            elif current.employment_target != r.values["employment_target"]:
                result.updated += 1
            else:
                result.unchanged += 1


def _enqueue_fill() -> None:
    """Recompute the months the import made stale once it has committed (a background task)."""
    from bangfu.monitoring.tasks import kpi_fill_after_commit

    kpi_fill_after_commit()


IMPORTERS = {
    "employment": EmploymentImporter(),
    "income": IncomeImporter(),
    "targets": TargetImporter(),
}
