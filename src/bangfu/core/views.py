from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from bangfu.core.models import AuditLog, Notice


@login_required
def home(request):
    notices = Notice.objects.filter(published=True)[:5]
    return render(request, "core/home.html", {"notices": notices})


@login_required
def audit_log(request):
    if not request.user.has_capability("audit.view"):
        raise Http404
    logs = AuditLog.objects.restrict(request.user).select_related("actor")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        logs = logs.filter(action__startswith=action)
    if actor:
        logs = logs.filter(actor_name=actor)
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "action": action, "actor": actor})
