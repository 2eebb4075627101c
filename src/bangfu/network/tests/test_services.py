"""The network's writes: rules, refusals in Chinese, audit rows and the database's own guards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bangfu.core.actors import Forbidden
from bangfu.core.models import AuditLog
from bangfu.core.places import place_facts
from bangfu.monitoring.models import EmploymentMonth
from bangfu.network import choices as c
from bangfu.network import errors as e
from bangfu.network.models import Caseload, MarketServiceRecord, ServiceRecord
from bangfu.network.services import (
    NetworkError, caseload_assign, gig_posting_create, helper_advance, helper_apply, market_save,
    network_service_record, outflow_batch_create, person_call, workshop_apply, workshop_exit, workshop_member_save,
    workshop_rating_record, workshop_recognise, workshop_start,
)
from bangfu.network.tests.factories import CaseloadFactory, GigMarketFactory, HelperFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


def test_a_bought_market_needs_its_operator_and_contract(county):
    with pytest.raises(NetworkError) as err:
        market_save(actor=county, code="LG1", name="驿站", kind="station", operation="purchased",
                    district_code=FENGDU)
    assert err.value.message == _(e.ERR_OPERATOR)
    market, created = market_save(actor=county, code="LG1", name="驿站", kind="station", operation="purchased",
                                  operator_name="某人力资源公司", contract_start=dt.date(2024, 1, 1),
                                  contract_end=dt.date(2025, 12, 31), listed=True, district_code=FENGDU)
    assert created and market.listed
    assert AuditLog.objects.filter(action="gig_market.create", object_id=str(market.pk)).exists()
    again, created = market_save(actor=county, code="LG1", name="驿站", kind="station", operation="purchased",
                                 operator_name="某人力资源公司", contract_start=dt.date(2024, 1, 1),
                                 contract_end=dt.date(2025, 12, 31), listed=True, district_code=FENGDU)
    assert again.pk == market.pk and not created
    assert AuditLog.objects.filter(action__startswith="gig_market.").count() == 1  # nothing changed


def test_a_district_officer_cannot_register_a_market_of_another_district(county):
    with pytest.raises(Forbidden):
        market_save(actor=county, code="LG2", name="驿站", kind="station", operation="desk", district_code=WANZHOU)


def test_a_gig_posting_is_a_matching_service_of_its_market(county):
    market = GigMarketFactory()
    with pytest.raises(NetworkError):
        gig_posting_create(actor=county, market=market, employer_name="合作社", title="采摘", pay_basis="day",
                           pay_fen=15000, headcount=0, work_date=dt.date(2024, 10, 1))
    gig_posting_create(actor=county, market=market, employer_name="合作社", title="采摘", pay_basis="day",
                       pay_fen=15000, headcount=3, work_date=dt.date(2024, 10, 1))
    assert MarketServiceRecord.objects.filter(market=market, service="matching").count() == 1


def _apply(county):
    from bangfu.employers.tests.factories import EmployerFactory

    return workshop_apply(actor=county, code="BF1", name="竹编车间", employer=EmployerFactory(),
                          district_code=FENGDU, township_code=FENGDU_TOWNSHIP, workshop_type="home",
                          applied_on=dt.date(2024, 1, 10))


def test_a_workshop_is_recognised_only_with_enough_alleviated_workers(county, settings):
    settings.BANGFU = {**settings.BANGFU, "NETWORK_WORKSHOP_MIN_WORKERS": 3}
    shop = _apply(county)
    assert not shop.active
    people = [PersonFactory() for _ in range(3)]
    for p in people[:2]:
        workshop_member_save(actor=county, workshop=shop, person=p, start_month="2024-01")
    with pytest.raises(NetworkError) as err:
        workshop_recognise(actor=county, workshop=shop)
    assert err.value.message == _(e.ERR_TOO_FEW_WORKERS).format(count=2, minimum=3)
    workshop_member_save(actor=county, workshop=shop, person=people[2], start_month="2024-01")
    shop = workshop_recognise(actor=county, workshop=shop)
    assert shop.status == c.WorkshopStatus.RECOGNISED and shop.active
    with pytest.raises(NetworkError):
        workshop_recognise(actor=county, workshop=shop)  # not twice
    shop = workshop_start(actor=county, workshop=shop)
    workshop_rating_record(actor=county, workshop=shop, year=2024, rating="excellent")
    shop = workshop_exit(actor=county, workshop=shop, reason="经营主体注销")
    assert shop.status == c.WorkshopStatus.EXITED and not shop.active
    with pytest.raises(NetworkError):
        workshop_rating_record(actor=county, workshop=shop, year=2025, rating="good")
    actions = list(AuditLog.objects.filter(object_id=str(shop.pk), object_type="network.workshop")
                   .values_list("action", flat=True))
    assert {"workshop.apply", "workshop.recognise", "workshop.start", "workshop.rating", "workshop.exit"} <= set(actions)


def test_a_members_months_become_workshop_employment_months(county):
    shop = _apply(county)
    person = PersonFactory()
    workshop_member_save(actor=county, workshop=shop, person=person, start_month="2024-02", end_month="2024-04")
    months = list(EmploymentMonth.objects.filter(person=person).order_by("month").values_list("month", "channel"))
    assert months == [("2024-02", "workshop"), ("2024-03", "workshop"), ("2024-04", "workshop")]
    with pytest.raises(NetworkError):
        workshop_member_save(actor=county, workshop=shop, person=person, start_month="2024-05", end_month="2024-03")


def test_ending_a_spell_earlier_withdraws_the_workshop_s_later_months_and_keeps_others(county):
    from bangfu.monitoring.services.facts import employment_months_write

    shop = _apply(county)
    person = PersonFactory()
    workshop_member_save(actor=county, workshop=shop, person=person, start_month="2024-02", end_month="2024-06")
    other = {"person_id": person.pk, "month": "2024-08", "place_class": "in_county", "destination_code": "",
             "channel": "local", "employer_name": "别处", "employer_uscc": "", "job_title": "", "occupation_code": "",
             "income_fen": None}
    employment_months_write(rows=[other], actor=county)
    workshop_member_save(actor=county, workshop=shop, person=person, start_month="2024-02", end_month="2024-03")
    months = list(EmploymentMonth.objects.filter(person=person).order_by("month").values_list("month", "channel"))
    assert months == [("2024-02", "workshop"), ("2024-03", "workshop"), ("2024-08", "local")]
    audit = AuditLog.objects.filter(action="workshop.member").latest("id")
    assert audit.detail["months_withdrawn"] == 3


def test_a_helper_registered_again_is_refused_in_chinese_and_repeated_services_only_when_imported(county):
    kwargs = {"name": "张", "role": "broker", "birth_date": dt.date(1985, 1, 1), "district_code": FENGDU}
    helper = helper_apply(actor=county, **kwargs)
    with pytest.raises(e.AlreadyRecorded) as err:
        helper_apply(actor=county, **{**kwargs, "name": " 张 ", "role": "career_guide"})
    assert err.value.message == _(e.ERR_HELPER_REGISTERED)
    assert AuditLog.objects.filter(action="helper.apply").count() == 1
    person, day = PersonFactory(), dt.date(2024, 3, 5)
    for _time in range(2):  # two calls in a day are two services
        network_service_record(actor=county, person=person, kind="call", served_on=day, helper=helper)
    network_service_record(actor=county, person=person, kind="call", served_on=day, helper=helper, imported=True)
    with pytest.raises(e.AlreadyRecorded) as err:
        network_service_record(actor=county, person=person, kind="call", served_on=day, helper=helper, imported=True)
    assert err.value.message == _(e.ERR_SERVICE_IMPORTED)
    assert ServiceRecord.objects.filter(person=person).count() == 3
    assert AuditLog.objects.filter(action="network_service.create").count() == 3


def test_a_helper_is_registered_step_by_step_within_the_age_limits(county):
    with pytest.raises(NetworkError) as err:
        helper_apply(actor=county, name="张", role="broker", birth_date=dt.date(1950, 1, 1), district_code=FENGDU,
                     applied_on=dt.date(2024, 1, 1))
    assert "18" in err.value.message and "65" in err.value.message
    helper = helper_apply(actor=county, name="张", role="broker", birth_date=dt.date(1985, 1, 1),
                          district_code=FENGDU, phone="13900001111")
    assert helper.phone_hash and helper.status == c.HelperStatus.APPLIED
    for expected in ("recommended", "trained", "notice", "registered"):
        helper = helper_advance(actor=county, helper=helper)
        assert helper.status == expected
    assert helper.registered_on is not None
    with pytest.raises(NetworkError):
        helper_advance(actor=county, helper=helper)


def test_a_worker_has_at_most_one_primary_helper(county):
    person = PersonFactory()
    first, second = HelperFactory(), HelperFactory()
    caseload_assign(actor=county, helper=first, person=person)
    with pytest.raises(NetworkError) as err:
        caseload_assign(actor=county, helper=second, person=person)
    assert err.value.message == _(e.ERR_PRIMARY_TAKEN)
    caseload_assign(actor=county, helper=second, person=person, primary=False)  # a second, not primary
    assert Caseload.objects.filter(person=person, primary=True).count() == 1


def test_the_database_refuses_a_second_open_primary_helper():
    person = PersonFactory()
    CaseloadFactory(person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseloadFactory(person=person)
    CaseloadFactory(person=person, ended_on=dt.date(2024, 6, 30))  # an ended one is history


def test_an_unregistered_helper_gets_no_caseload(county):
    with pytest.raises(NetworkError):
        caseload_assign(actor=county, helper=HelperFactory(status="trained"), person=PersonFactory())


def test_only_the_assigned_helper_reveals_the_phone_and_the_call_is_a_service(make_user):
    person = PersonFactory(phone="13800001234")
    mine = make_user(role="broker", area_code=FENGDU)
    other = make_user(role="broker", area_code=FENGDU)
    CaseloadFactory(helper=HelperFactory(user=mine), person=person)
    HelperFactory(user=other)
    call = person_call(actor=mine, person=person)
    assert call.phone == "13800001234"
    assert call.record.kind == "call" and call.record.helper.user == mine
    row = AuditLog.objects.get(action="person.view_phone")
    assert row.actor == mine and "13800001234" not in str(row.detail)
    with pytest.raises(Forbidden):
        person_call(actor=other, person=person)
    with pytest.raises(Forbidden):
        person_call(actor=make_user(role="district_officer", area_code=FENGDU), person=person)
    assert AuditLog.objects.filter(action="person.view_phone").count() == 1


def test_an_outflow_batch_records_one_service_per_member(county):
    people = [PersonFactory() for _ in range(3)]
    batch = outflow_batch_create(actor=county, name="赴粤专列", departed_on=dt.date(2024, 2, 20),
                                 destination_code="4403", persons=people + people[:1])
    assert batch.cooperation_region == place_facts("4403").cooperation_region
    assert batch.members.count() == 3
    assert ServiceRecord.objects.filter(kind="outflow").count() == 3
    with pytest.raises(NetworkError):
        outflow_batch_create(actor=county, name="x", departed_on=dt.date(2024, 2, 20), destination_code="999999",
                             persons=people)


def _month_row(person, month, channel="local"):
    return {"person_id": person.pk, "month": month, "place_class": "in_county", "destination_code": "",
            "channel": channel, "employer_name": "别处", "employer_uscc": "", "job_title": "", "occupation_code": "",
            "income_fen": None}


def test_a_spell_starts_at_most_a_year_before_the_application_and_not_after_this_month(county):
    shop = _apply(county)
    person = PersonFactory()
    for start in ("1900-01", "2022-12", "2999-01"):
        with pytest.raises(NetworkError) as err:
            workshop_member_save(actor=county, workshop=shop, person=person, start_month=start, end_month="")
        assert "2023-01" in err.value.message
    assert not EmploymentMonth.objects.filter(person=person).exists()
    workshop_member_save(actor=county, workshop=shop, person=person, start_month="2023-01", end_month="2023-02")
    assert EmploymentMonth.objects.filter(person=person).count() == 2


def test_a_spell_leaves_the_months_the_person_worked_elsewhere_as_reported(county):
    from bangfu.monitoring.services.facts import employment_months_write

    shop = _apply(county)
    person = PersonFactory()
    employment_months_write(rows=[_month_row(person, "2024-03")], actor=county)
    workshop_member_save(actor=county, workshop=shop, person=person, start_month="2024-02", end_month="2024-04")
    months = list(EmploymentMonth.objects.filter(person=person).order_by("month").values_list("month", "channel"))
    assert months == [("2024-02", "workshop"), ("2024-03", "local"), ("2024-04", "workshop")]


def test_the_exit_ends_the_open_spells_with_its_month_and_withdraws_the_later_months(county):
    from bangfu.network.services.workshops import current_month

    shop = _apply(county)
    person, gone = PersonFactory(), PersonFactory()
    start = shift(current_month(), -4)
    workshop_member_save(actor=county, workshop=shop, person=person, start_month=start, end_month="")
    workshop_member_save(actor=county, workshop=shop, person=gone, start_month=start, end_month=start)
    exit_day = dt.date(int(shift(start, 2)[:4]), int(shift(start, 2)[5:]), 15)
    with pytest.raises(NetworkError):
        workshop_exit(actor=county, workshop=shop, reason="停产", exited_on=dt.date(2023, 1, 1))
    workshop_exit(actor=county, workshop=shop, reason="停产", exited_on=exit_day)
    spell = shop.members.get(person=person)
    assert spell.end_month == shift(start, 2)
    assert list(EmploymentMonth.objects.filter(person=person).order_by("month").values_list("month", flat=True)) == [
        start, shift(start, 1), shift(start, 2)]
    assert shop.members.get(person=gone).end_month == start
    assert AuditLog.objects.filter(action="workshop.exit").latest("id").detail["spells_closed"] == 1


def shift(month, n):
    from bangfu.core.months import shift_month

    return shift_month(month, n)


def test_a_person_of_another_district_is_refused_by_the_service_itself(county):
    shop = _apply(county)
    stranger = PersonFactory(district_code=WANZHOU, township_code="")
    with pytest.raises(Forbidden):
        workshop_member_save(actor=county, workshop=shop, person=stranger, start_month="2024-02", end_month="2024-03")
    assert not EmploymentMonth.objects.filter(person=stranger).exists()


def test_matching_a_person_again_is_refused_and_keeps_the_outcome(county):
    from bangfu.network.services import gig_match_record

    posting = gig_posting_create(actor=county, market=GigMarketFactory(district_code=FENGDU), employer_name="某物流",
                                 title="搬运", pay_basis="day", pay_fen=20000, headcount=2, work_date=dt.date(2024, 5, 1))
    person = PersonFactory()
    gig_match_record(actor=county, posting=posting, person=person, outcome="worked", new=True)
    with pytest.raises(NetworkError) as err:
        gig_match_record(actor=county, posting=posting, person=person, new=True)
    assert "已上工" in err.value.message or "已对接" in err.value.message
    assert posting.matches.get(person=person).outcome == "worked"
