"""The worker's pages: file a complaint and follow it, on a phone, without an account.

CSRF-protected forms, rate limits per address and per phone, and a status page that shows a
case only to someone who holds both its number and the complaint's phone.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from bangfu.arrears import choices as c
from bangfu.arrears import ratelimit
from bangfu.arrears.forms import PublicComplaintForm, StatusForm
from bangfu.arrears.models import ArrearsCase
from bangfu.arrears.selectors import case_clock, case_events, case_for_worker, office_list
from bangfu.arrears.services import case_intake

logger = logging.getLogger(__name__)

SESSION_FILED = "arrears_filed"
ERR_TOO_MANY = "提交过于频繁，请稍后再试；紧急情况请拨打 12333"
ERR_NOT_FOUND = "未找到案件，请核对案件号和手机号"


def _public(request, template: str, context: dict, status: int = 200):
    context = {"public_page": True, **context}
    return render(request, template, context, status=status)


@never_cache
@csrf_protect
def complaint(request):
    """The public complaint form."""
    if request.method != "POST":
        return _public(request, "arrears/complaint_form.html", {"form": PublicComplaintForm()})
    ip = ratelimit.client_ip(request)
    if not ratelimit.hit("complaint_ip", ip):
        return _public(request, "arrears/complaint_form.html",
                       {"form": PublicComplaintForm(), "error": _(ERR_TOO_MANY)}, status=429)
    form = PublicComplaintForm(request.POST, request.FILES)
    if request.POST.get("website"):  # the hidden field: a bot; say nothing useful
        logger.info("arrears complaint honeypot filled from an address; dropped")
        return HttpResponseRedirect(reverse("arrears:complaint"))
    if not form.is_valid():
        return _public(request, "arrears/complaint_form.html", {"form": form}, status=200)
    phone_key = form.complaint.phone
    if not ratelimit.hit("complaint_phone", phone_key):
        return _public(request, "arrears/complaint_form.html",
                       {"form": form, "error": _(ERR_TOO_MANY)}, status=429)
    result = case_intake(complaint=form.complaint, channel=c.Channel.PUBLIC, actor=None,
                         files=form.checked_files, ip_address=ip)
    request.session[SESSION_FILED] = {"number": result.case.number,
                                      "linked_to": result.linked_to.number if result.linked_to else ""}
    return HttpResponseRedirect(reverse("arrears:complaint_done"))


@never_cache
def complaint_done(request):
    """The receipt: the case number to keep (only for the browser that filed it)."""
    filed = request.session.get(SESSION_FILED)
    if not filed:
        return HttpResponseRedirect(reverse("arrears:complaint"))
    primary = ArrearsCase.objects.select_related("office").filter(
        number=filed.get("linked_to") or filed["number"]).first()
    if primary is None:
        return HttpResponseRedirect(reverse("arrears:complaint"))
    return _public(request, "arrears/complaint_done.html",
                   {"filed": filed, "case": primary, "clock": case_clock(primary)})


@never_cache
@csrf_protect
def status(request):
    """Progress of a case for the worker: needs the case number and the phone."""
    context = {"form": StatusForm(), "offices": None}
    if request.method != "POST":
        return _public(request, "arrears/status.html", context)
    form = StatusForm(request.POST)
    context["form"] = form
    ip = ratelimit.client_ip(request)
    number = (request.POST.get("number") or "").strip().upper()
    if not ratelimit.hit("status_ip", ip) or not ratelimit.peek("status_case", number):
        context["error"] = _(ERR_TOO_MANY)
        return _public(request, "arrears/status.html", context, status=429)
    if not form.is_valid():
        return _public(request, "arrears/status.html", context)
    from django.http import Http404

    try:
        case = case_for_worker(number=form.cleaned_data["number"], phone=form.cleaned_data["phone"])
    except Http404:
        ratelimit.hit("status_case", number)  # wrong phones on one number are counted
        context["error"] = _(ERR_NOT_FOUND)
        return _public(request, "arrears/status.html", context, status=404)
    context.update({
        "case": case, "clock": case_clock(case),
        "events": case_events(case=case, public_only=True),
        "closed": case.state in c.FINAL_STATES,
        "form": StatusForm(initial={"number": case.number}),
    })
    return _public(request, "arrears/status.html", context)


def offices(request):
    """Public list of the offices and their contacts (whom to call)."""
    return _public(request, "arrears/offices_public.html", {"offices": office_list(active_only=True)})
