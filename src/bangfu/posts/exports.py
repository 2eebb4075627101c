"""Excel out: the month's 考勤表 (the roster with one column per day, ready to fill and upload),
the 公益性岗位人员花名册 and the 补贴发放表. ID numbers are masked; each export is audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.core.audit import audit_record
from bangfu.core.exports import workbook_bytes
from bangfu.core.money import fen_to_yuan
from bangfu.posts import selectors
from bangfu.posts.importers import AttendanceImporter
from bangfu.posts.sheets import PostRequestImporter, RosterImporter
from bangfu.posts.services.attendance import days_in


def attendance_sheet(*, user, month: str) -> bytes:
    """The month's 考勤表: one row per person in a post that month, identified by 安置编号."""
    headers = [col.header for col in AttendanceImporter.columns]
    existing = {a.placement_id: a for a in selectors.month_attendance(user=user, month=month)}
    length = days_in(month)
    rows = []
    for p in selectors.month_roster(user=user, month=month):
        record = existing.get(p.pk)
        marks = (record.marks if record else "").ljust(31)
        days = [marks[d] if d < length and marks[d] != " " else "" for d in range(31)]
        rows.append([month, p.pk, p.person.id_number_masked, p.person.name, *days,
                     record.get_rating_display() if record and record.rating else ""])
    audit_record(actor=user, action="welfare_post.attendance_sheet_export", area_code=user.area_code,
                 detail={"month": month, "rows": len(rows)})
    return workbook_bytes(title=_("考勤表"), headers=headers, rows=rows)


def roster(*, user, month: str) -> bytes:
    """The month's 公益性岗位人员花名册, in the columns of its import (``post_roster``)."""
    headers = [col.header for col in RosterImporter.columns]
    rows = [[p.pk, p.post_id, p.person.name, p.person.id_number_masked, p.contract_start, p.planned_end,
             p.township_code, p.post.unit_name, p.post.name, p.post.get_post_type_display(),
             p.post.get_work_time_display(), p.post.get_funding_source_display(), p.get_status_display()]
            for p in selectors.month_roster(user=user, month=month)]
    audit_record(actor=user, action="welfare_post.roster_export", area_code=user.area_code,
                 detail={"month": month, "rows": len(rows)})
    return workbook_bytes(title=_("公益性岗位人员花名册"), headers=headers, rows=rows)


def post_requests(*, user, status: str = "", q: str = "") -> bytes:
    """The 岗位申报表 of the posts the user sees, in the columns of its import (``post_requests``)."""
    headers = [col.header for col in PostRequestImporter.columns]
    rows = [[p.pk, p.name, p.get_post_type_display(), p.get_work_time_display(), p.hours_per_month or "",
             p.headcount, p.township_code, p.village, p.employer.uscc if p.employer_id else "",
             p.get_funding_source_display(), p.funding_year, p.duties, p.get_status_display()]
            for p in selectors.post_list(user=user, status=status, q=q).select_related("employer")]
    audit_record(actor=user, action="welfare_post.requests_export", area_code=user.area_code,
                 detail={"status": status, "q": q, "rows": len(rows)})
    return workbook_bytes(title=_("公益性岗位申报表"), headers=headers, rows=rows)


def pay_sheet(*, user, month: str) -> bytes:
    headers = [_("姓名"), _("证件号码"), _("乡镇代码"), _("岗位名称"), _("年月"), _("出勤天数"), _("金额（元）"), _("状态")]
    rows = [[p.person.name, p.person.id_number_masked, p.township_code, p.placement.post.name, p.month,
             p.basis.get("days_present", ""), fen_to_yuan(p.amount_fen), p.get_status_display()]
            for p in selectors.month_pay(user=user, month=month)]
    audit_record(actor=user, action="welfare_post.pay_sheet_export", area_code=user.area_code,
                 detail={"month": month, "rows": len(rows)})
    return workbook_bytes(title=_("补贴发放表"), headers=headers, rows=rows)
