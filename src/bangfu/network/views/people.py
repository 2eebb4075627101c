"""The helper's day on a phone: "my people" by status, the jobs that fit, the call, and a
service, referral or hire recorded in two taps (open the person, tap the action)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.edge import client_ip
from bangfu.core.pagination import page_of
from bangfu.core.pii import mask_phone
from bangfu.network import caseload as cl
from bangfu.network import choices as c
from bangfu.network import selectors
from bangfu.network.errors import ERR_NO_HELPER, NetworkError
from bangfu.network.permissions import CAPABILITY_SERVE
from bangfu.network.services import network_service_record, person_call

QUICK_KINDS = (c.ServiceKind.VISIT, c.ServiceKind.CALL, c.ServiceKind.GUIDANCE, c.ServiceKind.JOB_PUSH)
PER_PAGE = 20


def _helper(request):
    """The user's own helper record, or (for an officer) the helper named by ``?helper=``."""
    return selectors.acting_helper(user=request.user,
                                   helper_id=request.GET.get("helper") or request.POST.get("helper"))


def _back(request, helper) -> str:
    url = reverse("network:my_people")
    query = request.POST.get("next_query", "")
    if helper is not None and helper.user_id != request.user.pk:
        query = f"helper={helper.pk}&{query}" if "helper=" not in query else query
    return f"{url}?{query}" if query else url


@login_required
def my_people(request):
    require(request.user, CAPABILITY_SERVE)
    helper = _helper(request)
    status = request.GET.get("status", "")
    if status and status not in c.CaseloadFilter.values:
        status = ""
    labels = dict(c.CaseloadFilter.choices)
    page, rows = None, []
    if helper is not None:
        page = page_of(request, cl.my_people(user=request.user, helper=helper, status=status or None), PER_PAGE)
        people = list(page)
        fits = cl.jobs_that_fit_many(people)
        for person in people:
            rows.append({"person": person, "phone": mask_phone(person.phone),
                         "tags": [(t, labels[t]) for t in cl.status_labels(person)], "jobs": fits[person.pk]})
    return render(request, "network/my_people.html", {
        "helper": helper, "page": page, "rows": rows, "status": status, "filters": c.CaseloadFilter.choices,
        "quick_kinds": [(k, c.ServiceKind(k).label) for k in QUICK_KINDS],
        "own": helper is not None and helper.user_id == request.user.pk,
        "no_helper": _(ERR_NO_HELPER) if helper is None else "",
        "query": request.GET.urlencode(),
    })


@login_required
@require_POST
def call(request, pk: int):
    """Reveal the phone to the assigned helper (audited; anyone else gets 403) and log the call."""
    person = selectors.person_get(user=request.user, person_id=pk)
    result = person_call(actor=request.user, person=person, ip_address=client_ip(request))
    return render(request, "network/call.html", {"person": person, "phone": result.phone,
                                                 "next_query": request.POST.get("next_query", "")})


@login_required
@require_POST
def serve(request, pk: int):
    require(request.user, CAPABILITY_SERVE)
    person = selectors.person_get(user=request.user, person_id=pk)
    helper = _helper(request)
    try:
        network_service_record(actor=request.user, person=person, kind=request.POST.get("kind", ""),
                               helper=helper, note=request.POST.get("note", "")[:500])
    except NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录服务：%(name)s") % {"name": person.name})
    return redirect(_back(request, helper))


@login_required
@require_POST
def refer(request, pk: int):
    return _job_action(request, pk, hire=False)


@login_required
@require_POST
def hire(request, pk: int):
    return _job_action(request, pk, hire=True)


def _job_action(request, pk: int, *, hire: bool):
    """Referral (推荐岗位) or hire (推荐上岗) through jobs' services: both are service records there,
    and a hire closes the recommendation."""
    from bangfu.jobs import selectors as job_selectors
    from bangfu.jobs.services import JobsError, application_hire, application_refer

    require(request.user, CAPABILITY_SERVE)
    person = selectors.person_get(user=request.user, person_id=pk)
    posting_id = request.POST.get("posting", "")
    posting = job_selectors.posting_get(user=request.user, posting_id=int(posting_id) if posting_id.isdigit() else 0)
    helper = _helper(request)
    try:
        with transaction.atomic():  # a hire that fails leaves no referral behind
            application = application_refer(actor=request.user, person=person, posting=posting)
            if hire:
                application_hire(actor=request.user, application=application)
    except JobsError as exc:
        messages.error(request, exc.message)
    else:
        text = _("已录用：%(name)s → %(title)s") if hire else _("已推荐：%(name)s → %(title)s")
        messages.success(request, text % {"name": person.name, "title": posting.title})
    return redirect(_back(request, helper))
