"""The worker's pages: file a complaint and follow it, on a phone, without an account.

CSRF-protected forms; the edge (``arrears.doors``) caps the body and counts requests per
address before anything reads the form; here, complaints per phone and failed look-ups per
address. The status page shows a complaint only to someone who holds both its number and
the phone given with it, and never anything of another complaint.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from bangfu.arrears import choices as c
from bangfu.arrears import ratelimit
from bangfu.arrears.forms import PublicComplaintForm, StatusForm
from bangfu.arrears.selectors import case_clock, case_for_receipt, case_for_worker, office_list
from bangfu.arrears.services import case_intake
from bangfu.core.actors import PUBLIC

logger = logging.getLogger(__name__)

SESSION_FILED = "arrears_filed"
ERR_TOO_MANY = "提交过于频繁，请稍后再试；紧急情况请拨打 12333"
ERR_NOT_FOUND = "未找到案件，请核对案件号和手机号"


def _public(request, template: str, context: dict, status: int = 200):
    context = {"public_page": True, **context}
    return render(request, template, context, status=status)


def complaint_refused(request):
    """The complaint page over the per-address limit (answered before the form is read)."""
    return _public(request, "arrears/complaint_form.html",
                   {"form": PublicComplaintForm(), "error": _(ERR_TOO_MANY)}, status=429)


def status_refused(request):
    return _public(request, "arrears/status.html", {"form": StatusForm(), "error": _(ERR_TOO_MANY)},
                   status=429)


@never_cache
@csrf_protect
def complaint(request):
    """The public complaint form."""
    if request.method != "POST":
        return _public(request, "arrears/complaint_form.html", {"form": PublicComplaintForm()})
    form = PublicComplaintForm(request.POST, request.FILES)
    if request.POST.get("website"):  # the hidden field: a bot; say nothing useful
        logger.info("arrears complaint honeypot filled from an address; dropped")
        return HttpResponseRedirect(reverse("arrears:complaint"))
    if not form.is_valid():
        return _public(request, "arrears/complaint_form.html", {"form": form}, status=200)
    if not ratelimit.phone_hit(request, form.complaint.phone):
        return _public(request, "arrears/complaint_form.html",
                       {"form": form, "error": _(ERR_TOO_MANY)}, status=429)
    result = case_intake(complaint=form.complaint, channel=c.Channel.PUBLIC, actor=PUBLIC,
                         files=form.checked_files, ip_address=ratelimit.client_ip(request))
    # Only the complaint's own number: never the case it may repeat (see WorkerCase).
    request.session[SESSION_FILED] = {"number": result.case.number}
    return HttpResponseRedirect(reverse("arrears:complaint_done"))


@never_cache
def complaint_done(request):
    """The receipt: the case number to keep (only for the browser that filed it)."""
    filed = request.session.get(SESSION_FILED) or {}
    case = case_for_receipt(number=filed.get("number", ""))
    if case is None:
        return HttpResponseRedirect(reverse("arrears:complaint"))
    return _public(request, "arrears/complaint_done.html", {"case": case, "clock": case_clock(case)})


@never_cache
@csrf_protect
def status(request):
    """Progress of a case for the worker: needs the case number and the phone."""
    context = {"form": StatusForm(), "offices": None}
    if request.method != "POST":
        return _public(request, "arrears/status.html", context)
    form = StatusForm(request.POST)
    context["form"] = form
    if not ratelimit.status_misses_left(request):
        context["error"] = _(ERR_TOO_MANY)
        return _public(request, "arrears/status.html", context, status=429)
    if not form.is_valid():
        return _public(request, "arrears/status.html", context)
    try:
        case = case_for_worker(number=form.cleaned_data["number"], phone=form.cleaned_data["phone"])
    except Http404:
        ratelimit.status_miss(request)  # counted per address, never per case number
        context["error"] = _(ERR_NOT_FOUND)
        return _public(request, "arrears/status.html", context, status=404)
    context.update({
        "case": case, "clock": case_clock(case), "events": case.events, "closed": case.closed,
        "form": StatusForm(initial={"number": case.number}),
    })
    return _public(request, "arrears/status.html", context)


def offices(request):
    """Public list of the offices and their contacts (whom to call)."""
    return _public(request, "arrears/offices_public.html", {"offices": office_list(active_only=True)})
