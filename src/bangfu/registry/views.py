"""Registry pages: the person list (filters, paging, Excel export) and the person detail.

Other apps show their own facts on the person page (employment, subsidies, job pushes)
without editing it: ``person_panel`` in ``bangfu/<app>/panels.py``, see bangfu.core.panels.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bangfu.core import panels
from bangfu.core.exports import xlsx_response
from bangfu.core.scoping import CITY_CODE
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


def _import_url(user) -> str:
    """The import page, when it exists and the user may import."""
    if not user.has_capability("registry.import"):
        return ""
    try:
        return reverse("registry:import")
    except NoReverseMatch:
        return ""


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
        "import_url": _import_url(request.user),
        # below city level every row is in the user's own district: no column for it
        "show_district": request.user.area_code == CITY_CODE,
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


def _detail_context(request, person, full=None) -> dict:
    today = timezone.localdate()
    members = list(selectors.household_members(user=request.user, household=person.household))
    _decorate(members + [person], today)
    return {
        "person": person,
        "members": members,
        "full": full,
        "can_view_full": request.user.has_capability(CAPABILITY_VIEW_FULL_PII),
        "panels": panels.collect("person_panel", request=request, person=person),
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
        return render(request, "registry/_person_pii_rows.html", {"person": person, "full": full})
    return render(request, "registry/person_detail.html", _detail_context(request, person, full))
