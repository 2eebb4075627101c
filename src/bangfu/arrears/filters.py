"""The filters of the arrears case list: one FilterSet serves the officers' page, its Excel
export and the API endpoint.

    filterset = CaseFilterSet(request.GET, user=request.user)
    filterset.qs   # the cases of the user's area or office that the filters select, sorted

Without a ``queryset`` the FilterSet starts from the cases the user may see
(``ArrearsCase.objects.restrict``), so it can narrow what the restricted selector returns but
never widen it. Query strings are typed by anyone: control characters are stripped and every
value is cut at 100 characters before it is validated.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.arrears import choices as c
from bangfu.arrears.models import ArrearsCase
from bangfu.core.filtering import FilterSet
from bangfu.core.months import API_MONTH_PATTERN, parse_month, shift_month

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
MAX_VALUE_LENGTH = 100
YES = "1"

STATE_GROUPS = {"open": c.OPEN_STATES, "final": c.FINAL_STATES}
STATE_CHOICES = [("open", _("办理中（全部未办结）")), ("all", _("全部")), ("final", _("已办结或不予受理")),
                 *c.State.choices]
# None: the priority order of ``ArrearsCase.objects.by_priority()``.
SORTS = {
    "priority": None,
    "received": ("-received_at", "-id"),
    "due": ("accept_due", "finish_due", "id"),
    "amount": ("-amount_owed_fen", "-id"),
}
SORT_CHOICES = [("priority", _("优先级")), ("due", _("期限")), ("received", _("登记时间")), ("amount", _("金额"))]
DEFAULT_SORT = "priority"
ERR_MONTH = _("应为 YYYY-MM 格式的月份，例如 2024-09")


def clean_value(value):
    """A query-string value as the filters see it: no control characters, at most 100 long."""
    if value is None:
        return None
    return CONTROL_RE.sub("", str(value)).strip()[:MAX_VALUE_LENGTH]


class CaseFilterSet(FilterSet):
    """Cases by state (or the groups open / final / all), office, registry persons, overdue,
    escalated, month of receipt and case number or employer; sorted by priority unless asked.

    ``office`` offers (and accepts) only the offices whose cases the user may see.
    """

    defaults = {"state": "open", "sort": DEFAULT_SORT}

    state = django_filters.ChoiceFilter(label=_("状态"), choices=STATE_CHOICES, method="filter_state",
                                        empty_label=None)
    office = django_filters.ChoiceFilter(label=_("办理机构"), field_name="office__code",
                                         empty_label=_("全部机构"))
    registry = django_filters.ChoiceFilter(label=_("人员"), choices=[(YES, _("仅脱贫人口"))],
                                           method="filter_registry", empty_label=_("全部"))
    overdue = django_filters.ChoiceFilter(label=_("期限"), choices=[(YES, _("仅超期"))],
                                          method="filter_overdue", empty_label=_("全部"))
    escalated = django_filters.ChoiceFilter(label=_("督办"), choices=[(YES, _("市级督办"))],
                                            method="filter_escalated", empty_label=_("全部"))
    month = django_filters.CharFilter(label=_("登记月份"), method="filter_month",
                                      validators=[RegexValidator(API_MONTH_PATTERN, message=ERR_MONTH)])
    q = django_filters.CharFilter(label=_("案件号或用人单位"), method="filter_q", max_length=MAX_VALUE_LENGTH)
    # Applied last, whatever the other filters did (see filter_queryset).
    sort = django_filters.ChoiceFilter(label=_("排序"), choices=SORT_CHOICES, method="filter_sort",
                                       empty_label=None)

    class Meta:
        model = ArrearsCase
        fields = ()

    def __init__(self, data=None, queryset=None, *, user=None, today: dt.date | None = None,
                 strict: bool = False, prefix=None):
        if data is not None:
            data = {key: clean_value(data.get(key)) for key in data.keys()}
        if queryset is None:
            queryset = ArrearsCase.objects.restrict(user).select_related("office")
        super().__init__(data, queryset, user=user, strict=strict, prefix=prefix)
        self.today = today or timezone.localdate()
        # Read when the form is validated with an office or rendered, not for every list.
        self.filters["office"].extra["choices"] = lambda: [(o.code, o.name) for o in self.offices]

    @cached_property
    def offices(self) -> list:
        """The offices whose cases the user may see: the choices of ``office``."""
        from bangfu.arrears.selectors import offices_visible  # selectors import this module

        return list(offices_visible(user=self.user))

    # ---- the filters ------------------------------------------------------------------------
    def filter_state(self, qs, name, value):
        if value in STATE_GROUPS:
            return qs.filter(state__in=STATE_GROUPS[value])
        if value in c.State.values:
            return qs.filter(state=value)
        return qs  # "all"

    def filter_registry(self, qs, name, value):
        return qs.filter(from_registry=True)

    def filter_overdue(self, qs, name, value):
        return qs.overdue(self.today)

    def filter_escalated(self, qs, name, value):
        return qs.filter(escalated_at__isnull=False)

    def filter_month(self, qs, name, value):
        year, month = parse_month(value)
        first = dt.date(year, month, 1)
        following = dt.date(*parse_month(shift_month(value, 1)), 1)
        return qs.filter(received_on__gte=first, received_on__lt=following)

    def filter_q(self, qs, name, value):
        return qs.filter(Q(number__iexact=value) | Q(employer_name__icontains=value))

    def filter_sort(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        order = SORTS[self.form.cleaned_data.get("sort") or DEFAULT_SORT]
        return qs.by_priority() if order is None else qs.order_by(*order)

    # ---- for the page -----------------------------------------------------------------------
    def query_string(self) -> str:
        """The filters that differ from the defaults, for links that keep them (export, pager)."""
        return urlencode({k: v for k, v in self.values.items() if v != "" and v != self.defaults.get(k)})

    def error_messages(self) -> list[str]:
        """Each refused value as "label: message", for the page's filter bar."""
        self.is_valid()
        return [f"{self.filters[name].label}：{message}" if name in self.filters else str(message)
                for name, messages in self.form.errors.items() for message in messages]
