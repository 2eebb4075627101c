"""Training from course to certificate: the workflow, the refusals in Chinese, the audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bangfu.core import reference
from bangfu.core.models import AuditLog
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.training import choices as c
from bangfu.training import errors as e
from bangfu.training.errors import TrainingError
from bangfu.training.models import Course, Enrolment
from bangfu.training.selectors import course_list, enrolment_list
from bangfu.training.services import (
    certificate_issue, course_create, days_needed, enrolment_attendance_record, enrolment_complete,
    enrolment_create, enrolment_drop, follow_up_record,
)
from bangfu.training.tests.factories import OCCUPATION, CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


@pytest.fixture
def township(make_user):
    return make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)


def refused(template: str, **values) -> str:
    return _(template).format(**values) if values else _(template)


def new_course(actor, **over):
    values = dict(name="砌筑工（巴渝工匠）培训班", occupation_code=OCCUPATION, level=c.SkillLevel.JUNIOR, days=10,
                  provider=EmployerFactory(), start_date=dt.date(2024, 4, 1), end_date=dt.date(2024, 4, 12),
                  place="丰都县职教中心", district_code=FENGDU, brand=c.TrainingBrand.BAYU_CRAFTSMAN, shortage=True)
    values.update(over)
    return course_create(actor=actor, **values)


def test_the_factory_trade_is_in_the_shipped_catalogue():
    assert OCCUPATION in reference.occupations()


def test_a_trainee_goes_from_enrolment_through_attendance_and_completion_to_a_certificate(county, township):
    course = new_course(county)
    person = PersonFactory()
    enrolment = enrolment_create(actor=township, course=course, person=person)
    assert enrolment.status == c.EnrolmentStatus.ENROLLED and enrolment.township_code == person.township_code
    enrolment_attendance_record(actor=township, enrolment=enrolment, days=9)
    enrolment = enrolment_complete(actor=township, enrolment=enrolment, completed_on=dt.date(2024, 4, 12))
    assert enrolment.status == c.EnrolmentStatus.COMPLETED
    cert = certificate_issue(actor=township, enrolment=enrolment, number="CQ2024000001",
                             issued_on=dt.date(2024, 4, 30))
    assert cert.level == course.level and cert.person_id == person.pk
    follow_up_record(actor=township, enrolment=enrolment, contact_date=dt.date(2024, 6, 1),
                     outcome=c.FollowUpOutcome.EMPLOYED, employer_name="重庆某建筑公司")
    actions = list(AuditLog.objects.filter(action__startswith="training.").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["training.course_create", "training.enrol", "training.attendance", "training.complete",
                       "training.certify", "training.follow_up"]


def test_a_course_needs_a_trade_of_the_catalogue_and_ordered_dates(county):
    with pytest.raises(TrainingError) as exc:
        new_course(county, occupation_code="9-99-99-99")
    assert exc.value.messages == [refused(e.ERR_OCCUPATION, code="9-99-99-99")]
    with pytest.raises(TrainingError) as exc:
        new_course(county, end_date=dt.date(2024, 3, 1))
    assert exc.value.messages == [refused(e.ERR_DATES)]
    assert not Course.objects.exists()


def test_a_township_cannot_open_a_course_and_a_district_cannot_open_one_elsewhere(township, county):
    with pytest.raises(PermissionDenied):
        new_course(township)
    with pytest.raises(PermissionDenied):
        new_course(county, district_code=WANZHOU)


def test_a_person_enrols_once_per_course(township):
    course = CourseFactory()
    person = PersonFactory()
    enrolment_create(actor=township, course=course, person=person)
    with pytest.raises(TrainingError) as exc:
        enrolment_create(actor=township, course=course, person=person)
    assert exc.value.messages == [refused(e.ERR_ALREADY_ENROLLED)]
    assert Enrolment.objects.count() == 1


def test_completion_needs_enough_attended_days_and_attendance_cannot_exceed_the_course(township):
    enrolment = EnrolmentFactory(course=CourseFactory(days=10), status=c.EnrolmentStatus.ENROLLED,
                                 days_attended=0, completed_on=None)
    with pytest.raises(TrainingError) as exc:
        enrolment_attendance_record(actor=township, enrolment=enrolment, days=11)
    assert exc.value.messages == [refused(e.ERR_TOO_MANY_DAYS, days=11, course_days=10)]
    enrolment_attendance_record(actor=township, enrolment=enrolment, days=7)
    needed = days_needed(enrolment.course)
    assert needed == 8  # 80 % of 10 days
    with pytest.raises(TrainingError) as exc:
        enrolment_complete(actor=township, enrolment=enrolment, completed_on=dt.date(2024, 3, 20))
    assert exc.value.messages == [refused(e.ERR_TOO_FEW_DAYS, days=7, percent=80, needed=8)]
    enrolment_attendance_record(actor=township, enrolment=enrolment, days=8)
    assert enrolment_complete(actor=township, enrolment=enrolment,
                              completed_on=dt.date(2024, 3, 20)).status == c.EnrolmentStatus.COMPLETED


def test_a_certificate_needs_a_completed_enrolment_and_a_number_of_its_own(township):
    enrolled = EnrolmentFactory(status=c.EnrolmentStatus.ENROLLED, completed_on=None)
    with pytest.raises(TrainingError) as exc:
        certificate_issue(actor=township, enrolment=enrolled, number="N1", issued_on=dt.date(2024, 5, 1))
    assert exc.value.messages == [refused(e.ERR_ENROLMENT_STATE, status="在训", action="登记证书")]
    a, b = EnrolmentFactory(), EnrolmentFactory()
    certificate_issue(actor=township, enrolment=a, number="N1", issued_on=dt.date(2024, 5, 1))
    with pytest.raises(TrainingError) as exc:
        certificate_issue(actor=township, enrolment=b, number="N1", issued_on=dt.date(2024, 5, 1))
    assert exc.value.messages == [refused(e.ERR_CERTIFICATE_NUMBER, number="N1")]
    with pytest.raises(TrainingError) as exc:
        certificate_issue(actor=township, enrolment=a, number="N2", issued_on=dt.date(2024, 5, 1))
    assert exc.value.messages == [refused(e.ERR_ALREADY_CERTIFIED)]


def test_a_dropped_trainee_cannot_complete(township):
    enrolment = EnrolmentFactory(status=c.EnrolmentStatus.ENROLLED, completed_on=None)
    enrolment_drop(actor=township, enrolment=enrolment, left_on=dt.date(2024, 3, 5), note="外出务工")
    with pytest.raises(TrainingError):
        enrolment_complete(actor=township, enrolment=enrolment, completed_on=dt.date(2024, 3, 20))


def test_an_officer_cannot_enrol_a_person_of_another_district(township):
    with pytest.raises(PermissionDenied):
        enrolment_create(actor=township, course=CourseFactory(),
                         person=PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP))


def test_the_selectors_keep_to_the_users_area(make_user, township):
    mine = EnrolmentFactory()
    other = EnrolmentFactory(person=PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP),
                             course=CourseFactory(district_code=WANZHOU))
    assert list(enrolment_list(user=township)) == [mine]
    assert set(course_list(user=township)) == {mine.course}  # the district's courses
    city = make_user(role="city_admin", area_code="50")
    assert set(enrolment_list(user=city)) == {mine, other}
