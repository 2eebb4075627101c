"""A gig market's pages: the market with its gig postings (零工需求: day or piece pay, headcount,
date) and the form to post one; a posting with its matches (零工对接) and their outcome. Writes go
through ``network.services``; another area's market or posting is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.pagination import page_of
from bangfu.network import choices as c
from bangfu.network import forms as f
from bangfu.network import selectors
from bangfu.network.errors import NetworkError
from bangfu.network.views.forms import ERR_NOT_SAVED
from bangfu.network.permissions import CAPABILITY_SERVE
from bangfu.network.services import gig_match_record, gig_posting_create


def _market_page(request, market, form=None, status: int = 200):
    if status != 200:
        messages.error(request, _(ERR_NOT_SAVED))
    postings = selectors.gig_posting_list(user=request.user, market=market).order_by("-work_date", "-id")
    return render(request, "network/market_detail.html", {
        "market": market, "page": page_of(request, postings), "form": form or f.GigPostingForm(),
        "serve": request.user.has_capability(CAPABILITY_SERVE)}, status=status)


@login_required
def market_detail(request, pk: int):
    return _market_page(request, selectors.market_get(user=request.user, market_id=pk))


@login_required
@require_POST
def gig_new(request, pk: int):
    require(request.user, CAPABILITY_SERVE)
    market = selectors.market_get(user=request.user, market_id=pk)
    form = f.GigPostingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            posting = gig_posting_create(actor=request.user, market=market, employer_name=data["employer_name"],
                                         title=data["title"], pay_basis=data["pay_basis"], pay_fen=form.pay_fen,
                                         headcount=data["headcount"], work_date=data["work_date"])
        except NetworkError as exc:
            for field, text in exc.fields.items():
                form.add_error(field if field in form.fields else None, text)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("已发布零工需求：%(title)s") % {"title": posting.title})
            return redirect("network:gig", pk=posting.pk)
    return _market_page(request, market, form=form, status=422)


def _gig_page(request, posting, form=None, status: int = 200):
    if status != 200:
        messages.error(request, _(ERR_NOT_SAVED))
    matches = list(selectors.gig_matches(user=request.user, posting=posting))
    worked = sum(1 for m in matches if m.outcome == c.GigOutcome.WORKED)
    return render(request, "network/gig_detail.html", {
        "posting": posting, "matches": matches, "worked": worked, "outcomes": c.GigOutcome.choices,
        "form": form or f.GigMatchForm(user=request.user), "serve": request.user.has_capability(CAPABILITY_SERVE),
    }, status=status)


@login_required
def gig_detail(request, pk: int):
    return _gig_page(request, selectors.gig_posting_get(user=request.user, posting_id=pk))


@login_required
@require_POST
def gig_match(request, pk: int):
    require(request.user, CAPABILITY_SERVE)
    posting = selectors.gig_posting_get(user=request.user, posting_id=pk)
    form = f.GigMatchForm(request.POST, user=request.user)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            gig_match_record(actor=request.user, posting=posting, person=person, outcome=form.cleaned_data["outcome"],
                             new=True)
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记对接：%(name)s") % {"name": person.name})
            return redirect("network:gig", pk=posting.pk)
    return _gig_page(request, posting, form=form, status=422)


@login_required
@require_POST
def gig_outcome(request, pk: int):
    """What came of a match (the same row is updated)."""
    require(request.user, CAPABILITY_SERVE)
    match = selectors.gig_match_get(user=request.user, match_id=pk)
    form = f.GigOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择对接结果"))
    else:
        try:
            gig_match_record(actor=request.user, posting=match.posting, person=match.person,
                             outcome=form.cleaned_data["outcome"])
        except NetworkError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已更新对接结果：%(name)s") % {"name": match.person.name})
    return redirect("network:gig", pk=match.posting_id)
