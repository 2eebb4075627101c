"""Filters of the entitlements list: one FilterSet serves the review page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from bangfu.core.filtering import FilterSet
from bangfu.policies import choices as c
from bangfu.policies.models import Entitlement


class EntitlementFilterSet(FilterSet):
    policy = django_filters.CharFilter(label=_("政策"), field_name="policy__code", max_length=50)
    period = django_filters.CharFilter(label=_("期间"), max_length=4)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=c.EntitlementStatus.choices)
    district = django_filters.CharFilter(label=_("区县"), field_name="district_code", max_length=6)
    township = django_filters.CharFilter(label=_("乡镇（街道）"), field_name="township_code", max_length=9)
    kind = django_filters.ChoiceFilter(label=_("受益对象"), field_name="beneficiary_kind",
                                       choices=c.BeneficiaryKind.choices)
    run = django_filters.NumberFilter(label=_("运行"), field_name="run_id", min_value=1)
    no_account = django_filters.BooleanFilter(label=_("缺少收款账户"), method="filter_no_account")

    class Meta:
        model = Entitlement
        fields = ()

    def filter_no_account(self, queryset, name, value):
        """Person entitlements whose person has no payee account (what a batch leaves out)."""
        from django.db.models import Exists, OuterRef

        from bangfu.payments.models import PayeeAccount

        if value is None:
            return queryset
        has = Exists(PayeeAccount.objects.filter(person_id=OuterRef("person_id")))
        persons = queryset.filter(beneficiary_kind=c.BeneficiaryKind.PERSON)
        return persons.filter(~has) if value else persons.filter(has)
