"""The person FilterSet: the page's form for the user's area, and the filter of the API and export."""

import pytest

from bangfu.registry.filters import PersonFilter, PersonFilterForm, PersonFilterSet
from bangfu.registry.tests.factories import (
    FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_the_form_offers_only_the_districts_and_townships_of_the_users_area():
    form = PersonFilterForm(None, area_code=FENGDU)
    assert [code for code, _ in form.fields["district"].choices if code] == [FENGDU]
    assert form["district"].initial == FENGDU
    assert all(code.startswith(FENGDU) for code, _ in form.fields["township"].choices if code)
    refused = PersonFilterForm({"district": WANZHOU, "township": WANZHOU_TOWNSHIP}, area_code=FENGDU)
    assert refused.filter() == PersonFilter()  # outside the area: ignored, not an error page


def test_a_township_is_accepted_without_its_district():
    wanted = PersonFactory(township_code=FENGDU_TOWNSHIP)
    PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    assert list(PersonFilter(township=FENGDU_TOWNSHIP).apply(wanted.__class__.objects.all())) == [wanted]


def test_the_value_and_the_filterset_filter_alike():
    PersonFactory(category="monitored", labour_ability="weak")
    PersonFactory(category="alleviated", labour_ability="weak")
    qs = PersonFactory._meta.model.objects.all()
    value = PersonFilter(category="monitored", labour_ability="weak")
    assert value.as_data() == {"category": "monitored", "labour_ability": "weak"}
    assert list(value.apply(qs)) == list(PersonFilterSet(value.as_data(), queryset=qs).qs)
    assert value.apply(qs).count() == 1
