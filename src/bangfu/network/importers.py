"""``bangfu import gig_markets FILE`` (the published directory, 零工市场名录) and ``bangfu import
workshop_ratings FILE`` (the yearly rating, 帮扶车间年度评定): under the core import framework,
Chinese headers with English aliases, errors by row and column, all-or-nothing by default, and a
re-import of the same file changes nothing. Each row goes through the network's services."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.scoping import area_contains
from bangfu.network import choices as c
from bangfu.network.importers_rosters import workshop_errors
from bangfu.network.models import GigMarket, WorkshopRatingRecord
from bangfu.network.selectors import workshops_by_code
from bangfu.network.services import market_save, workshop_rating_record

ERR_OUTSIDE = gettext_noop("{value} 不在您的管辖范围内")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")
ERR_NOT_RATABLE = gettext_noop("该帮扶车间当前状态为“{status}”，不能评定")
ERR_OPERATOR = gettext_noop("购买服务运营的须填写运营机构和服务合同期")


class MarketImporter(Importer):
    kind = "gig_markets"
    title = gettext_noop("零工市场名录")
    capability = Capability.MANAGE_JOBS
    description = gettext_noop("每个零工市场（驿站）一行；按编号新增或更新。")
    columns = (
        Column("code", "编号", ("code",), required=True, parse=parsers.text(max_length=40), example="LGSC500230001"),
        Column("name", "名称", ("name",), required=True, parse=parsers.text(max_length=200), example="丰都县零工市场"),
        Column("kind", "类型", ("kind",), required=True, parse=parsers.choice(c.MarketKind), example="零工市场"),
        Column("scope", "服务范围", ("scope",), parse=parsers.choice(c.MarketScope, default="general"),
               example="综合性"),
        Column("operation", "运营方式", ("operation",), required=True, parse=parsers.choice(c.MarketOperation),
               example="人社部门自办"),
        Column("operator_name", "运营机构", ("operator",), parse=parsers.text(max_length=200), example=""),
        Column("contract_start", "服务合同起", ("contract_start",), parse=parsers.date(), example=""),
        Column("contract_end", "服务合同止", ("contract_end",), parse=parsers.date(), example=""),
        Column("district_code", "所在区县", ("district", "district_code"), required=True, parse=parsers.district(),
               example="丰都县"),
        Column("address", "地址", ("address",), parse=parsers.text(max_length=200), example="三合街道"),
        Column("listed", "列入名录", ("listed",), parse=parsers.boolean(default=True), example="是"),
    )

    def check(self, rows, *, actor: Actor):
        errors, seen = [], {}
        for row in rows:
            v = row.values
            if not area_contains(actor.area_code, v["district_code"]):
                errors.append(RowError(row.number, "所在区县", ERR_OUTSIDE.format(value=v["district_code"])))
            if v["operation"] == "purchased" and not (v["operator_name"] and v["contract_start"] and v["contract_end"]):
                errors.append(RowError(row.number, "运营机构", ERR_OPERATOR))
            if v["code"] in seen:
                errors.append(RowError(row.number, "编号", ERR_DUPLICATE.format(row=seen[v["code"]])))
            seen.setdefault(v["code"], row.number)
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        before = {m.code: m.updated_at for m in GigMarket.objects.filter(code__in=[r.values["code"] for r in rows])}
        for row in rows:
            v = dict(row.values)
            code = v.pop("code")
            market, created = market_save(actor=actor, code=code, **v)
            if created:
                result.created += 1
            elif market.updated_at != before.get(code):
                result.updated += 1
            else:
                result.unchanged += 1


class WorkshopRatingImporter(Importer):
    kind = "workshop_ratings"
    title = gettext_noop("帮扶车间年度评定")
    capability = Capability.MANAGE_JOBS
    description = gettext_noop("每个帮扶车间每年一行：认定编号、年度、评定等次、稳定运行复核是否通过。")
    columns = (
        Column("code", "认定编号", ("code", "workshop_code"), required=True, parse=parsers.text(max_length=40),
               example="BFCJ500230101001"),
        Column("year", "年度", ("year",), required=True, parse=parsers.year(), example="2024"),
        Column("rating", "评定等次", ("rating",), required=True, parse=parsers.choice(c.WorkshopRating),
               example="优秀"),
        Column("review_passed", "稳定运行复核通过", ("review_passed",), parse=parsers.boolean(), example="是"),
    )

    def check(self, rows, *, actor: Actor):
        errors, seen = [], {}
        shops, ambiguous = workshops_by_code(user=actor, codes=[r.values["code"] for r in rows])
        for row in rows:
            v = row.values
            shop = shops.get(v["code"])
            unknown = workshop_errors(row, shops, ambiguous)
            errors.extend(unknown)
            if not unknown and shop.status not in (c.WorkshopStatus.RECOGNISED, c.WorkshopStatus.RUNNING):
                errors.append(RowError(row.number, "认定编号", ERR_NOT_RATABLE.format(status=shop.get_status_display())))
            key = (v["code"], v["year"])
            if key in seen:
                errors.append(RowError(row.number, "认定编号", ERR_DUPLICATE.format(row=seen[key])))
            seen.setdefault(key, row.number)
            row.meta["workshop"] = shop
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        # each row's workshop as the checks found it, within the actor's area (a code is unique per district)
        known = {(r.workshop_id, r.year): (r.rating, r.review_passed) for r in WorkshopRatingRecord.objects.filter(
            workshop__in={row.meta["workshop"].pk for row in rows})}
        for row in rows:
            v = row.values
            shop = row.meta["workshop"]
            old = known.get((shop.pk, v["year"]))
            if old == (v["rating"], v["review_passed"]):
                result.unchanged += 1
                continue
            workshop_rating_record(actor=actor, workshop=shop, year=v["year"], rating=v["rating"],
                                   review_passed=v["review_passed"])
            if old is None:
                result.created += 1
            else:
                result.updated += 1


IMPORTERS = {"gig_markets": MarketImporter(), "workshop_ratings": WorkshopRatingImporter()}

# The rosters (车间吸纳花名册, 帮扶人员花名册, 帮扶服务记录) live in their own module.
from bangfu.network.importers_rosters import IMPORTERS as _ROSTERS  # noqa: E402

IMPORTERS.update(_ROSTERS)
