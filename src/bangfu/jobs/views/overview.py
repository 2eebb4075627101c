"""The 渝职聘 home page, figures, cross-zone and cooperation views, push runs, labour export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.background_views import start_from_page
from bangfu.core.capabilities import Capability
from bangfu.core.months import month_of, months_ending
from bangfu.core.pagination import page_of
from bangfu.jobs import figures, selectors
from bangfu.jobs.forms import ExportBatchForm
from bangfu.jobs.models import Application, JobPosting, Push
from bangfu.jobs.reasons import reason_texts
from bangfu.jobs.work import MATCH_WORK
from bangfu.jobs.services import JobsError, export_batch_create, match_run
from bangfu.registry.models import Person


@login_required
def index(request):
    today = timezone.localdate()
    month = month_of(today)
    open_postings = JobPosting.objects.open(today)
    posting_totals = open_postings.aggregate(n=Count("id"), headcount=Sum("headcount"), filled=Sum("filled_count"))
    rows = figures.service_figures(user=request.user, months=[month])
    total = figures.totals(rows)
    runs = selectors.run_list(user=request.user)[:5]
    return render(request, "jobs/index.html", {
        "month": today, "open": posting_totals["n"] or 0,
        "remaining": (posting_totals["headcount"] or 0) - (posting_totals["filled"] or 0),
        "total": total, "runs": runs, "can_manage": request.user.has_capability(Capability.MANAGE_JOBS),
        "recent_pushes": selectors.push_list(user=request.user)[:8],
        "open_applications": selectors.application_list(user=request.user).filter(
            status__in=["referred", "interview"])[:8],
    })


@login_required
def figures_view(request):
    months = months_ending(month_of(timezone.localdate()), 12)[::-1]  # newest first
    month = request.GET.get("month", "")
    district = request.GET.get("district", "").strip()
    rows = figures.service_figures(user=request.user, months=[month] if month in months else months,
                                   district=district)
    return render(request, "jobs/figures.html", {
        "rows": rows, "total": figures.totals(rows), "months": months, "month": month, "district": district})


@login_required
def cross_zone(request):
    return render(request, "jobs/cross_zone.html", {"data": figures.cross_zone(user=request.user)})


@login_required
def cooperation(request):
    rows = figures.cooperation(user=request.user)
    return render(request, "jobs/cooperation.html", {
        "rows": rows, "batches": selectors.export_batch_list(user=request.user)[:20]})


@login_required
def runs(request):
    page = page_of(request, selectors.run_list(user=request.user))
    return render(request, "jobs/runs.html", {"page": page, "can_manage": request.user.has_capability(Capability.MANAGE_JOBS)})


@login_required
def run_detail(request, pk: int):
    run = get_object_or_404(selectors.run_list(user=request.user), pk=pk)
    pushes = Push.objects.restrict(request.user).filter(run=run).select_related("person", "posting", "posting__employer")
    page = page_of(request, pushes)
    for p in page:
        p.texts = reason_texts(p.reasons)
    return render(request, "jobs/run_detail.html", {"run": run, "page": page})


@login_required
@require_POST
def run_start(request):
    """Run matching and push for the user's area now (or a dry run that only shows the result)."""
    require(request.user, Capability.MANAGE_JOBS)
    dry = request.POST.get("dry_run") == "1"
    if not dry:  # the real run goes to the background (后台任务) with its page as the result
        return start_from_page(request, kind=MATCH_WORK, params={"area": request.user.area_code},
                               fallback=reverse("jobs:index"))
    result = match_run(actor=request.user, area_code=request.user.area_code, dry_run=True)
    if dry:
        persons = Person.objects.in_bulk([p["person"] for p in result.pushes[:200]])
        postings = JobPosting.objects.select_related("employer").in_bulk([p["job"] for p in result.pushes[:200]])
        preview = [{**p, "person_obj": persons.get(p["person"]), "posting_obj": postings.get(p["job"])}
                   for p in result.pushes[:200]]
        return render(request, "jobs/run_preview.html", {"summary": result.summary, "preview": preview})



@login_required
def export_batches(request):
    page = page_of(request, selectors.export_batch_list(user=request.user))
    return render(request, "jobs/export_batches.html", {"page": page})


@login_required
def export_batch_new(request, posting_id: int):
    """A labour-export batch for one posting: its referred or hired workers of the user's area."""
    require(request.user, Capability.RECORD_SERVICES)
    posting = selectors.posting_get(user=request.user, posting_id=posting_id)
    apps = Application.objects.restrict(request.user).filter(
        posting=posting, status__in=["referred", "interview", "hired"]).select_related("person")
    candidates = [a.person for a in apps]
    form = ExportBatchForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = {int(x) for x in form.cleaned_data["persons"]}
        try:
            batch = export_batch_create(
                actor=request.user, name=form.cleaned_data["name"], employer=posting.employer, posting=posting,
                departed_on=form.cleaned_data["departed_on"],
                destination_code=posting.work_place_code or posting.employer.place_code,
                persons=[p for p in candidates if p.pk in chosen], note=form.cleaned_data["note"])
        except JobsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("劳务输出批次已登记"))
            return redirect("jobs:export_batch_detail", pk=batch.pk)
    return render(request, "jobs/export_batch_form.html", {"form": form, "posting": posting,
                                                            "candidates": candidates})


@login_required
def export_batch_detail(request, pk: int):
    batch = selectors.export_batch_get(user=request.user, batch_id=pk)
    return render(request, "jobs/export_batch_detail.html", {
        "batch": batch, "members": selectors.export_members(user=request.user, batch=batch)})


@login_required
def applications(request):
    """The caseload: referrals and hires of the user's area, newest first."""
    status = request.GET.get("status", "")
    qs = selectors.application_list(user=request.user, data=request.GET)
    page = page_of(request, qs)
    from bangfu.jobs.choices import ApplicationStatus

    return render(request, "jobs/applications.html", {"page": page, "status": status,
                                                      "statuses": ApplicationStatus.choices})
