"""Filters of the 渝职聘 lists: one FilterSet serves the page, the Excel export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.filtering import FilterSet
from bangfu.jobs import choices as c
from bangfu.jobs.models import Application, JobPosting, Push
from bangfu.registry.choices import CooperationRegion, RegionGroup

STATE_CHOICES = (("open", _("招聘中")), ("all", _("全部")), ("expired", _("已过期")), ("mine", _("本区域发布")))


class PostingFilterSet(FilterSet):
    """Postings are offered across districts: every officer reads them all; ``mine`` keeps the
    ones the user's area registered."""

    defaults = {"state": "open"}

    q = django_filters.CharFilter(label=_("关键词"), method="filter_q", max_length=60)
    state = django_filters.ChoiceFilter(label=_("状态"), choices=STATE_CHOICES, method="filter_state",
                                        empty_label=None)
    source = django_filters.ChoiceFilter(label=_("岗位来源"), choices=c.PostingSource.choices)
    occupation = django_filters.CharFilter(label=_("职业代码"), field_name="occupation_code",
                                           lookup_expr="startswith", max_length=12)
    district = django_filters.CharFilter(label=_("区县"), field_name="work_district_code", max_length=6)
    region_group = django_filters.ChoiceFilter(label=_("工作地一区两群"), field_name="work_region_group",
                                               choices=RegionGroup.choices)
    cooperation_region = django_filters.ChoiceFilter(label=_("劳务协作地区"), field_name="cooperation_region",
                                                     choices=CooperationRegion.choices)

    class Meta:
        model = JobPosting
        fields = ()

    def __init__(self, data=None, queryset=None, *, user=None, on=None, strict: bool = False, prefix=None):
        super().__init__(data, queryset, user=user, strict=strict, prefix=prefix)
        self.on = on or timezone.localdate()

    def filter_q(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(employer__name__icontains=value)
                         | Q(place_name__icontains=value))

    def filter_state(self, qs, name, value):
        if value == "open":
            return qs.open(self.on)
        if value == "expired":
            return qs.expired(self.on)
        if value == "mine":
            return qs.restrict(self.user)
        return qs


class PushFilterSet(FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", min_value=1)
    posting = django_filters.NumberFilter(field_name="posting_id", min_value=1)

    class Meta:
        model = Push
        fields = ()


class ApplicationFilterSet(FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=c.ApplicationStatus.choices)

    class Meta:
        model = Application
        fields = ()
