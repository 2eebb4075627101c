"""The public desk's doors: anyone may POST here, so the edge caps and counts them first."""

from __future__ import annotations

from bangfu.arrears import attachments
from bangfu.arrears.ratelimit import rate_of
from bangfu.core.edge import Door

JSON_BODY_CAP = 64 * 1024  # a complaint or a look-up as JSON is a few kilobytes


def _complaint_form_cap() -> int:
    # Every evidence file at its largest, plus the form fields and the multipart framing.
    return attachments.max_files() * attachments.max_bytes() + 1024 * 1024


def _refuse_complaint(request):
    from bangfu.arrears.views.public import complaint_refused

    return complaint_refused(request)


def _refuse_status(request):
    from bangfu.arrears.views.public import status_refused

    return status_refused(request)


def _refuse_api(request):
    from bangfu.arrears.api import too_many

    return too_many(request)


DOORS = [
    Door(view_name="arrears:complaint", group="arrears.complaint_ip", rate=rate_of("complaint_ip"),
         refuse=_refuse_complaint, max_body=_complaint_form_cap),
    Door(view_name="api:public_complaint", group="arrears.complaint_ip", rate=rate_of("complaint_ip"),
         refuse=_refuse_api, max_body=lambda: JSON_BODY_CAP),
    Door(view_name="arrears:status", group="arrears.status_ip", rate=rate_of("status_ip"),
         refuse=_refuse_status, max_body=lambda: JSON_BODY_CAP),
    Door(view_name="api:public_status", group="arrears.status_ip", rate=rate_of("status_ip"),
         refuse=_refuse_api, max_body=lambda: JSON_BODY_CAP),
]
