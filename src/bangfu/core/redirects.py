"""Old addresses of pages that moved to another app keep working: ``moved_to("payments:batch")``
answers 308 (a permanent redirect that keeps the method and body, so a bookmarked page and a
form posted by an old tab both arrive), with the URL's arguments and query string carried over."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse


class HttpResponsePermanentRedirectKeepMethod(HttpResponsePermanentRedirect):
    status_code = 308


def moved_to(url_name: str):
    def view(request, **kwargs):
        url = reverse(url_name, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirectKeepMethod(f"{url}?{query}" if query else url)

    view.__name__ = f"moved_to_{url_name.replace(':', '_')}"
    return view
