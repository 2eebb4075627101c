"""The network's page forms: a workshop's 申报 → 认定 (with its check) → 运行 → 退出, members added
and ended, the yearly rating; a market's gig posting and a match with its outcome. Each write
leaves its audit row, refusals come back in Chinese, the irreversible steps ask to confirm, and
an officer of another district gets a 404 (a broker without the right, a 403)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.core.models import AuditLog
from bangfu.core.months import month_of, shift_month
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.monitoring.models import EmploymentMonth
from bangfu.network.models import GigMatch, GigPosting, Workshop, WorkshopMember, WorkshopRatingRecord
from bangfu.network.tests.factories import GigMarketFactory, GigPostingFactory, WorkshopFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

TODAY = timezone.localdate()
MONTH = month_of(TODAY)


@pytest.fixture
def officer(client, make_user):
    user = make_user("district_officer", FENGDU)
    client.force_login(user)
    return user


def _apply(client, employer, code="BFCJ-T-001"):
    return client.post(reverse("network:workshop_new"), {
        "code": code, "name": "丰都县测试帮扶车间", "employer_uscc": employer.uscc, "township_code": FENGDU_TOWNSHIP,
        "workshop_type": "factory", "industry": "服装加工", "applied_on": TODAY.isoformat()})


def _add(client, shop, person, start=None):
    return client.post(reverse("network:workshop_member_add", args=[shop.pk]),
                       {"id_number": person.id_number, "start_month": start or shift_month(MONTH, -2)})


@pytest.mark.django_db
def test_a_workshop_goes_from_application_to_recognition_running_and_exit(client, officer):
    employer = EmployerFactory()
    response = _apply(client, employer)
    shop = Workshop.objects.get(code="BFCJ-T-001")
    assert response.status_code == 302 and response["Location"] == reverse("network:workshop", args=[shop.pk])
    assert shop.status == "applied" and shop.employer == employer and shop.district_code == FENGDU
    page = client.get(reverse("network:workshop", args=[shop.pk])).content.decode()
    assert 'data-check="unmet"' in page and "认定标准 5 人" in page

    # 认定 refused while fewer than five registry workers are on the roster, in Chinese
    people = [PersonFactory() for _ in range(5)]
    for person in people[:4]:
        assert _add(client, shop, person).status_code == 302
    response = client.post(reverse("network:workshop_recognise", args=[shop.pk]), follow=True)
    assert "吸纳脱贫人口（含监测对象）4人，少于认定标准5人" in response.content.decode()
    assert Workshop.objects.get(pk=shop.pk).status == "applied"
    _add(client, shop, people[4])
    page = client.get(reverse("network:workshop", args=[shop.pk])).content.decode()
    assert 'data-check="met"' in page and "认定不能撤回" in page  # the step asks to confirm
    client.post(reverse("network:workshop_recognise", args=[shop.pk]))
    shop.refresh_from_db()
    assert shop.status == "recognised" and shop.active and shop.recognised_on == TODAY
    # a member's months are employment months with channel workshop
    assert EmploymentMonth.objects.filter(person=people[0], channel="workshop").count() == 3

    client.post(reverse("network:workshop_start", args=[shop.pk]))
    shop.refresh_from_db()
    assert shop.status == "running" and shop.running_since == TODAY
    response = client.post(reverse("network:workshop_rating", args=[shop.pk]),
                           {"year": TODAY.year - 1, "rating": "excellent", "review_passed": "on", "note": "复核通过"})
    assert response.status_code == 302
    rating = WorkshopRatingRecord.objects.get(workshop=shop)
    assert (rating.year, rating.rating, rating.review_passed) == (TODAY.year - 1, "excellent", True)

    member = WorkshopMember.objects.get(workshop=shop, person=people[0])
    client.post(reverse("network:workshop_member_end", args=[shop.pk, member.pk]), {"end_month": MONTH})
    assert WorkshopMember.objects.get(pk=member.pk).end_month == MONTH

    response = client.post(reverse("network:workshop_exit", args=[shop.pk]), {"reason": "", "exited_on": TODAY})
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()
    client.post(reverse("network:workshop_exit", args=[shop.pk]), {"reason": "经营主体注销", "exited_on": TODAY})
    shop.refresh_from_db()
    assert shop.status == "exited" and not shop.active and shop.exit_reason == "经营主体注销"
    page = client.get(reverse("network:workshop", args=[shop.pk])).content.decode()
    assert 'name="add_member"' not in page and 'name="exit"' not in page  # nothing more to do

    actions = list(AuditLog.objects.filter(actor=officer).values_list("action", flat=True))
    for action in ("workshop.apply", "workshop.recognise", "workshop.start", "workshop.rating", "workshop.exit"):
        assert actions.count(action) == 1, action
    assert actions.count("workshop.member") == 6  # five added, one ended


@pytest.mark.django_db
def test_the_workshop_forms_refuse_in_chinese(client, officer):
    employer = EmployerFactory()
    response = client.post(reverse("network:workshop_new"), {
        "code": "X1", "name": "车间", "employer_uscc": "91500000MA0000000X", "township_code": FENGDU_TOWNSHIP,
        "workshop_type": "factory", "applied_on": TODAY.isoformat()})
    assert response.status_code == 200 and "没有该统一社会信用代码的经营主体" in response.content.decode()
    _apply(client, employer, code="DUP-1")
    response = _apply(client, employer, code="DUP-1")
    assert "该认定编号已被使用" in response.content.decode() and Workshop.objects.filter(code="DUP-1").count() == 1

    shop = WorkshopFactory(status="running")
    response = client.post(reverse("network:workshop_member_add", args=[shop.pk]),
                           {"id_number": "12345", "start_month": MONTH})
    assert response.status_code == 422 and "请输入18位身份证号" in response.content.decode()
    outsider = PersonFactory(district_code=WANZHOU, township_code="500101001")
    response = _add(client, shop, outsider)
    assert "您的管辖区域内没有该身份证号的人员" in response.content.decode()
    assert outsider.id_number not in response.content.decode()  # a refused form does not echo it
    person = PersonFactory()
    response = client.post(reverse("network:workshop_member_add", args=[shop.pk]),
                           {"id_number": person.id_number, "start_month": MONTH, "end_month": shift_month(MONTH, -1)})
    assert "结束年月不能早于起始年月" in response.content.decode()
    assert person.id_number not in response.content.decode() and 'name="id_number"' in response.content.decode()
    assert not WorkshopMember.objects.filter(workshop=shop).exists()
    _add(client, shop, person, start=MONTH)
    member = WorkshopMember.objects.get(workshop=shop, person=person)
    end = reverse("network:workshop_member_end", args=[shop.pk, member.pk])
    response = client.post(end, {"end_month": "2024-13"})
    assert response.status_code == 422 and "年月格式应为 2024-05" in response.content.decode()
    response = client.post(end, {"end_month": shift_month(MONTH, -1)})
    assert response.status_code == 422 and "结束年月不能早于起始年月" in response.content.decode()
    assert WorkshopMember.objects.get(pk=member.pk).end_month == ""
    response = client.post(reverse("network:workshop_rating", args=[shop.pk]),
                           {"year": TODAY.year + 1, "rating": "good"})
    assert response.status_code == 422 and "不能评定未来年度" in response.content.decode()


@pytest.mark.django_db
def test_another_district_s_workshop_and_market_are_404_and_a_broker_cannot_apply(client, make_user):
    shop = WorkshopFactory(status="applied")
    market = GigMarketFactory()
    gig = GigPostingFactory(market=market)
    client.force_login(make_user("district_officer", WANZHOU))
    for url in (reverse("network:workshop", args=[shop.pk]), reverse("network:market", args=[market.pk]),
                reverse("network:gig", args=[gig.pk])):
        assert client.get(url).status_code == 404, url
    for name in ("workshop_recognise", "workshop_start", "workshop_exit", "workshop_rating", "workshop_member_add"):
        assert client.post(reverse(f"network:{name}", args=[shop.pk]), {"reason": "x"}).status_code == 404, name
    assert client.post(reverse("network:gig_new", args=[market.pk]), {}).status_code == 404
    assert client.post(reverse("network:gig_match", args=[gig.pk]), {}).status_code == 404
    match = GigMatch.objects.create(posting=gig, person=PersonFactory(), matched_on=TODAY,
                                    district_code=FENGDU, township_code=FENGDU_TOWNSHIP)
    assert client.post(reverse("network:gig_outcome", args=[match.pk]), {"outcome": "worked"}).status_code == 404
    assert GigMatch.objects.get(pk=match.pk).outcome == "pending"
    # an officer of Wanzhou cannot put a workshop in Fengdu either: the township is not offered
    response = _apply(client, EmployerFactory())
    assert response.status_code == 200 and not Workshop.objects.filter(code="BFCJ-T-001").exists()
    assert Workshop.objects.get(pk=shop.pk).status == "applied"
    client.force_login(make_user("broker", FENGDU))
    assert client.get(reverse("network:workshop_new")).status_code == 403
    assert client.post(reverse("network:workshop_recognise", args=[shop.pk])).status_code == 403


@pytest.mark.django_db
def test_a_gig_is_posted_at_a_market_and_a_match_gets_its_outcome(client, officer):
    market = GigMarketFactory()
    page = client.get(reverse("network:market", args=[market.pk])).content.decode()
    assert 'name="post_gig"' in page
    response = client.post(reverse("network:gig_new", args=[market.pk]), {
        "employer_name": "丰都县某农业合作社", "title": "采摘柑橘", "pay_basis": "day", "pay_yuan": "0",
        "headcount": "0", "work_date": TODAY.isoformat()})
    assert response.status_code == 422 and not GigPosting.objects.exists()
    response = client.post(reverse("network:gig_new", args=[market.pk]), {
        "employer_name": "丰都县某农业合作社", "title": "采摘柑橘", "pay_basis": "piece", "pay_yuan": "1.5",
        "headcount": "3", "work_date": TODAY.isoformat()})
    posting = GigPosting.objects.get()
    assert response["Location"] == reverse("network:gig", args=[posting.pk])
    assert (posting.pay_basis, posting.pay_fen, posting.headcount) == ("piece", 150, 3)
    assert market.services.filter(service="matching").count() == 1  # 岗位供求信息撮合 recorded
    person = PersonFactory(name="零工甲")
    client.post(reverse("network:gig_match", args=[posting.pk]), {"id_number": person.id_number, "outcome": "pending"})
    match = GigMatch.objects.get(posting=posting)
    assert match.person == person and match.outcome == "pending"
    page = client.get(reverse("network:gig", args=[posting.pk])).content.decode()
    assert "零工甲" in page and person.id_number not in page and 'data-worked="0"' in page
    client.post(reverse("network:gig_outcome", args=[match.pk]), {"outcome": "worked"})
    assert GigMatch.objects.get(pk=match.pk).outcome == "worked"
    assert 'data-worked="1"' in client.get(reverse("network:gig", args=[posting.pk])).content.decode()
    response = client.post(reverse("network:gig_outcome", args=[match.pk]), {"outcome": "nonsense"}, follow=True)
    assert "请选择对接结果" in response.content.decode()
    actions = list(AuditLog.objects.filter(actor=officer).values_list("action", flat=True))
    assert actions.count("gig_posting.create") == 1 and actions.count("gig_match.record") == 2


@pytest.mark.django_db
def test_the_new_pages_read_in_english(client, officer):
    shop = WorkshopFactory(status="applied")
    gig = GigPostingFactory()
    client.cookies["django_language"] = "en"
    pages = {reverse("network:workshop_new"): "Submit the application",
             reverse("network:workshop", args=[shop.pk]): "Recognition check",
             reverse("network:market", args=[gig.market_id]): "Pay (yuan per day or per piece)",
             reverse("network:gig", args=[gig.pk]): "Record a match"}
    for url, english in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200 and english in response.content.decode(), url


@pytest.mark.django_db
def test_a_code_taken_between_the_check_and_the_write_is_refused_by_the_constraint(client, officer, monkeypatch):
    from bangfu.network import forms

    monkeypatch.setattr(forms.WorkshopApplyForm, "clean_code", lambda self: self.cleaned_data["code"])
    WorkshopFactory(code="RACE-1")  # the other request's workshop, written after the form's check
    response = _apply(client, EmployerFactory(), code="RACE-1")
    assert response.status_code == 200 and "该认定编号已被使用" in response.content.decode()
    assert Workshop.objects.filter(code="RACE-1").count() == 1
