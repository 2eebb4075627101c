import pytest

from bangfu.registry.models import Person
from bangfu.registry.tests.factories import (
    FENGDU,
    FENGDU_TOWNSHIP,
    WANZHOU,
    WANZHOU_TOWNSHIP,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "fengdu": PersonFactory(district_code=FENGDU, township_code=FENGDU_TOWNSHIP),
        "wanzhou": PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP),
    }


def test_city_admin_sees_every_district(make_user, people):
    user = make_user("city_admin", "50")
    assert set(Person.objects.restrict(user)) == set(people.values())


def test_district_officer_sees_only_their_district(make_user, people):
    user = make_user("district_officer", FENGDU)
    assert list(Person.objects.restrict(user)) == [people["fengdu"]]


def test_township_officer_sees_only_their_township(make_user, people):
    user = make_user("township_officer", WANZHOU_TOWNSHIP)
    assert list(Person.objects.restrict(user)) == [people["wanzhou"]]


def test_anonymous_or_inactive_user_sees_nothing(make_user, people):
    from django.contrib.auth.models import AnonymousUser

    assert Person.objects.restrict(AnonymousUser()).count() == 0
    user = make_user("city_admin", "50", is_active=False)
    assert Person.objects.restrict(user).count() == 0
