"""The network's registers: the market directory (名录), workshops and their roster (车间吸纳花名册),
helpers, service records, and the zero-employment households short of job offers; each list
downloads as Excel (PII masked)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from bangfu.core.exports import workbook_bytes, xlsx_response
from bangfu.core.months import is_month
from bangfu.core.pagination import page_of
from bangfu.core.pii import mask_id_number
from bangfu.network import choices as c
from bangfu.network import selectors
from bangfu.network.caseload import current_month
from bangfu.network.params import param
from bangfu.network.permissions import CAPABILITY_MANAGE
from bangfu.network.services import helper_of

EXPORT_LIMIT = 200_000


def _wants_excel(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _excel(title: str, stem: str, headers: list[str], rows):
    return xlsx_response(workbook_bytes(title=title, headers=headers, rows=rows), filename_stem=stem)


def _month(request) -> str:
    month = request.GET.get("month", "")
    return month if is_month(month) else current_month()


@login_required
def index(request):
    user = request.user
    return render(request, "network/index.html", {
        "markets": selectors.market_list(user=user, listed_only=True).count(),
        "workshops": selectors.workshop_list(user=user, status=c.WorkshopStatus.RUNNING).count(),
        "helpers": selectors.registered_helpers(user=user).count(),
        "services": selectors.service_list(user=user, month=current_month()).count(),
        "is_helper": helper_of(user) is not None,
    })


@login_required
def markets(request):
    qs = selectors.market_list(user=request.user, listed_only=request.GET.get("listed") == "1")
    if _wants_excel(request):
        headers = [_("编号"), _("名称"), _("类型"), _("服务范围"), _("运营方式"), _("运营机构"), _("区县代码"),
                   _("乡镇代码"), _("地址"), _("列入名录")]
        rows = ([m.code, m.name, m.get_kind_display(), m.get_scope_display(), m.get_operation_display(),
                 m.operator_name, m.district_code, m.township_code, m.address, _("是") if m.listed else _("否")]
                for m in qs[:EXPORT_LIMIT].iterator())
        return _excel(_("零工市场名录"), "gig_markets", headers, rows)
    return render(request, "network/markets.html", {"page": page_of(request, qs)})


@login_required
def workshops(request):
    status = request.GET.get("status", "")
    qs = selectors.workshop_list(user=request.user, status=status if status in c.WorkshopStatus.values else None)
    return render(request, "network/workshops.html", {
        "page": page_of(request, qs), "status": status, "statuses": c.WorkshopStatus.choices,
        "can_apply": request.user.has_capability(CAPABILITY_MANAGE)})


@login_required
def roster(request):
    """车间吸纳花名册: every member spell of the area's workshops."""
    qs = selectors.workshop_roster(user=request.user).order_by("workshop__code", "start_month", "id")
    if _wants_excel(request):
        headers = [_("认定编号"), _("车间名称"), _("姓名"), _("证件号码"), _("人口类型"), _("起始年月"), _("结束年月")]
        rows = ([m.workshop.code, m.workshop.name, m.person.name, mask_id_number(m.person.id_number),
                 m.person.get_category_display(), m.start_month, m.end_month]
                for m in qs[:EXPORT_LIMIT].iterator(chunk_size=2000))
        return _excel(_("车间吸纳花名册"), "workshop_roster", headers, rows)
    return render(request, "network/roster.html", {"page": page_of(request, qs)})


@login_required
def helpers(request):
    qs = selectors.helper_list(user=request.user)
    if _wants_excel(request):
        headers = [_("姓名"), _("类别"), _("备案状态"), _("区县代码"), _("服务区域"), _("备案日期"), _("包联人数")]
        rows = ([h.name, h.get_role_display(), h.get_status_display(), h.district_code, h.covered_area_code,
                 h.registered_on, h.caseload_size] for h in qs[:EXPORT_LIMIT])
        return _excel(_("帮扶人员花名册"), "helpers", headers, rows)
    return render(request, "network/helpers.html", {"page": page_of(request, qs)})


@login_required
def services(request):
    month = _month(request)
    qs = selectors.service_list(user=request.user, month=month)
    if _wants_excel(request):
        headers = [_("服务日期"), _("服务对象"), _("证件号码"), _("服务类型"), _("帮扶人员"), _("备注")]
        rows = ([s.served_on, s.person.name, mask_id_number(s.person.id_number), s.get_kind_display(),
                 s.helper.name if s.helper else "", s.note] for s in qs[:EXPORT_LIMIT].iterator(chunk_size=2000))
        return _excel(_("帮扶服务记录"), "network_services", headers, rows)
    return render(request, "network/services.html", {"page": page_of(request, qs), "month": month})


@login_required
def zero_households(request):
    month = _month(request)
    minimum = int(param("NETWORK_ZERO_HOUSEHOLD_MIN_OFFERS"))
    qs = selectors.zero_employment_households(user=request.user, month=month, below_offers=minimum)
    return render(request, "network/zero_households.html", {"page": page_of(request, qs), "month": month,
                                                            "minimum": minimum})
