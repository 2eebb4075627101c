"""The training pages and API: area isolation (an out-of-area record is a 404, an in-area one is
shown), opening a course, enrolling, the trainee's steps, the employment months after training."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from bangfu.core.testing import AreaIsolationCases
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.monitoring.models import EmploymentMonth
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory
from bangfu.training import choices as c
from bangfu.training.models import Course, Enrolment
from bangfu.training.tests.factories import OCCUPATION, CertificateFactory, CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


class TestCourseAreaIsolation(AreaIsolationCases):
    list_url = "/training/"
    api_list_url = "/api/v1/training/courses"
    check_townships = False  # a course is the district's: every township officer of it sees it

    def make_object(self, district_code, township_code):
        return CourseFactory(district_code=district_code, name=f"培训班{district_code}")

    def detail_url_for(self, obj):
        return reverse("training:course", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/training/courses/{obj.pk}"


class TestEnrolmentAreaIsolation(AreaIsolationCases):
    list_url = "/training/trainees/"
    api_list_url = "/api/v1/training/enrolments"

    def make_object(self, district_code, township_code):
        person = PersonFactory(district_code=district_code, township_code=township_code, name=f"学员{township_code}")
        return EnrolmentFactory(person=person, course=CourseFactory(district_code=district_code))

    def row_marker(self, obj):
        return obj.person.name

    def detail_url_for(self, obj):
        return reverse("training:enrolment", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/training/enrolments/{obj.pk}"


@pytest.fixture
def county(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    return client


def test_a_county_officer_opens_a_course_and_enrols_a_person_by_id_number(county):
    provider = EmployerFactory()
    response = county.post(reverse("training:course_create"), {
        "name": "家政服务员（渝家人）", "occupation_code": OCCUPATION, "level": "junior", "days": "10",
        "provider_uscc": provider.uscc, "start_date": "2024-05-06", "end_date": "2024-05-17",
        "place": "丰都县", "district_code": FENGDU, "brand": "yu_jiaren", "shortage": "1"})
    course = Course.objects.get()
    assert response.status_code == 302 and course.brand == c.TrainingBrand.YU_JIAREN and course.shortage
    person = PersonFactory()
    county.post(reverse("training:enrol", args=[course.pk]), {"id_number": person.id_number})
    assert Enrolment.objects.filter(course=course, person=person).exists()
    page = county.get(reverse("training:course", args=[course.pk])).content.decode()
    assert person.name in page and person.id_number not in page  # masked


def test_a_township_officer_sees_no_course_form_and_cannot_open_one(client, make_user):
    client.force_login(make_user(role="township_officer", area_code=FENGDU_TOWNSHIP))
    assert 'id="course-form"' not in client.get(reverse("training:index")).content.decode()
    client.post(reverse("training:course_create"), {
        "name": "x", "occupation_code": OCCUPATION, "level": "junior", "days": "10",
        "provider_uscc": EmployerFactory().uscc, "start_date": "2024-05-06", "end_date": "2024-05-17",
        "place": "x", "district_code": FENGDU})
    assert not Course.objects.exists()


def test_the_trainee_page_shows_the_employment_months_within_six_months_of_the_certificate(county):
    cert = CertificateFactory(issued_on=dt.date(2024, 4, 10))
    person = cert.enrolment.person
    for month in ("2024-03", "2024-05", "2024-10", "2024-11"):
        EmploymentMonth.objects.create(person=person, month=month, place_class="in_county", channel="local",
                                       employer_name=f"单位{month}")
    page = county.get(reverse("training:enrolment", args=[cert.enrolment.pk])).content.decode()
    assert "单位2024-05" in page and "单位2024-10" in page
    assert "单位2024-03" not in page and "单位2024-11" not in page


def test_the_trainee_steps_go_through_the_services(county):
    enrolment = EnrolmentFactory(course=CourseFactory(days=10), status=c.EnrolmentStatus.ENROLLED,
                                 days_attended=0, completed_on=None)
    url = reverse("training:enrolment_act", args=[enrolment.pk])
    county.post(url, {"step": "attendance", "days": "9"})
    county.post(url, {"step": "complete", "completed_on": "2024-03-20"})
    county.post(url, {"step": "certify", "number": "CQ-9", "issued_on": "2024-04-01", "level": "junior"})
    enrolment.refresh_from_db()
    assert enrolment.status == c.EnrolmentStatus.COMPLETED and enrolment.certificate.number == "CQ-9"


def test_the_roster_export_is_a_real_workbook_with_masked_numbers(county):
    enrolment = EnrolmentFactory()
    response = county.get(reverse("training:roster", args=[enrolment.course_id]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "培训项目编号" and rows[1][3] == enrolment.person.name
    assert enrolment.person.id_number not in str(rows[1])


def test_the_outcomes_page_breaks_the_year_down_by_trade_brand_and_district(county):
    cert = CertificateFactory(issued_on=dt.date(2024, 4, 10))
    EmploymentMonth.objects.create(person=cert.enrolment.person, month="2024-06", place_class="in_county",
                                   channel="local")
    EnrolmentFactory(course=CourseFactory(occupation_code="6-29-01-04", brand=c.TrainingBrand.YU_NENGREN))
    from bangfu.training.outcomes import training_outcomes
    from bangfu.accounts.models import User

    user = User.objects.get(area_code=FENGDU)
    tables = training_outcomes(user=user, year=2024, upto="2024-09")
    trades = {r.key: (r.trained, r.certified, r.employed) for r in tables["trade"]}
    assert trades == {OCCUPATION: (1, 1, 1), "6-29-01-04": (1, 0, 0)}
    assert {r.key: r.trained for r in tables["district"]} == {FENGDU: 2}
    page = county.get(reverse("training:outcomes") + "?month=2024-09").content.decode()
    assert "砌筑工" in page and "钢筋工" in page and "渝能人" in page


def test_the_person_page_shows_the_persons_courses(county):
    cert = CertificateFactory(number="CQ-PANEL-1")
    page = county.get(reverse("registry:person_detail", args=[cert.enrolment.person_id])).content.decode()
    assert cert.enrolment.course.name in page and "CQ-PANEL-1" in page
