"""Pages of 公益性岗位: posts, a post with its placements and ranking, a person's eligibility,
the month's attendance (考勤表 out and in, approval, exits proposed) and the month's pay."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.exports import xlsx_response
from bangfu.core.imports import FileError, run_import
from bangfu.core.months import is_month, month_of, shift_month
from bangfu.core.pagination import page_of
from bangfu.posts import choices as c
from bangfu.posts import exports, selectors, services
from bangfu.posts.importers import IMPORTERS
from bangfu.posts.permissions import can_approve, posts_page
from bangfu.registry.models import Person


def _month(request) -> str:
    month = request.GET.get("month") or request.POST.get("month") or ""
    return month if is_month(month) else shift_month(month_of(timezone.localdate()), -1)


def _refused(request, exc: Exception) -> None:
    messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@posts_page
def index(request):
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")[:60]
    return render(request, "posts/index.html", {
        "page": page_of(request, selectors.post_list(user=request.user, status=status, q=q)),
        "statuses": c.PostStatus.choices, "status": status, "q": q, "month": _month(request)})


@posts_page
def detail(request, pk: int):
    post = selectors.post_get(user=request.user, pk=pk)
    ranking = []
    if post.status == c.PostStatus.APPROVED:
        ranking = [r for r in services.post_ranking(post, on=timezone.localdate()) if r.rank][:20]
    return render(request, "posts/detail.html", {
        "post": post, "placements": selectors.post_placements(user=request.user, post=post), "ranking": ranking,
        "can_approve": can_approve(request.user), "exit_reasons": c.ExitReason.choices})


@posts_page
@require_POST
def decide(request, pk: int):
    """乡镇审核 or 县级批准, whichever step the post is at."""
    post = selectors.post_get(user=request.user, pk=pk)
    approve = request.POST.get("approve") == "1"
    note = request.POST.get("note", "")
    try:
        if post.status == c.PostStatus.REQUESTED:
            services.post_review(actor=request.user, post=post, approve=approve, note=note)
        else:
            services.post_approve(actor=request.user, post=post, approve=approve, note=note)
        messages.success(request, _("已保存审核意见"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("posts:detail", pk=post.pk)


@posts_page
@require_POST
def place(request, pk: int):
    post = selectors.post_get(user=request.user, pk=pk)
    person = get_object_or_404(Person.objects.restrict(request.user), pk=request.POST.get("person") or 0)
    try:
        services.placement_create(actor=request.user, post=post, person=person,
                                  override_reason=request.POST.get("override_reason", ""))
        messages.success(request, _("已确定人选，开始公示"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("posts:detail", pk=post.pk)


@posts_page
def eligibility(request, person_id: int):
    result = selectors.person_eligibility(user=request.user, person_id=person_id, on=timezone.localdate())
    return render(request, "posts/eligibility.html", {
        "result": result, "live": selectors.live_placement(user=request.user, person_id=person_id)})


@posts_page
def attendance(request):
    month = _month(request)
    records = {a.placement_id: a for a in selectors.month_attendance(user=request.user, month=month)}
    roster = [(p, records.get(p.pk)) for p in selectors.month_roster(user=request.user, month=month)]
    return render(request, "posts/attendance.html", {
        "month": month, "roster": roster, "can_approve": can_approve(request.user),
        "proposals": selectors.exit_proposals(user=request.user, month=month) if can_approve(request.user) else [],
        "import_result": request.session.pop("posts_import", None)})


@posts_page
def attendance_sheet(request):
    month = _month(request)
    return xlsx_response(exports.attendance_sheet(user=request.user, month=month), filename_stem=f"考勤表-{month}")


@posts_page
def requests_sheet(request):
    data = exports.post_requests(user=request.user, status=request.GET.get("status", ""), q=request.GET.get("q", "")[:60])
    return xlsx_response(data, filename_stem="公益性岗位申报表")


@posts_page
def roster(request):
    month = _month(request)
    return xlsx_response(exports.roster(user=request.user, month=month), filename_stem=f"公益性岗位人员花名册-{month}")


@posts_page
@require_POST
def attendance_upload(request):
    month = _month(request)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件"))
        return redirect(_month_url("posts:attendance", month))
    try:
        result = run_import(IMPORTERS["post_attendance"], upload, actor=request.user, filename=upload.name)
        request.session["posts_import"] = {
            "rows": result.rows, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:200]]}
    except FileError as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        _refused(request, exc)
    return redirect(_month_url("posts:attendance", month))


@posts_page
@require_POST
def attendance_approve(request):
    month = _month(request)
    ids = list(selectors.month_attendance(user=request.user, month=month)
               .filter(status=c.AttendanceStatus.RECORDED).values_list("pk", flat=True))
    try:
        n = services.attendance_approve(actor=request.user, ids=ids)
        messages.success(request, _("已审核 {n} 条考勤").format(n=n))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect(_month_url("posts:attendance", month))


@posts_page
@require_POST
def exit_confirm(request, pk: int):
    placement = selectors.placement_get(user=request.user, pk=pk)
    month = _month(request)
    try:
        services.placement_exit(actor=request.user, placement=placement, reason=request.POST.get("reason", ""),
                                exit_date=timezone.localdate(), note=request.POST.get("note", ""))
        messages.success(request, _("已办理退出"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect(_month_url("posts:attendance", month))


@posts_page
def pay(request):
    month = _month(request)
    return render(request, "posts/pay.html", {
        "month": month, "page": page_of(request, selectors.month_pay(user=request.user, month=month))})


@posts_page
@require_POST
def pay_run(request):
    month = _month(request)
    try:
        if request.POST.get("step") == "batch":
            result = services.post_pay_batch_create(actor=request.user, month=month)
            return redirect("payments:batch", pk=result.batch.pk)
        result = services.post_pay_run(actor=request.user, month=month)
        messages.success(request, _("生成岗位补贴 {n} 笔；不合格 {f} 人，出勤不足 {d} 人，待审核 {w} 人").format(
            n=result.claims_created, f=result.failed_rating, d=result.too_few_days, w=result.not_approved))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect(_month_url("posts:pay", month))


@posts_page
def pay_sheet(request):
    month = _month(request)
    return xlsx_response(exports.pay_sheet(user=request.user, month=month), filename_stem=f"补贴发放表-{month}")


def _month_url(name: str, month: str) -> str:
    return f"{reverse(name)}?month={month}"
