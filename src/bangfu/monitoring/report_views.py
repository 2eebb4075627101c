"""The monthly report on the monitoring pages: a district's status, "报送本月数据", the city's re-open."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.capabilities import Capability
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.monitoring import completeness, selectors
from bangfu.monitoring.briefing import month_label
from bangfu.monitoring.models import MonthReport
from bangfu.monitoring.services import MonthReportError, month_close, month_reopen

CAPABILITY = Capability.IMPORT_MONITORING


def report_panel(request, data) -> dict | None:
    """The report of the district shown (a township's is its district's); None above district level."""
    if data.month is None or data.level not in ("district", "township"):
        return None
    # ``data.area`` was checked against the user; a township's officer sees whether their
    # district reported (no figure of the district's).
    user, district, month = request.user, data.area[:6], data.month
    status = completeness.month_status(month=month, code=district)
    report = MonthReport.objects.filter(district_code=district, month=month).first()
    may_report = user.has_capability(CAPABILITY)
    to_report = completeness.months_to_report(district=district, months=data.months)
    return {
        "district": district, "district_name": area_name(district), "month": month,
        "month_label": month_label(month), "closed": district in status.reported, "report": report,
        "deadline_label": status.deadline_label, "deadline_passed": status.deadline_passed,
        "can_close": may_report and user.area_code in (CITY_CODE, district),
        "can_reopen": may_report and user.area_code == CITY_CODE,
        "to_report": [{"month": m, "label": month_label(m)} for m in to_report if m != month],
    }


def _back(request, district: str, month: str):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = f"{reverse('monitoring:dashboard')}?{urlencode({'month': month, 'area': district})}"
    return redirect(target)


@login_required
@require_POST
def close_view(request):
    district, month = request.POST.get("district", ""), request.POST.get("month", "")
    selectors.area_check(user=request.user, code=district)
    try:
        month_close(actor=request.user, district=district, month=month)
    except (MonthReportError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已报送{district}{month}数据").format(
            district=area_name(district), month=month_label(month)))
    return _back(request, district, month)


@login_required
@require_POST
def reopen_view(request):
    district, month = request.POST.get("district", ""), request.POST.get("month", "")
    selectors.area_check(user=request.user, code=district)
    try:
        month_reopen(actor=request.user, district=district, month=month, reason=request.POST.get("reason", ""))
    except (MonthReportError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已退回{district}{month}数据，待区县重新报送").format(
            district=area_name(district), month=month_label(month)))
    return _back(request, district, month)
