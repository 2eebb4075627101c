"""Posts, placements and attendance for tests, built through the services where the rules matter."""

from __future__ import annotations

import datetime as dt

import factory

from bangfu.posts import choices as c
from bangfu.posts.models import Attendance, Placement, WelfarePost
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory

NOTICE_START = dt.date(2024, 1, 2)  # a Tuesday; the 公示 ends five working days later
CONTRACT_START = dt.date(2024, 1, 15)


class WelfarePostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WelfarePost

    name = factory.Sequence(lambda n: f"保洁员{n}")
    post_type = c.PostType.PUBLIC_SERVICE
    work_time = c.WorkTime.FULL_TIME
    headcount = 2
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP
    village = "新村"
    funding_source = c.FundingSource.EMPLOYMENT_FUND
    funding_year = 2024
    status = c.PostStatus.APPROVED


class PlacementFactory(factory.django.DjangoModelFactory):
    """An active placement with its contract signed (no rules checked: use the services for that)."""

    class Meta:
        model = Placement

    post = factory.SubFactory(WelfarePostFactory)
    person = factory.SubFactory(PersonFactory, district_code=factory.SelfAttribute("..post.district_code"),
                                township_code=factory.SelfAttribute("..post.township_code"))
    household = factory.SelfAttribute("person.household")
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")
    status = c.PlacementStatus.ACTIVE
    notice_start = NOTICE_START
    notice_end = dt.date(2024, 1, 9)
    contract_start = CONTRACT_START
    planned_end = dt.date(2026, 12, 31)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    placement = factory.SubFactory(PlacementFactory)
    month = "2024-03"
    days_present = 20
    rating = c.Rating.PASS
    status = c.AttendanceStatus.APPROVED
    district_code = factory.SelfAttribute("placement.district_code")
    township_code = factory.SelfAttribute("placement.township_code")
