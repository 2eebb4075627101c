"""The outbox page: the text messages of the user's area, queued and sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from bangfu.outbox import choices as c
from bangfu.outbox import selectors


@login_required
def index(request):
    status = request.GET.get("status", "")
    status = status if status in c.OutboxStatus.values else ""
    size = int(settings.BANGFU.get("PAGE_SIZE", 50))
    page = Paginator(selectors.outbox_list(user=request.user, status=status), size).get_page(request.GET.get("page"))
    return render(request, "outbox/index.html", {"page": page, "status": status, "statuses": c.OutboxStatus.choices})
