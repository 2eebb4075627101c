"""One pagination for the pages and one for the API; both slice a lazy queryset, so a page
reads one page of rows and one COUNT, whatever the size of the list.

    page = page_of(request, selectors.person_list(user=request.user, filters=f))   # a page

    @router.get("/things", response=list[ThingOut])
    @paginate(ApiPagination)
    def thing_list(request):                                                      # the API
        return Mapped(selectors.thing_list(user=request.user), ThingOut.of)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200


def page_size() -> int:
    """Rows a list page shows (``BANGFU["PAGE_SIZE"]``, 50 unless set)."""
    from bangfu.core import parameters

    return int(parameters.get("PAGE_SIZE", 50))


def page_of(request, items, per_page: int | None = None) -> Page:
    """The page ``?page=`` asks for; a page out of range or not a number gives the nearest one."""
    return Paginator(items, per_page or page_size()).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The query string of the list without its page, for the pager's links and the export."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


class ApiPagination(PageNumberPagination):
    """Page-number paging, 50 a page, at most 200; a page number too large for the database is a 422."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="页码，从 1 开始")
        page_size: int | None = Field(None, ge=1, le=API_MAX_PAGE_SIZE,
                                      description=f"每页条数，默认 {API_PAGE_SIZE}，最多 {API_MAX_PAGE_SIZE}")

    def __init__(self, **kwargs):
        super().__init__(page_size=API_PAGE_SIZE, max_page_size=API_MAX_PAGE_SIZE, **kwargs)


class Mapped:
    """A queryset seen through ``convert``: only the rows of the page asked for are read and
    converted (ninja's paginator slices it and asks its length)."""

    def __init__(self, queryset, convert: Callable[[Any], Any]) -> None:
        self.queryset, self.convert = queryset, convert

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.convert(row) for row in self.queryset[item]]
        return self.convert(self.queryset[item])
