"""Pages of employers and postings: lists, detail, forms, import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.exports import workbook_bytes, xlsx_response
from bangfu.core.imports import FileError, run_import
from bangfu.core.imports.report import template_xlsx
from bangfu.core.pagination import page_of
from bangfu.jobs import choices as c
from bangfu.employers.models import Employer
from bangfu.employers.services import EmployerError, employer_create, employer_update
from bangfu.jobs import selectors
from bangfu.jobs.forms import EmployerForm, ImportForm, PostingForm
from bangfu.jobs.importers import IMPORTERS
from bangfu.jobs.models import POSTING_STATES
from bangfu.jobs.reasons import reason_texts
from bangfu.jobs.services import JobsError, posting_close, posting_create, posting_update
from bangfu.registry.choices import CooperationRegion, RegionGroup

EXPORT_LIMIT = 100_000


def _form_errors(form, exc: JobsError | EmployerError) -> None:
    for field, message in exc.fields.items():
        form.add_error(field if field in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


# ---- postings -----------------------------------------------------------------------------
@login_required
def posting_list(request):
    filters = selectors.posting_filter(user=request.user, data=request.GET)
    page = page_of(request, filters.qs)
    today = timezone.localdate()
    for p in page:
        p.state_now = p.state(today)
    return render(request, "jobs/posting_list.html", {
        "page": page, "f": filters.values, "sources": c.PostingSource.choices, "states": POSTING_STATES,
        "zones": RegionGroup.choices, "regions": CooperationRegion.choices,
        "can_manage": request.user.has_capability(Capability.MANAGE_JOBS),
        "query": request.GET.urlencode(),
    })


@login_required
def posting_export(request):
    filters = selectors.posting_filter(user=request.user, data=request.GET)
    postings = filters.qs[:EXPORT_LIMIT]
    today = timezone.localdate()
    rows = ([p.pk, p.title, p.employer.name, p.employer.uscc, p.occupation_code, p.place_name,
             p.get_source_display(), p.headcount, p.filled_count, p.wage_min_fen / 100, p.wage_max_fen / 100,
             p.age_min, p.age_max, p.get_min_labour_ability_display(), "、".join(p.certificate_list),
             str(p.valid_from), str(p.valid_until), str(POSTING_STATES[p.state(today)])] for p in postings)
    headers = [_("编号"), _("岗位名称"), _("用工单位"), _("统一社会信用代码"), _("职业代码"), _("工作地点"),
               _("岗位来源"), _("招聘人数"), _("已招人数"), _("月薪下限（元）"), _("月薪上限（元）"),
               _("最低年龄"), _("最高年龄"), _("招聘对象"), _("要求证书"), _("有效期起"), _("有效期止"), _("状态")]
    content = workbook_bytes(title=_("岗位"), headers=headers, rows=rows)
    audit_record(actor=request.user, action="posting.export", area_code=request.user.area_code,
                 detail={"filters": filters.audit_detail()})
    return xlsx_response(content, filename_stem=_("岗位列表"))


@login_required
def posting_detail(request, pk: int):
    posting = selectors.posting_get(user=request.user, posting_id=pk)
    pushes = list(selectors.pushes_of_posting(user=request.user, posting=posting)[:200])
    for p in pushes:
        p.texts = reason_texts(p.reasons)
    applications = selectors.applications_of_posting(user=request.user, posting=posting)
    can_edit = (request.user.has_capability(Capability.MANAGE_JOBS)
                and selectors.posting_list(user=request.user, data={"state": "mine"}).filter(pk=pk).exists())
    return render(request, "jobs/posting_detail.html", {
        "posting": posting, "state": posting.state(), "states": POSTING_STATES, "pushes": pushes,
        "push_count": selectors.pushes_of_posting(user=request.user, posting=posting).count(),
        "applications": applications, "can_edit": can_edit,
        "can_export": request.user.has_capability(Capability.MANAGE_JOBS),
    })


@login_required
def posting_create_view(request):
    require(request.user, Capability.MANAGE_JOBS)
    initial = {}
    employer_id = request.GET.get("employer")
    if employer_id and employer_id.isdigit():
        employer = Employer.objects.filter(pk=employer_id).first()
        if employer:
            initial["employer_uscc"] = employer.uscc
    form = PostingForm(request.POST or None, initial=initial, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            posting = posting_create(actor=request.user, employer=form.employer, **form.posting_values())
        except JobsError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("岗位已发布"))
            return redirect("jobs:posting_detail", pk=posting.pk)
    return render(request, "jobs/posting_form.html", {"form": form, "new": True})


@login_required
def posting_edit(request, pk: int):
    require(request.user, Capability.MANAGE_JOBS)
    posting = selectors.posting_get_for_edit(user=request.user, posting_id=pk)
    form = PostingForm(request.POST or None, initial=PostingForm.initial_from(posting), new=False)
    if request.method == "POST" and form.is_valid():
        values = form.posting_values()
        try:
            posting_update(actor=request.user, posting=posting, **values)
        except JobsError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("岗位已保存"))
            return redirect("jobs:posting_detail", pk=posting.pk)
    return render(request, "jobs/posting_form.html", {"form": form, "new": False, "posting": posting})


@login_required
@require_POST
def posting_close_view(request, pk: int):
    require(request.user, Capability.MANAGE_JOBS)
    posting = selectors.posting_get_for_edit(user=request.user, posting_id=pk)
    posting_close(actor=request.user, posting=posting, reason=request.POST.get("reason", ""))
    messages.success(request, _("岗位已关闭，不再推送"))
    return redirect("jobs:posting_detail", pk=pk)


@login_required
def posting_import(request):
    require(request.user, Capability.MANAGE_JOBS)
    importer = IMPORTERS["postings"]
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = run_import(importer, upload, actor=request.user, filename=upload.name,
                                commit_valid=form.cleaned_data["commit_valid"])
        except FileError as exc:
            file_error = str(exc)
        else:
            if result.committed:
                messages.success(request, _("导入完成：新增 %(c)s 个，更新 %(u)s 个，未变 %(n)s 个") % {
                    "c": result.created, "u": result.updated, "n": result.unchanged})
    return render(request, "jobs/posting_import.html", {
        "form": form, "result": result, "file_error": file_error, "columns": importer.columns})


@login_required
def posting_template(request):
    content = template_xlsx(IMPORTERS["postings"])
    return xlsx_response(content, filename_stem=_("岗位导入模板"))


# ---- employers ----------------------------------------------------------------------------
@login_required
def employer_list(request):
    q = request.GET.get("q", "").strip()
    page = page_of(request, selectors.employer_list(user=request.user, q=q))
    return render(request, "jobs/employer_list.html", {
        "page": page, "q": q, "can_manage": request.user.has_capability(Capability.MANAGE_JOBS)})


@login_required
def employer_detail(request, pk: int):
    employer = selectors.employer_get(user=request.user, employer_id=pk)
    postings = employer.postings.all()[:100]
    today = timezone.localdate()
    for p in postings:
        p.state_now = p.state(today)
    can_edit = request.user.has_capability(Capability.MANAGE_JOBS) and \
        Employer.objects.restrict(request.user).filter(pk=pk).exists()
    return render(request, "jobs/employer_detail.html", {
        "employer": employer, "postings": postings, "states": POSTING_STATES, "can_edit": can_edit,
        "can_manage": request.user.has_capability(Capability.MANAGE_JOBS)})


@login_required
def employer_form(request, pk: int | None = None):
    require(request.user, Capability.MANAGE_JOBS)
    employer = selectors.employer_get_for_edit(user=request.user, employer_id=pk) if pk else None
    initial = {}
    if employer:
        initial = {"name": employer.name, "uscc": employer.uscc, "place_code": employer.district_code or employer.place_code,
                   "contact_name": employer.contact_name, "contact_phone": employer.contact_phone,
                   "credit_rating": employer.credit_rating}
    form = EmployerForm(request.POST or None, initial=initial)
    if employer:
        form.fields["uscc"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if employer:
                employer_update(actor=request.user, employer=employer, name=d["name"],
                                place_code=d["place_code"], contact_name=d["contact_name"],
                                contact_phone=d["contact_phone"], credit_rating=d["credit_rating"])
            else:
                employer = employer_create(actor=request.user, name=d["name"], uscc=d["uscc"],
                                           place_code=d["place_code"], contact_name=d["contact_name"],
                                           contact_phone=d["contact_phone"], credit_rating=d["credit_rating"])
        except EmployerError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("用工单位已保存"))
            return redirect("jobs:employer_detail", pk=employer.pk)
    return render(request, "jobs/employer_form.html", {"form": form, "employer": employer})

