"""Registry pages: the person list (filters, paging, Excel export) and the person detail.

The filters bar is a POST form: a full ID number or phone typed into it must never reach a
URL, where access logs, proxies and browser history keep it. The POST answers with a
redirect to the list whose query string carries the value's lookup hash (``qh``) instead;
a GET with a full value in ``q`` is not searched: it is redirected, without it, to a message.

Other apps show their own facts on the person page (employment, subsidies, job pushes)
without editing it: ``person_panel`` in ``bangfu/<app>/panels.py``, see bangfu.core.panels.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.core import panels
from bangfu.core.background import export_rows_threshold
from bangfu.core.background_views import start_from_page
from bangfu.core.capabilities import Capability
from bangfu.core.exports import xlsx_response
from bangfu.core.scoping import CITY_CODE
from bangfu.registry import selectors
from bangfu.registry.work import EXPORT_WORK, export_params
from bangfu.registry.filters import WORKER_NO, WORKER_YES, PersonFilter, PersonFilterForm, township_choices
from bangfu.registry.pii_services import (
    CAPABILITY_VIEW_FULL_PII,
    ExportTooLarge,
    PiiSearchLimitReached,
    person_list_export,
    person_pii_reveal,
    person_pii_search,
)

ERR_PII_IN_URL = gettext_noop("证件号码和手机号码不能放在网址中：请在查询框中输入，再点“查询”")


def _page_size() -> int:
    return int(settings.BANGFU.get("PAGE_SIZE", 50))


def _query_of(filters: PersonFilter) -> str:
    """The query string of ``filters`` for the list URL (a full ID or phone only as its hash)."""
    pairs = [("district", filters.district), ("township", filters.township),
             ("category", filters.category), ("labour_ability", filters.labour_ability),
             ("worker", {True: WORKER_YES, False: WORKER_NO}.get(filters.worker, "")),
             ("q", filters.q), ("qh", filters.q_hash)]
    return urlencode([(k, v) for k, v in pairs if v])


def _url_filters(request) -> tuple[PersonFilterForm, PersonFilter, bool]:
    """The filters of a GET; a full ID number or phone in ``q`` is dropped (and said so)."""
    form = PersonFilterForm(request.GET or None, area_code=request.user.area_code)
    filters = form.filter()
    if filters.pii_kind():
        return form, replace(filters, q=""), True
    return form, filters, False


def _decorate(persons, today: dt.date) -> None:
    """Age and worker status for display (computed, not stored)."""
    for p in persons:
        p.age = p.display_age(today)
        p.worker_now = p.is_worker_on(today)


def _import_url(user) -> str:
    """The import page, when it exists and the user may import."""
    if not user.has_capability(Capability.IMPORT_REGISTRY):
        return ""
    try:
        return reverse("imports:index")
    except NoReverseMatch:
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request):
    if request.method == "POST":
        return _person_search(request)
    form, filters, refused = _url_filters(request)
    if refused:  # off this URL at once: the language switch and the paging links would repeat it
        messages.error(request, _(ERR_PII_IN_URL))
        query = _query_of(filters)
        return redirect(reverse("registry:person_list") + (f"?{query}" if query else ""))
    qs = selectors.person_list(user=request.user, filters=filters)
    page = Paginator(qs, _page_size()).get_page(request.GET.get("page"))
    _decorate(page.object_list, timezone.localdate())
    return render(request, "registry/person_list.html", {
        "form": form,
        "page": page,
        "query": _query_of(filters),  # never a refused full value again, in the paging links
        "filtered": not filters.is_empty(),
        "hashed_search": filters.q_hash,
        "q_value": filters.q,
        "import_url": _import_url(request.user),
        # below city level every row is in the user's own district: no column for it
        "show_district": request.user.area_code == CITY_CODE,
    })


def _person_search(request):
    """POST of the filters bar: redirect to the list with a full ID or phone as its hash."""
    form = PersonFilterForm(request.POST, area_code=request.user.area_code)
    submitted = form.filter()
    if submitted.q:  # a new search replaces the hidden hash of the previous one
        submitted = replace(submitted, q_hash="")
    try:
        filters = person_pii_search(actor=request.user, filters=submitted,
                                    ip_address=request.META.get("REMOTE_ADDR"))
    except PiiSearchLimitReached as exc:
        messages.error(request, str(exc))
        filters = replace(submitted, q="")
    query = _query_of(filters)
    return redirect(reverse("registry:person_list") + (f"?{query}" if query else ""))


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
    _form, filters, refused = _url_filters(request)
    if refused:  # never export more than was asked for: say why instead
        messages.error(request, _(ERR_PII_IN_URL))
        return redirect("registry:person_list")
    if selectors.person_list(user=request.user, filters=filters).count() > export_rows_threshold():
        back = reverse("registry:person_list") + (f"?{_query_of(filters)}" if _query_of(filters) else "")
        return start_from_page(request, kind=EXPORT_WORK, fallback=back,
                               params=export_params(filters, request.META.get("REMOTE_ADDR")))
    try:
        content = person_list_export(actor=request.user, filters=filters,
                                     ip_address=request.META.get("REMOTE_ADDR"))
    except ExportTooLarge as exc:
        messages.error(request, str(exc))
        query = _query_of(filters)
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
    full = person_pii_reveal(person=person, actor=request.user,
                             ip_address=request.META.get("REMOTE_ADDR"))
    if request.headers.get("HX-Request"):
        return render(request, "registry/_person_pii_rows.html", {"person": person, "full": full})
    return render(request, "registry/person_detail.html", _detail_context(request, person, full))
