"""Pages of skills training: the courses (with opening a course), a course with its trainees
(花名册 out and in, enrolling by ID number), a trainee (attendance, completion, certificate,
follow-up calls, employment months after the course), and the list of trainees."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from bangfu.core.exports import xlsx_response
from bangfu.core.imports import FileError, run_import
from bangfu.core.pagination import page_of
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import area_level
from bangfu.employers.models import Employer
from bangfu.registry.models import Person
from bangfu.training import choices as c
from bangfu.training import exports, selectors, services
from bangfu.training.importers import IMPORTERS
from bangfu.training.permissions import training_page
from bangfu.training.shortage import BLOCKED_KEYS, blocked_headers, shortage_list_cached, shortage_workbook

ERR_PROVIDER = gettext_noop("没有该统一社会信用代码的培训机构，请先在用工单位中登记")


def _refused(request, exc: Exception) -> None:
    messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@training_page
def index(request):
    q = request.GET.get("q", "")[:60]
    year = _int(request.GET.get("year", ""), 0) or None
    level = request.GET.get("level", "")
    brand = request.GET.get("brand", "")
    courses = selectors.course_list(user=request.user, q=q, year=year, level=level, brand=brand)
    return render(request, "training/index.html", {
        "page": page_of(request, courses), "q": q, "year": year or "", "level": level, "brand": brand,
        "levels": c.SkillLevel.choices, "brands": c.TrainingBrand.choices,
        "can_open": area_level(request.user.area_code) != "township"})


@training_page
@require_POST
def course_create(request):
    p = request.POST
    provider = Employer.objects.filter(uscc=p.get("provider_uscc", "").strip().upper()).first()
    if provider is None:
        messages.error(request, _(ERR_PROVIDER))
        return redirect("training:index")
    start, end = _date(p.get("start_date")), _date(p.get("end_date"))
    if start is None or end is None:
        messages.error(request, _("请填写开班日期和结业日期（YYYY-MM-DD）"))
        return redirect("training:index")
    district = p.get("district_code", "") or request.user.area_code
    try:
        course = services.course_create(
            actor=request.user, name=p.get("name", "").strip()[:120], occupation_code=p.get("occupation_code", ""),
            level=p.get("level", ""), days=_int(p.get("days")), provider=provider, start_date=start, end_date=end,
            place=p.get("place", "").strip()[:200], district_code=district,
            brand=p.get("brand") or c.TrainingBrand.NONE, shortage=p.get("shortage") == "1")
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect("training:index")
    messages.success(request, _("已登记培训项目"))
    return redirect("training:course", pk=course.pk)


@training_page
def course(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    return render(request, "training/course.html", {
        "course": course, "enrolments": selectors.course_enrolments(user=request.user, course=course),
        "days_needed": services.days_needed(course), "import_result": request.session.pop("training_import", None)})


@training_page
@require_POST
def enrol(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    number = request.POST.get("id_number", "").strip().upper()
    person = Person.objects.restrict(request.user).filter(id_number_hash=pii_hash(number)).first() if number else None
    if person is None:
        messages.error(request, _("花名册中没有该人员，或不在您的管辖范围内"))
        return redirect("training:course", pk=course.pk)
    try:
        services.enrolment_create(actor=request.user, course=course, person=person)
        messages.success(request, _("已报名"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("training:course", pk=course.pk)


@training_page
def roster(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    return xlsx_response(exports.roster(user=request.user, course=course), filename_stem=f"培训花名册-{course.pk}")


@training_page
@require_POST
def roster_upload(request, pk: int):
    course = selectors.course_get(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择文件"))
        return redirect("training:course", pk=course.pk)
    try:
        result = run_import(IMPORTERS["training_roster"], upload, actor=request.user, filename=upload.name)
        request.session["training_import"] = {
            "rows": result.rows, "created": result.created, "updated": result.updated, "unchanged": result.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:200]]}
    except FileError as exc:
        messages.error(request, str(exc))
    except PermissionDenied as exc:
        _refused(request, exc)
    return redirect("training:course", pk=course.pk)


@training_page
def trainees(request):
    status = request.GET.get("status", "")
    return render(request, "training/trainees.html", {
        "page": page_of(request, selectors.enrolment_list(user=request.user, status=status)),
        "status": status, "statuses": c.EnrolmentStatus.choices})


@training_page
def enrolment(request, pk: int):
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    employed = list(selectors.enrolment_employment_after(user=request.user, enrolment=enrolment))
    window = selectors.employment_window(enrolment) if enrolment.status == c.EnrolmentStatus.COMPLETED else None
    return render(request, "training/enrolment.html", {
        "e": enrolment, "certificate": selectors.enrolment_certificate(user=request.user, enrolment=enrolment),
        "follow_ups": selectors.enrolment_follow_ups(user=request.user, enrolment=enrolment),
        "employed": employed, "window": window, "levels": c.SkillLevel.choices,
        "outcomes": c.FollowUpOutcome.choices, "days_needed": services.days_needed(enrolment.course)})


@training_page
@require_POST
def enrolment_act(request, pk: int):
    """One form per step on the trainee's page: attendance, completion, dropping out, certificate, call."""
    enrolment = selectors.enrolment_get(user=request.user, pk=pk)
    p = request.POST
    step = p.get("step", "")
    today = timezone.localdate()
    try:
        if step == "attendance":
            services.enrolment_attendance_record(actor=request.user, enrolment=enrolment, days=_int(p.get("days"), -1))
        elif step == "complete":
            services.enrolment_complete(actor=request.user, enrolment=enrolment,
                                        completed_on=_date(p.get("completed_on")) or enrolment.course.end_date)
        elif step == "drop":
            services.enrolment_drop(actor=request.user, enrolment=enrolment, left_on=_date(p.get("left_on")) or today,
                                    note=p.get("note", ""))
        elif step == "certify":
            services.certificate_issue(actor=request.user, enrolment=enrolment, number=p.get("number", ""),
                                       issued_on=_date(p.get("issued_on")) or today, level=p.get("level", ""))
        elif step == "follow_up":
            services.follow_up_record(actor=request.user, enrolment=enrolment,
                                      contact_date=_date(p.get("contact_date")) or today,
                                      outcome=p.get("outcome", ""), employer_name=p.get("employer_name", ""),
                                      note=p.get("note", ""))
        else:
            raise ValidationError(_("未知操作"))
        messages.success(request, _("已保存"))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect("training:enrolment", pk=enrolment.pk)


def _shortage_area(request) -> str:
    """The user's district (a township officer: the township's district); the city may pick one."""
    own = request.user.area_code
    if own == "50":
        chosen = request.GET.get("area", "")
        return chosen if len(chosen) == 6 and chosen.isdigit() else "50"
    return own[:6]


@training_page
def shortage(request):
    area = _shortage_area(request)
    rows, computed_at = shortage_list_cached(area_code=area, on=timezone.localdate())
    return render(request, "training/shortage.html", {
        "rows": rows, "area": area, "computed_at": computed_at, "blocked_headers": blocked_headers(), "blocked_keys": BLOCKED_KEYS})


@training_page
def shortage_export(request):
    area = _shortage_area(request)
    rows, _computed_at = shortage_list_cached(area_code=area, on=timezone.localdate())
    return xlsx_response(shortage_workbook(user=request.user, area_code=area, rows=rows), filename_stem="紧缺工种清单")


@training_page
def outcomes(request):
    from bangfu.core.months import is_month, month_of
    from bangfu.training.outcomes import training_outcomes

    upto = request.GET.get("month", "")
    upto = upto if is_month(upto) else month_of(timezone.localdate())
    return render(request, "training/outcomes.html", {
        "month": upto, "tables": training_outcomes(user=request.user, year=int(upto[:4]), upto=upto),
        "brands": dict(c.TrainingBrand.choices)})
