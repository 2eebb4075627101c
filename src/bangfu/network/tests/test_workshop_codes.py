"""认定编号 are issued by each district's bureau: unique within a district. A district user can
neither see nor probe another district's codes — the workshop form and the imports answer for a
code used elsewhere exactly as for an unused one — while a code taken in the own district is
still refused in Chinese, by the form and, between the check and the write, by the constraint."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.network.forms import WorkshopApplyForm
from bangfu.network.importers_rosters import ERR_CODE_AMBIGUOUS
from bangfu.network.models import Workshop, WorkshopRatingRecord
from bangfu.network.tests.factories import WorkshopFactory
from bangfu.network.tests.test_importers_rosters import imp
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db
ELSEWHERE, UNUSED = "BFCJ-WZ-001", "BFCJ-NEW-001"


@pytest.fixture
def officer(client, make_user):
    user = make_user("district_officer", FENGDU)
    client.force_login(user)
    return user


@pytest.fixture
def wanzhou_shop():
    return WorkshopFactory(code=ELSEWHERE, district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)


def form_data(employer, code: str) -> dict:
    return {"code": code, "name": "丰都县测试帮扶车间", "employer_uscc": employer.uscc, "township_code": FENGDU_TOWNSHIP,
            "workshop_type": "factory", "industry": "", "applied_on": timezone.localdate().isoformat()}


def test_the_form_answers_for_another_district_s_code_as_for_an_unused_one(officer, wanzhou_shop):
    employer = EmployerFactory()
    answers = []
    for code in (ELSEWHERE, UNUSED):
        form = WorkshopApplyForm(form_data(employer, code), user=officer)
        answers.append((form.is_valid(), form.errors.as_data()))
    assert answers[0] == answers[1] == (True, {})


def test_a_district_applies_a_code_another_district_uses_and_is_refused_its_own(client, officer, wanzhou_shop):
    employer = EmployerFactory()
    url = reverse("network:workshop_new")
    responses = [client.post(url, form_data(employer, code)) for code in (ELSEWHERE, UNUSED)]
    assert [r.status_code for r in responses] == [302, 302]
    fengdu = Workshop.objects.filter(district_code=FENGDU)
    assert sorted(fengdu.values_list("code", flat=True)) == sorted([ELSEWHERE, UNUSED])
    again = client.post(url, form_data(employer, ELSEWHERE))
    assert again.status_code == 200 and "该认定编号已被使用" in again.content.decode()
    assert Workshop.objects.filter(code=ELSEWHERE).count() == 2  # one per district
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopFactory(code=UNUSED)  # the constraint: the same district, the same code


def test_a_rating_import_reads_another_district_s_code_as_unknown_and_rates_only_its_own(officer, wanzhou_shop):
    header = ["认定编号", "年度", "评定等次"]
    unknown = {code: [e.message for e in imp("workshop_ratings", [header, [code, "2024", "优秀"]], officer).errors]
               for code in (ELSEWHERE, UNUSED)}
    assert unknown == {ELSEWHERE: [f"没有该认定编号的帮扶车间：{ELSEWHERE}"], UNUSED: [f"没有该认定编号的帮扶车间：{UNUSED}"]}
    own = WorkshopFactory(code=ELSEWHERE)  # the same code, issued by 丰都's bureau
    result = imp("workshop_ratings", [header, [ELSEWHERE, "2024", "优秀"]], officer)
    assert result.committed and result.created == 1
    assert list(WorkshopRatingRecord.objects.values_list("workshop_id", flat=True)) == [own.pk]


def test_a_city_user_is_asked_for_the_district_of_a_code_two_districts_use(make_user, wanzhou_shop):
    WorkshopFactory(code=ELSEWHERE)
    city = make_user("city_admin", "50")
    for kind, row in (("workshop_ratings", [["认定编号", "年度", "评定等次"], [ELSEWHERE, "2024", "优秀"]]),
                      ("workshop_members", [["认定编号", "证件号码", "起始年月"],
                                            [ELSEWHERE, PersonFactory().id_number, "2024-01"]])):
        result = imp(kind, row, city)
        assert not result.committed
        assert ERR_CODE_AMBIGUOUS.format(value=ELSEWHERE) in [e.message for e in result.errors], kind
    assert not WorkshopRatingRecord.objects.exists()
