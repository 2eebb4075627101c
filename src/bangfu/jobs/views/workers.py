"""The worker's job page (jobs:worker): recommendations with reasons, pushes received,
referrals and hires, services; and the explanation of one worker and one posting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.money import yuan_to_fen
from bangfu.jobs import selectors
from bangfu.jobs.forms import HireForm, ServiceForm, StatusForm
from bangfu.jobs.matching import explain_for, recommendations_for
from bangfu.jobs.models import POSTING_STATES
from bangfu.jobs.reasons import PART_LABELS, reason_text
from bangfu.jobs.services import (
    JobsError, application_hire, application_refer, application_set_status, service_record_create,
)
from bangfu.registry.models import age_in_year


def _employment(user, person) -> list:
    """The person's latest employment records (务工记录), read through the area restriction."""
    from bangfu.monitoring.models import EmploymentMonth

    return list(EmploymentMonth.objects.restrict(user).filter(person=person).order_by("-month")[:6])


@login_required
def worker(request, pk: int):
    person = selectors.person_for_jobs(user=request.user, person_id=pk)
    today = timezone.localdate()
    recs = recommendations_for(person, on=today, k=10)
    for r in recs:
        r["texts"] = [reason_text(x) for x in r["reasons"]]
    pushes = list(selectors.pushes_of_person(user=request.user, person=person)[:50])
    for p in pushes:
        p.texts = [reason_text(x) for x in p.reasons]
    applications = list(selectors.applications_of_person(user=request.user, person=person))
    referred = {a.posting_id for a in applications}
    return render(request, "jobs/worker.html", {
        "person": person, "age": age_in_year(person.birth_date, today), "is_worker": person.is_worker_on(today),
        "recommendations": recs, "pushes": pushes, "applications": applications, "referred": referred,
        "services": selectors.services_of_person(user=request.user, person=person)[:50],
        "employment": _employment(request.user, person), "service_form": ServiceForm(), "hire_form": HireForm(),
        "status_form": StatusForm(), "can_serve": request.user.has_capability(Capability.RECORD_SERVICES),
        "states": POSTING_STATES,
    })


@login_required
@require_POST
def refer(request, pk: int):
    require(request.user, Capability.RECORD_SERVICES)
    person = selectors.person_for_jobs(user=request.user, person_id=pk)
    posting = selectors.posting_get(user=request.user, posting_id=int(request.POST.get("posting", 0) or 0))
    try:
        application_refer(actor=request.user, person=person, posting=posting,
                          note=request.POST.get("note", "")[:500])
    except JobsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录推荐：%(title)s") % {"title": posting.title})
    return redirect("jobs:worker", pk=pk)


@login_required
@require_POST
def service_create(request, pk: int):
    require(request.user, Capability.RECORD_SERVICES)
    person = selectors.person_for_jobs(user=request.user, person_id=pk)
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            service_record_create(actor=request.user, person=person, kind=form.cleaned_data["kind"],
                                  served_on=form.cleaned_data["served_on"], note=form.cleaned_data["note"])
        except JobsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录就业服务"))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("jobs:worker", pk=pk)


@login_required
@require_POST
def application_status(request, pk: int):
    require(request.user, Capability.RECORD_SERVICES)
    application = selectors.application_get(user=request.user, application_id=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            application_set_status(actor=request.user, application=application,
                                   status=form.cleaned_data["status"], note=form.cleaned_data["note"])
        except JobsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已更新推荐结果"))
    return redirect("jobs:worker", pk=application.person_id)


@login_required
@require_POST
def application_hire_view(request, pk: int):
    require(request.user, Capability.RECORD_SERVICES)
    application = selectors.application_get(user=request.user, application_id=pk)
    form = HireForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("jobs:worker", pk=application.person_id)
    wage = form.cleaned_data.get("wage")
    try:
        application_hire(actor=request.user, application=application, hired_on=form.cleaned_data["hired_on"],
                         wage_fen=yuan_to_fen(wage) if wage is not None else None)
    except JobsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录录用：岗位已招人数和本人务工记录已更新"))
    return redirect("jobs:worker", pk=application.person_id)


@login_required
def explain(request, pk: int, posting_id: int):
    person = selectors.person_for_jobs(user=request.user, person_id=pk)
    posting = selectors.posting_get(user=request.user, posting_id=posting_id)
    ex = explain_for(person, posting)
    vetoes = [reason_text(v.as_dict()) for v in ex.vetoes]
    parts = [{"label": PART_LABELS[p.name], "value": p.value, "weight": p.weight,
              "contribution": p.contribution} for p in ex.parts]
    return render(request, "jobs/explain.html", {
        "person": person, "posting": posting, "explanation": ex, "vetoes": vetoes, "parts": parts,
        "reasons": [reason_text(r.as_dict()) for r in ex.reasons],
    })
