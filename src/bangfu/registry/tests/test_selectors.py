import datetime as dt

import pytest
from django.core.cache import cache
from django.http import Http404

from bangfu.registry.filters import PersonFilter
from bangfu.registry.selectors import household_members, person_get, person_list, registry_counts
from bangfu.registry.tests.factories import (
    FENGDU,
    FENGDU_TOWNSHIP,
    WANZHOU,
    WANZHOU_TOWNSHIP,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_person_list_keeps_only_the_users_area(make_user):
    mine = PersonFactory()
    PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    user = make_user(role="district_officer", area_code=FENGDU)
    assert list(person_list(user=user)) == [mine]


def test_city_user_sees_every_district(make_user):
    PersonFactory()
    PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    assert person_list(user=make_user()).count() == 2


def test_a_filter_cannot_widen_the_area(make_user):
    PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    user = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    assert person_list(user=user, filters=PersonFilter(district=WANZHOU)).count() == 0


def test_worker_filter_uses_the_worker_definition(make_user):
    PersonFactory(birth_date=dt.date(1990, 1, 1), labour_ability="weak")
    PersonFactory(birth_date=dt.date(1990, 1, 1), labour_ability="lost")
    PersonFactory(birth_date=dt.date(1950, 1, 1), labour_ability="ordinary")
    user = make_user()
    assert person_list(user=user, filters=PersonFilter(worker=True)).count() == 1
    assert person_list(user=user, filters=PersonFilter(worker=False)).count() == 2


def test_search_by_phone_uses_the_lookup_hash(make_user):
    PersonFactory(name="甲", phone="13511112222")
    PersonFactory(name="乙", phone="13533334444")
    found = person_list(user=make_user(), filters=PersonFilter(q="13533334444"))
    assert [p.name for p in found] == ["乙"]


def test_person_get_outside_the_area_raises_404(make_user):
    person = PersonFactory()
    with pytest.raises(Http404):
        person_get(user=make_user(role="district_officer", area_code=WANZHOU), person_id=person.pk)


def test_household_members_are_the_household_only(make_user):
    head = PersonFactory()
    spouse = PersonFactory(household=head.household, relation="spouse")
    PersonFactory()
    members = household_members(user=make_user(), household=head.household)
    assert set(members) == {head, spouse}


def test_registry_counts_are_per_area(make_user):
    cache.clear()
    PersonFactory(birth_date=dt.date(1990, 1, 1))
    PersonFactory(birth_date=dt.date(1940, 1, 1))
    PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    counts = registry_counts(user=make_user(role="district_officer", area_code=FENGDU))
    assert counts == {"persons": 2, "workers": 1, "households": 2}


def test_audit_detail_hides_a_searched_id_number():
    assert PersonFilter(q="500230198506010011").audit_detail() == {"q": "***"}
    assert PersonFilter(q="张", category="monitored").audit_detail() == {"q": "张", "category": "monitored"}
