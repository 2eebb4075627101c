"""Excel out: the coverage gap list (应保未保名单), the premium-on-behalf list (代缴名单, from the
policy's entitlements), the platforms' declarations and the employers' UI contributions.
ID numbers are masked; each export is audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.core.audit import audit_record
from bangfu.core.exports import workbook_bytes
from bangfu.core.money import fen_to_yuan
from bangfu.insurance import selectors


def coverage_gaps(*, user, year: int | None, rule: str = "") -> bytes:
    headers = [_("姓名"), _("证件号码"), _("区县代码"), _("乡镇代码"), _("村"), _("年度"), _("应参保依据"),
               _("发现日期"), _("跟进次数")]
    rows = [[g.person.name, g.person.id_number_masked, g.district_code, g.township_code, g.person.village,
             g.year, g.get_rule_display(), g.since, g.follow_up_count]
            for g in selectors.coverage_gap_list(user=user, year=year, rule=rule)]
    audit_record(actor=user, action="insurance.coverage_export", area_code=user.area_code,
                 detail={"year": year, "rule": rule, "rows": len(rows)})
    return workbook_bytes(title=_("应保未保人员名单"), headers=headers, rows=rows)


def on_behalf(*, user, year: int | None) -> bytes:
    headers = [_("姓名"), _("证件号码"), _("区县代码"), _("乡镇代码"), _("年度"), _("代缴金额（元）"), _("状态")]
    rows = [[e.person.name, e.person.id_number_masked, e.district_code, e.township_code, e.period,
             fen_to_yuan(e.amount_fen), e.get_status_display()]
            for e in selectors.on_behalf_list(user=user, year=year)]
    audit_record(actor=user, action="insurance.on_behalf_export", area_code=user.area_code,
                 detail={"year": year, "rows": len(rows)})
    return workbook_bytes(title=_("代缴城乡居民养老保险费名单"), headers=headers, rows=rows)
