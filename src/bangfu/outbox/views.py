"""The outbox page: the text messages of the user's area, queued and sent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bangfu.core.pagination import page_of
from bangfu.outbox import choices as c
from bangfu.outbox import selectors


@login_required
def index(request):
    status = request.GET.get("status", "")
    status = status if status in c.OutboxStatus.values else ""
    return render(request, "outbox/index.html", {
        "page": page_of(request, selectors.outbox_list(user=request.user, status=status)), "status": status,
        "statuses": c.OutboxStatus.choices})
