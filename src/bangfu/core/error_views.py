"""The error pages: a refusal (403) in Chinese, inside the site's navigation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from bangfu.core.actors import Forbidden


def forbidden(request, exception: PermissionDenied | None = None):
    """``handler403``: every ``PermissionDenied`` a view lets through, ``core.actors.Forbidden`` first."""
    if isinstance(exception, Forbidden):
        message = exception.message
    else:  # a bare PermissionDenied (Django's CSRF or a library): its text is not ours to show
        message = _("您没有访问此页面的权限。")
    return render(request, "403.html", {"message": message}, status=403)
