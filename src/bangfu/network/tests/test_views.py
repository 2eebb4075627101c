"""The network's pages: area isolation of every register, the helper's "my people" with its
filters, the call (assigned helper only), two-tap services, and a hire closing the job."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import AuditLog
from bangfu.core.months import month_of, shift_month
from bangfu.core.testing import AreaIsolationCases
from bangfu.jobs.models import Application
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.network.models import ServiceRecord
from bangfu.network.tests.factories import (
    CaseloadFactory, GigMarketFactory, HelperFactory, ServiceRecordFactory, WorkshopFactory, WorkshopMemberFactory,
)
from bangfu.registry.tests.factories import FENGDU, HouseholdFactory, PersonFactory

TODAY = timezone.localdate()
MONTH = month_of(TODAY)


class TestMarketAreaIsolation(AreaIsolationCases):
    list_url = "/network/markets/"
    api_list_url = "/api/v1/network/markets"

    def make_object(self, district_code, township_code):
        return GigMarketFactory(district_code=district_code, township_code=township_code, name="隔离测试驿站")

    def detail_url_for(self, obj):
        return reverse("network:market", args=[obj.pk])


class TestWorkshopAreaIsolation(AreaIsolationCases):
    list_url = "/network/workshops/"
    api_list_url = "/api/v1/network/workshops"

    def make_object(self, district_code, township_code):
        return WorkshopFactory(district_code=district_code, township_code=township_code, name="隔离测试车间")

    def detail_url_for(self, obj):
        return reverse("network:workshop", args=[obj.pk])


class TestRosterAreaIsolation(AreaIsolationCases):
    list_url = "/network/workshops/roster/"

    def make_object(self, district_code, township_code):
        shop = WorkshopFactory(district_code=district_code, township_code=township_code)
        return WorkshopMemberFactory(workshop=shop, person=PersonFactory(name="隔离测试工", district_code=district_code,
                                                                         township_code=township_code))

    def row_marker(self, obj):
        return obj.person.name


class TestHelperAreaIsolation(AreaIsolationCases):
    list_url = "/network/helpers/"
    api_list_url = "/api/v1/network/helpers"

    def make_object(self, district_code, township_code):
        return HelperFactory(district_code=district_code, township_code=township_code, name="隔离测试经纪人")


class TestServiceAreaIsolation(AreaIsolationCases):
    list_url = "/network/services/"
    list_query = "?month=2024-03"

    def make_object(self, district_code, township_code):
        return ServiceRecordFactory(person=PersonFactory(name="隔离测试服务", district_code=district_code,
                                                         township_code=township_code))

    def row_marker(self, obj):
        return obj.person.name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["index", "markets", "workshops", "roster", "helpers", "services",
                                  "zero_households", "my_people"])
def test_every_page_opens(client, make_user, name):
    client.force_login(make_user("city_admin", "50"))
    assert client.get(reverse(f"network:{name}")).status_code == 200


@pytest.mark.django_db
def test_the_roster_downloads_as_excel_with_masked_ids(client, make_user):
    member = WorkshopMemberFactory()
    client.force_login(make_user("district_officer", FENGDU))
    response = client.get(reverse("network:roster") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("认定编号", "车间名称", "姓名")
    assert rows[1][2] == member.person.name
    assert rows[1][3] != member.person.id_number and "*" in rows[1][3]


@pytest.fixture
def broker(make_user):
    user = make_user(role="broker", area_code=FENGDU)
    return user, HelperFactory(user=user)


def _person(**kw):
    return PersonFactory(skills="6-29-01-01", phone="13811112222", **kw)


@pytest.mark.django_db
def test_my_people_filters_by_status(client, broker):
    user, helper = broker
    idle = _person(name="闲在家")
    working = _person(name="在务工")
    EmploymentMonthFactory(person=working, month=MONTH)
    back = _person(name="返乡人")
    EmploymentMonthFactory(person=back, month=shift_month(MONTH, -4), place_class="out_of_city")
    served = _person(name="已服务")
    ServiceRecordFactory(helper=helper, person=served, served_on=TODAY, month=MONTH)
    EmploymentMonthFactory(person=served, month=MONTH)
    for p in (idle, working, back, served):
        CaseloadFactory(helper=helper, person=p)
    CaseloadFactory(person=_person(name="别人的"))  # another helper's worker
    client.force_login(user)

    def names(status=""):
        html = client.get(reverse("network:my_people") + (f"?status={status}" if status else "")).content.decode()
        return {n for n in ("闲在家", "在务工", "返乡人", "已服务", "别人的") if n in html}

    assert names() == {"闲在家", "在务工", "返乡人", "已服务"}
    assert names("unemployed") == {"闲在家", "返乡人"}
    assert names("back_home") == {"返乡人"}
    assert names("unserved") == {"闲在家", "在务工", "返乡人"}
    assert names("zero_household") == {"闲在家", "返乡人"}


@pytest.mark.django_db
def test_the_call_reveals_the_phone_only_to_the_assigned_helper(client, broker, make_user):
    user, helper = broker
    person = _person()
    CaseloadFactory(helper=helper, person=person)
    client.force_login(user)
    response = client.post(reverse("network:call", args=[person.pk]))
    assert response.status_code == 200 and "13811112222" in response.content.decode()
    assert AuditLog.objects.filter(action="person.view_phone", actor=user).count() == 1
    assert ServiceRecord.objects.get(person=person).kind == "call"
    other = make_user(role="broker", area_code=FENGDU)
    HelperFactory(user=other)
    client.force_login(other)
    response = client.post(reverse("network:call", args=[person.pk]))
    assert response.status_code == 403 and "13811112222" not in response.content.decode()
    page = client.get(reverse("network:my_people")).content.decode()
    assert "13811112222" not in page


@pytest.mark.django_db
def test_a_helper_cannot_open_or_serve_another_helper_s_caseload_by_naming_it(client, broker, make_user):
    user, helper = broker
    theirs = HelperFactory(user=make_user(role="broker", area_code=FENGDU))
    person = _person(name="别人的服务对象")
    CaseloadFactory(helper=theirs, person=person)
    client.force_login(user)
    response = client.get(reverse("network:my_people") + f"?helper={theirs.pk}")
    assert response.status_code == 403 and "别人的服务对象" not in response.content.decode()
    assert client.get(f"/api/v1/network/my-people?helper={theirs.pk}").status_code == 403
    client.post(reverse("network:serve", args=[person.pk]), {"kind": "visit", "helper": theirs.pk})
    assert not ServiceRecord.objects.filter(helper=theirs).exists()
    # an officer keeping the helpers' register may open it
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    page = client.get(reverse("network:my_people") + f"?helper={theirs.pk}").content.decode()
    assert "别人的服务对象" in page


@pytest.mark.django_db
def test_a_bad_posting_number_is_a_404_not_a_system_error(client, broker):
    user, helper = broker
    person = _person()
    CaseloadFactory(helper=helper, person=person)
    client.force_login(user)
    assert client.post(reverse("network:hire", args=[person.pk]), {"posting": "12abc"}).status_code == 404


@pytest.mark.django_db
def test_a_service_is_two_taps_and_a_hire_closes_the_recommendation(client, broker):
    user, helper = broker
    person = _person(name="待就业")
    CaseloadFactory(helper=helper, person=person)
    posting = JobPostingFactory(headcount=5, filled_count=0, title="测试钢筋工")
    client.force_login(user)
    offered = f'name="posting" value="{posting.pk}"'
    page = client.get(reverse("network:my_people")).content.decode()
    assert "测试钢筋工" in page and offered in page
    client.post(reverse("network:serve", args=[person.pk]), {"kind": "visit"})
    assert ServiceRecord.objects.get(person=person).helper == helper
    client.post(reverse("network:hire", args=[person.pk]), {"posting": posting.pk})
    assert Application.objects.get(person=person, posting=posting).status == "hired"
    page = client.get(reverse("network:my_people")).content.decode()
    assert offered not in page  # the hired job is no longer offered


@pytest.mark.django_db
def test_a_zero_employment_household_short_of_offers_is_listed(client, make_user):
    short = HouseholdFactory(number="ZERO-SHORT")
    PersonFactory(household=short)
    busy = HouseholdFactory(number="ZERO-WORKS")
    EmploymentMonthFactory(person=PersonFactory(household=busy), month=MONTH)
    client.force_login(make_user("district_officer", FENGDU))
    html = client.get(reverse("network:zero_households")).content.decode()
    assert "ZERO-SHORT" in html and "ZERO-WORKS" not in html
