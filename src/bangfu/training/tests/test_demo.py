"""The training demo step: courses, trainees through every state, certificates, and the living
allowance committed for the certified trainees; a second run changes nothing."""

from __future__ import annotations

import pytest
from rich.console import Console

from bangfu.core.hooks import DemoContext
from bangfu.policies.models import Entitlement
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.training import choices as c
from bangfu.training.demo import COURSES, DEMO_OFFICER, demo_training
from bangfu.training.models import Certificate, Course, Enrolment
from bangfu.training.policies import ALLOWANCE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_fills_every_training_page_and_pays_allowances_once(make_user):
    make_user(role="district_officer", area_code=FENGDU, username=DEMO_OFFICER)
    for _ in range(30):
        PersonFactory()
    ctx = DemoContext(console=Console(quiet=True), people=30)
    demo_training(ctx)
    assert Course.objects.count() == len(COURSES)
    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert statuses == {c.EnrolmentStatus.ENROLLED, c.EnrolmentStatus.COMPLETED, c.EnrolmentStatus.DROPPED}
    certified = set(Certificate.objects.values_list("person_id", flat=True))
    granted = set(Entitlement.objects.filter(policy__code=ALLOWANCE).values_list("person_id", flat=True))
    # the courses of the last three months: those certified this year get the allowance
    assert granted and granted <= certified
    demo_training(ctx)
    assert Course.objects.count() == len(COURSES)
