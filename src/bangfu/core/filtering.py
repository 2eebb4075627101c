"""The base of bangfu's FilterSets (django-filter): one FilterSet per list serves its page, its
Excel export and its API endpoint, as NetBox does.

    filterset = PostingFilterSet(request.GET, queryset=JobPosting.objects.all(), user=request.user)
    filterset.qs          # the filtered queryset, still lazy
    filterset.values      # every filter's value ("" when not given), for the page's filter bar
    filterset.audit_detail()

A value that does not validate is ignored, so a hand-edited address still shows a list;
``strict=True`` refuses it instead (``ValidationError``, a 422 in the API) — for the API and
for anything that writes to what it selects, where a dropped filter would widen the action.
``defaults`` apply to what is not given (the posting list shows open postings unless asked).
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlencode

import django_filters
from django.core.exceptions import ValidationError

from bangfu.core.identifiers import looks_like_id_number, looks_like_mobile


class FilterSet(django_filters.FilterSet):
    defaults: ClassVar[dict[str, str]] = {}

    def __init__(self, data=None, queryset=None, *, user=None, strict: bool = False, prefix=None):
        if data is not None or self.defaults:
            given = {} if data is None else {k: data.get(k) for k in data.keys()}
            data = {**self.defaults, **{k: v for k, v in given.items() if v not in (None, "")}}
        super().__init__(data, queryset, prefix=prefix)
        self.user = user  # whose list it is: filters such as "my area's" read it
        self.strict = strict

    @property
    def qs(self):
        if self.strict and self.is_bound and not self.is_valid():
            raise ValidationError({name: [str(m) for m in errors] for name, errors in self.form.errors.items()})
        return super().qs

    @property
    def values(self) -> dict:
        """Each filter's valid value, ``""`` for a filter not given or not valid."""
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: "" if cleaned.get(name) in (None, "") else cleaned[name] for name in self.filters}

    def is_empty(self) -> bool:
        return all(value == "" for name, value in self.values.items() if name not in self.defaults)

    def query_string(self) -> str:
        """The filters as a query string, for links that keep them (export, pager)."""
        return urlencode({k: v for k, v in self.values.items() if v != ""})

    def audit_detail(self) -> dict:
        """The filters for an audit row: a searched ID number or phone is not written down."""
        detail = {k: str(v) for k, v in self.values.items() if v != ""}
        for key, value in detail.items():
            if looks_like_id_number(value) or looks_like_mobile(value):
                detail[key] = "***"
        return detail
