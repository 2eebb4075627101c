"""Home page, 操作日志 (audit log) and 登录日志 (login log)."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import BooleanField, Value
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from bangfu.core import panels
from bangfu.core.actors import Actor, actor_label, require
from bangfu.core.audit import audit_record
from bangfu.core.audit_labels import action_label, action_labels, detail_pairs, detail_text, field_labels
from bangfu.core.capabilities import Capability
from bangfu.core.context import navigation
from bangfu.core.exports import workbook_bytes, xlsx_response
from bangfu.core.models import AuditLog, Notice
from bangfu.core.pagination import page_of, query_without_page
from bangfu.core.scoping import CITY_CODE

ERR_EXPORT_TOO_LARGE = gettext_noop("导出条数超过上限 {limit}，请缩小筛选范围")

# One line on each module tile of the home page, by URL name.
MODULE_DESCRIPTIONS = {
    "registry:person_list": gettext_lazy("脱贫户和人员信息，按区域筛选、导出"),
    "imports:index": gettext_lazy("按模板导入花名册，逐行校验并给出错误报告"),
    "monitoring:dashboard": gettext_lazy("逐月务工规模、目标完成和同比"),
    "policies:index": gettext_lazy("按政策条件自动认定、审核、发放补贴"),
    "payments:batches": gettext_lazy("支付批次、银行回盘、退汇与对账（各类补贴和待遇）"),
    "jobs:index": gettext_lazy("岗位匹配与推送，记录推荐和入职"),
    "arrears:index": gettext_lazy("欠薪线索受理、调解和结案时限"),
    "core:audit_log": gettext_lazy("谁在何时查看或修改了什么"),
    "core:login_log": gettext_lazy("登录成功和失败记录"),
    "accounts:user_list": gettext_lazy("用户、角色和数据范围"),
    "core:dictionaries": gettext_lazy("代码表及其中文名称"),
    "core:parameters": gettext_lazy("金额、上限和期限等参数"),
}

def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@login_required
def home(request):
    notices = Notice.objects.showing(area_code=request.user.area_code, now=timezone.now())[:5]
    descriptions = {url: desc for name, desc in MODULE_DESCRIPTIONS.items()
                    if (url := _url_or_empty(name))}
    tiles = [
        {"url": item["url"], "label": item["label"], "desc": descriptions.get(item["url"], "")}
        for menu in (navigation(request),) for item in [*menu["nav_items"], *menu["nav_system"]]
        if item["url"] != reverse("home")
    ]
    stats = panels.collect("home_stats", request=request)
    return render(request, "core/home.html", {"notices": notices, "tiles": tiles, "stats": stats})


# ---------------------------------------------------------------- logs: shared filter form


class LogFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("开始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("结束日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=gettext_lazy("账号"), required=False, max_length=150)

    def values(self) -> dict:
        """The valid filters (a bad date is reported on the form and otherwise ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


class AuditFilterForm(LogFilterForm):
    action = forms.CharField(label=gettext_lazy("操作"), required=False, max_length=80)
    object_id = forms.CharField(label=gettext_lazy("对象编号"), required=False, max_length=64)


class LoginFilterForm(LogFilterForm):
    result = forms.ChoiceField(label=gettext_lazy("结果"), required=False, choices=[
        ("", gettext_lazy("全部")), ("success", gettext_lazy("成功")), ("failure", gettext_lazy("失败"))])


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _date_range(qs, field: str, values: dict):
    if values.get("date_from"):
        qs = qs.filter(**{f"{field}__gte": _day_start(values["date_from"])})
    if values.get("date_to"):
        qs = qs.filter(**{f"{field}__lt": _day_start(values["date_to"] + dt.timedelta(days=1))})
    return qs


def _export_limit() -> int:
    return int(settings.BANGFU.get("EXPORT_MAX_ROWS", 100_000))


def _require_audit_view(request) -> None:
    require(request.user, Capability.VIEW_AUDIT)


# ---------------------------------------------------------------- 操作日志


def audit_log_list(*, user, values: dict):
    """Audit rows of the user's area matching the filters (a selector kept with its page)."""
    logs = AuditLog.objects.restrict(user).select_related("actor")
    if values.get("action"):
        logs = logs.filter(action__startswith=values["action"])
    if values.get("actor"):
        logs = logs.filter(actor_name=values["actor"])
    if values.get("object_id"):
        logs = logs.filter(object_id=values["object_id"])
    return _date_range(logs, "at", values)


@login_required
@require_GET
def audit_log(request):
    _require_audit_view(request)
    form = AuditFilterForm(request.GET or None)
    logs = audit_log_list(user=request.user, values=form.values())
    page = page_of(request, logs, per_page=50)
    actions, fields = action_labels(), field_labels()
    for log in page.object_list:
        log.action_label = action_label(log.action, actions)
        log.actor_label = actor_label(log.actor_name)
        log.detail_pairs = detail_pairs(log.detail, fields)
    return render(request, "core/audit_log.html", {
        "form": form, "page": page, "query": query_without_page(request),
    })


def _json_safe(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def audit_log_export(*, actor: Actor, values: dict, ip_address: str | None = None) -> bytes:
    """The filtered audit log as xlsx; the export itself is an audit row."""
    logs = audit_log_list(user=actor, values=values)
    total = logs.count()
    if total > _export_limit():
        raise ValueError(_(ERR_EXPORT_TOO_LARGE).format(limit=f"{_export_limit():,}"))
    headers = [_("时间"), _("操作人"), _("操作"), _("操作代码"), _("对象类型"), _("对象编号"),
               _("所属区域"), _("IP 地址"), _("详情")]
    actions, fields = action_labels(), field_labels()
    rows = (
        [timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"), actor_label(log.actor_name),
         action_label(log.action, actions), log.action, log.object_type, log.object_id, log.area_code,
         log.ip_address or "", detail_text(log.detail, fields)]
        for log in logs.iterator(chunk_size=2000)
    )
    content = workbook_bytes(title=_("操作日志"), headers=headers, rows=rows,
                             widths=[20, 14, 18, 22, 18, 12, 12, 16, 60])
    with transaction.atomic():
        audit_record(actor=actor, action="audit.export", area_code=actor.area_code,
                     detail={"rows": total, "filters": _json_safe(values)}, ip_address=ip_address)
    return content


@login_required
@require_GET
def audit_log_xlsx(request):
    _require_audit_view(request)
    form = AuditFilterForm(request.GET or None)
    try:
        content = audit_log_export(actor=request.user, values=form.values(),
                                   ip_address=request.META.get("REMOTE_ADDR"))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("core:audit_log") + "?" + query_without_page(request))
    return xlsx_response(content, filename_stem=_("操作日志"))


# ---------------------------------------------------------------- 登录日志 (django-axes)


def login_log_list(*, user, values: dict):
    """Successful (AccessLog) and failed (AccessFailureLog) logins, newest first.

    Below city level an auditor sees the attempts on the accounts of their own area only.
    """
    fields = ["attempt_time", "username", "ip_address", "user_agent"]
    ok = AccessLog.objects.all()
    bad = AccessFailureLog.objects.all()
    if user.area_code != CITY_CODE:
        names = get_user_model().objects.filter(area_code__startswith=user.area_code).values("username")
        ok, bad = ok.filter(username__in=names), bad.filter(username__in=names)
    if values.get("actor"):
        ok, bad = ok.filter(username=values["actor"]), bad.filter(username=values["actor"])
    ok, bad = _date_range(ok, "attempt_time", values), _date_range(bad, "attempt_time", values)
    ok = ok.values(*fields).annotate(success=Value(True, output_field=BooleanField()))
    bad = bad.values(*fields).annotate(success=Value(False, output_field=BooleanField()))
    result = values.get("result")
    if result == "success":
        return ok.order_by("-attempt_time")
    if result == "failure":
        return bad.order_by("-attempt_time")
    return ok.union(bad, all=True).order_by("-attempt_time")


@login_required
@require_GET
def login_log(request):
    _require_audit_view(request)
    form = LoginFilterForm(request.GET or None)
    page = page_of(request, login_log_list(user=request.user, values=form.values()), per_page=50)
    return render(request, "core/login_log.html", {
        "form": form, "page": page, "query": query_without_page(request),
    })


def login_log_export(*, actor: Actor, values
: dict, ip_address: str | None = None) -> bytes:
    rows_qs = login_log_list(user=actor, values=values)
    total = rows_qs.count()
    if total > _export_limit():
        raise ValueError(_(ERR_EXPORT_TOO_LARGE).format(limit=f"{_export_limit():,}"))
    ok, bad = _("成功"), _("失败")
    rows = (
        [timezone.localtime(r["attempt_time"]).strftime("%Y-%m-%d %H:%M:%S"), r["username"] or "",
         ok if r["success"] else bad, r["ip_address"] or "", r["user_agent"]]
        for r in rows_qs
    )
    content = workbook_bytes(title=_("登录日志"),
                             headers=[_("时间"), _("账号"), _("结果"), _("IP 地址"), _("浏览器")],
                             rows=rows, widths=[20, 16, 8, 16, 80])
    with transaction.atomic():
        audit_record(actor=actor, action="login_log.export", area_code=actor.area_code,
                     detail={"rows": total, "filters": _json_safe(values)}, ip_address=ip_address)
    return content


@login_required
@require_GET
def login_log_xlsx(request):
    _require_audit_view(request)
    form = LoginFilterForm(request.GET or None)
    try:
        content = login_log_export(actor=request.user, values=form.values(),
                                   ip_address=request.META.get("REMOTE_ADDR"))
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect(reverse("core:login_log") + "?" + query_without_page(request))
    return xlsx_response(content, filename_stem=_("登录日志"))
