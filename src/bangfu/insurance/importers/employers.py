"""Imports by employer (USCC): the platforms' monthly order declarations (平台订单申报) and the
employers' unemployment-insurance contributions (单位失业保险缴费明细). Each row goes through
its service (the premium and the reduction are computed there, never read from the file)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import ERR_OUTSIDE, Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.scoping import area_contains
from bangfu.employers.models import Employer
from bangfu.insurance import choices as c
from bangfu.insurance.models import Platform
from bangfu.insurance.services import employer_area, order_declaration_submit, ui_contribution_record

ERR_NOT_PLATFORM = gettext_noop("该统一社会信用代码的企业未纳入职业伤害保障试点平台")
ERR_ENTERPRISE_UNKNOWN = gettext_noop("该统一社会信用代码的企业尚未登记，请先导入企业信息")
ERR_DUPLICATE = gettext_noop("与第{row}行是同一单位同一月")
ERR_RATE = gettext_noop("费率应在0至3（%）之间")
_USCC = Column("uscc", "统一社会信用代码", ("uscc", "单位信用代码"), required=True, parse=parsers.uscc(),
               example="91500230MA5U8XXXXX")
_COUNT = parsers.integer(low=0)


def _rate_bp(text: str) -> int | None:
    """``1`` or ``1%`` or ``0.5`` (percent) to basis points; blank: the reduced rate."""
    if not text:
        return None
    try:
        bp = round(float(text.strip().rstrip("%％")) * 100)
    except ValueError:
        bp = -1
    if not 0 <= bp <= 300:
        raise CellError(_(ERR_RATE))
    return bp


def _check(rows, lookup: dict, missing: str, *, actor: Actor, employer_of) -> list[RowError]:
    """Each row's employer (or platform) found, inside the actor's area as the service will
    require, and once per month; the row's target in ``row.meta``."""
    errors, seen = [], {}
    for row in rows:
        target = lookup.get(row.values["uscc"])
        if target is None:
            errors.append(RowError(row.number, "统一社会信用代码", _(missing)))
            continue
        if not area_contains(actor.area_code, employer_area(employer_of(target))):
            errors.append(RowError(row.number, "统一社会信用代码", str(ERR_OUTSIDE)))
            continue
        key = (target.pk, row.values["month"])
        if key in seen:
            errors.append(RowError(row.number, "统一社会信用代码", _(ERR_DUPLICATE).format(row=seen[key])))
            continue
        seen[key] = row.number
        row.meta["target"] = target
    return errors


def _count(result: ImportResult, outcome: str) -> None:
    setattr(result, outcome, getattr(result, outcome) + 1)


class OrderDeclarationImporter(Importer):
    kind = "platform_orders"
    title = gettext_noop("平台订单申报")
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("平台企业每月申报订单量和有订单的从业人员数；职业伤害保障费按行业每单费率计算"
                               "（出行0.01元、即时配送0.07元、同城货运0.18元）。同一平台同一月份再次导入即为更正。")
    columns = (
        _USCC,
        Column("month", "申报月份", ("month", "所属期"), required=True, parse=parsers.month(not_future=True, earliest_year=2022),
               example="2024-09"),
        Column("orders", "订单量", ("orders", "订单数"), required=True, parse=_COUNT, example="1200000"),
        Column("insured_workers", "有订单从业人员数", ("workers", "从业人员数"), required=True, parse=_COUNT,
               help="当月至少完成一单的从业人员，即当月职业伤害保障的参保人数", example="5600"),
    )

    def check(self, rows, *, actor: Actor):
        platforms = {p.employer.uscc: p for p in Platform.objects.select_related("employer").filter(
            employer__uscc__in={r.values["uscc"] for r in rows})}
        return _check(rows, platforms, ERR_NOT_PLATFORM, actor=actor, employer_of=lambda p: p.employer)

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        for row in rows:
            v = row.values
            _, outcome = order_declaration_submit(actor=actor, platform=row.meta["target"], month=v["month"],
                                                  orders=v["orders"], insured_workers=v["insured_workers"])
            _count(result, outcome)


class UiContributionImporter(Importer):
    kind = "ui_contributions"
    title = gettext_noop("单位失业保险缴费明细")
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("每个单位每月一行：参保人数、缴费基数、费率和当月裁员并领取失业保险金的人数；"
                               "实缴金额和减征额（缴费基数×费率差）由系统计算。")
    columns = (
        _USCC,
        Column("month", "费款所属期", ("month", "所属期"), required=True, parse=parsers.month(not_future=True, earliest_year=2015),
               example="2024-09"),
        Column("scale", "企业规模", ("scale",), required=True, parse=parsers.choice(c.EnterpriseScale, aliases={
            "大型": "large", "中小微": "sme", "中型": "sme", "小型": "sme", "微型": "sme"}),
            example="中小微企业", choices=tuple(str(label) for _, label in c.EnterpriseScale.choices)),
        Column("insured_count", "参保人数", ("insured",), required=True, parse=_COUNT, example="25"),
        Column("base_fen", "缴费基数（元）", ("base", "缴费基数"), required=True, parse=parsers.yuan_to_fen(),
               help="当月单位参保职工缴费工资之和，元", example="125000"),
        Column("rate_bp", "费率（%）", ("rate", "费率"), parse=_rate_bp, help="留空按现行降低后的费率（1%）", example="1"),
        Column("leavers_claiming", "裁员并领取失业保险金人数", ("leavers",), parse=_COUNT, example="0"),
    )

    def check(self, rows, *, actor: Actor):
        firms = {e.uscc: e for e in Employer.objects.filter(uscc__in={r.values["uscc"] for r in rows})}
        return _check(rows, firms, ERR_ENTERPRISE_UNKNOWN, actor=actor, employer_of=lambda e: e)

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        for row in rows:
            v = row.values
            _, outcome = ui_contribution_record(
                actor=actor, employer=row.meta["target"], month=v["month"], scale=v["scale"],
                insured_count=v["insured_count"], base_fen=v["base_fen"] or 0,
                leavers_claiming=v["leavers_claiming"] or 0, rate_bp=v["rate_bp"])
            _count(result, outcome)
