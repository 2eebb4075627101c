"""Registry pages: the person list (filters, paging, Excel export) and the person detail.

Other apps show their own facts on the person page without editing it: a module
``bangfu/<app>/panels.py`` with ``person_panel(*, request, person) -> dict | None`` returning
``{"title": ..., "template": "<app>/_person_panel.html", "context": {...}, "order": 50}``;
the template is included with ``panel`` in its context (read ``panel.context.<name>``).
Return ``None`` to show nothing (no data, or the user may not see it).
"""

from __future__ import annotations

import datetime as dt
import importlib
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bangfu.core.exports import xlsx_response
from bangfu.registry import selectors
from bangfu.registry.filters import PersonFilterForm, township_choices
from bangfu.registry.pii_services import (
    CAPABILITY_VIEW_FULL_PII,
    ExportTooLarge,
    person_list_export,
    person_pii_reveal,
)


def _page_size() -> int:
    return int(settings.BANGFU.get("PAGE_SIZE", 50))


def _query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def _decorate(persons, today: dt.date) -> None:
    """Age and worker status for display (computed, not stored)."""
    for p in persons:
        p.age = p.age_on(today)
        p.worker_now = p.is_worker_on(today)


@login_required
@require_GET
def person_list(request):
    form = PersonFilterForm(request.GET or None, area_code=request.user.area_code)
    filters = form.filter()
    qs = selectors.person_list(user=request.user, filters=filters)
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    _decorate(page.object_list, timezone.localdate())
    return render(request, "registry/person_list.html", {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "filtered": not filters.is_empty(),
    })


@login_required
@require_GET
def township_options(request):
    """htmx: the township <option>s of the chosen district, within the user's area."""
    district = request.GET.get("district", "")
    options = township_choices(request.user.area_code, district) if len(district) == 6 else []
    return render(request, "registry/_township_options.html", {"options": options})


@login_required
@require_GET
def person_export(request):
    form = PersonFilterForm(request.GET or None, area_code=request.user.area_code)
    try:
        content = person_list_export(actor=request.user, filters=form.filter(),
                                     ip_address=request.META.get("REMOTE_ADDR"))
    except ExportTooLarge as exc:
        messages.error(request, str(exc))
        query = _query_without_page(request)
        return redirect(reverse("registry:person_list") + (f"?{query}" if query else ""))
    return xlsx_response(content, filename_stem="人员花名册")


def person_panels(*, request, person) -> list[dict]:
    """Panels other apps contribute to the person page (see the module docstring)."""
    panels = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu.") or config.label == "registry":
            continue
        module_name = f"{config.name}.panels"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        build = getattr(module, "person_panel", None)
        panel = build(request=request, person=person) if build else None
        if panel:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 50))


def _detail_context(request, person, full=None) -> dict:
    today = timezone.localdate()
    members = list(selectors.household_members(user=request.user, household=person.household))
    _decorate(members + [person], today)
    return {
        "person": person,
        "members": members,
        "full": full,
        "can_view_full": request.user.has_capability(CAPABILITY_VIEW_FULL_PII),
        "panels": person_panels(request=request, person=person),
        "back_query": request.GET.get("back", ""),
    }


@login_required
@require_GET
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, person_id=pk)
    return render(request, "registry/person_detail.html", _detail_context(request, person))


@login_required
@require_POST
def person_reveal_pii(request, pk: int):
    """POST (htmx): the full ID number and phone, for officers with ``pii.view_full``; audited."""
    person = selectors.person_get(user=request.user, person_id=pk)  # outside the area: 404
    if not request.user.has_capability(CAPABILITY_VIEW_FULL_PII):
        raise PermissionDenied
    full = person_pii_reveal(person=person, actor=request.user,
                             ip_address=request.META.get("REMOTE_ADDR"))
    if request.headers.get("HX-Request"):
        return render(request, "registry/_person_pii.html", {"person": person, "full": full})
    return render(request, "registry/person_detail.html", _detail_context(request, person, full))
