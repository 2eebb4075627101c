"""The training step of ``bangfu demo``: in 丰都县 (the demo officer's district), a provider,
three courses ending in the last three months (a 巴渝工匠 shortage trade, a 渝家人 and a
专项职业能力 one), their trainees enrolled, attending, completing and certified through the
services (one drops out, one is short of days), the two training policies loaded and the living
allowance run for the year, so every training page and an allowance's explanation open on data."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from bangfu.core.hooks import DemoContext
from bangfu.core.months import first_day, last_day, month_of, shift_month

DEMO_DISTRICT = "500230"  # 丰都县
DEMO_OFFICER = "fengdu"
SEED = 2024
PROVIDER_USCC_STEM = "52500230MJ8000001"
COURSES = (  # (name, trade, level, days, brand, shortage)
    ("砌筑工（巴渝工匠）培训班", "6-29-01-01", "junior", 15, "bayu_craftsman", True),
    ("商品营业员（渝家人）培训班", "4-01-02-03", "special", 10, "yu_jiaren", False),
    ("钢筋工（渝能人）培训班", "6-29-01-04", "intermediate", 20, "yu_nengren", True),
)
TRAINEES_PER_COURSE = 8


def demo_training(ctx: DemoContext) -> None:
    """Idempotent: nothing is done when courses exist already (or there is no demo officer)."""
    from bangfu.accounts.models import User
    from bangfu.training.models import Course

    officer = User.objects.filter(username=DEMO_OFFICER).first()
    if officer is None:
        return
    if Course.objects.exists():  # the generator's courses (or an earlier demo's): no more courses
        ctx.console.print(f"✓ 已有培训项目 {Course.objects.count():,} 期 / training courses already there")
        trainees = 0
    else:
        with transaction.atomic():
            trainees = _demo_courses(officer)
    if _allowances_granted():
        return
    allowances = _demo_allowances(officer)
    if trainees:
        ctx.console.print(f"✓ 培训项目 {len(COURSES)} 期、学员 {trainees} 人次 / training courses and trainees loaded")
    ctx.console.print(f"✓ 培训生活费补贴 {allowances} 笔（丰都县）/ training allowances granted")


def _provider(officer):
    from stdnum.cn import uscc

    from bangfu.employers.models import Employer
    from bangfu.employers.services import employer_create

    code = PROVIDER_USCC_STEM + uscc.calc_check_digit(PROVIDER_USCC_STEM + "0")
    return (Employer.objects.filter(uscc=code).first()
            or employer_create(actor=officer, name="丰都县职业技能培训学校", uscc=code, place_code=DEMO_DISTRICT,
                               credit_rating="A"))


def _demo_courses(officer) -> int:
    from bangfu.registry.models import Person
    from bangfu.training import services

    rng = random.Random(SEED)
    people = list(Person.objects.workers(timezone.localdate()).filter(district_code=DEMO_DISTRICT,
                                                                      category="alleviated")
                  .order_by("id")[:TRAINEES_PER_COURSE * len(COURSES)])
    if not people:
        return 0
    provider = _provider(officer)
    this_month = month_of(timezone.localdate())
    count = 0
    for index, (name, trade, level, days, brand, shortage) in enumerate(COURSES):
        month = shift_month(this_month, index - len(COURSES))
        end = min(first_day(month) + dt.timedelta(days=20), last_day(month))
        course = services.course_create(actor=officer, name=name, occupation_code=trade, level=level, days=days,
                                        provider=provider, start_date=end - dt.timedelta(days=days + 6),
                                        end_date=end, place="丰都县职业教育中心", district_code=DEMO_DISTRICT,
                                        brand=brand, shortage=shortage)
        for number, person in enumerate(people[index * TRAINEES_PER_COURSE:(index + 1) * TRAINEES_PER_COURSE]):
            enrolment = services.enrolment_create(actor=officer, course=course, person=person)
            count += 1
            if number == 0 and index == 0:
                services.enrolment_drop(actor=officer, enrolment=enrolment, left_on=course.start_date
                                        + dt.timedelta(days=3), note="外出务工")
                continue
            short = number == 1 and index == 0  # still enrolled: too few days to complete
            attended = days // 2 if short else days - rng.randint(0, 1)
            services.enrolment_attendance_record(actor=officer, enrolment=enrolment, days=attended)
            if short:
                continue
            services.enrolment_complete(actor=officer, enrolment=enrolment, completed_on=end)
            if number != 2:  # one waits for the certificate
                services.certificate_issue(actor=officer, enrolment=enrolment, number=f"CQDEMO{course.pk:03d}{number:03d}",
                                           issued_on=min(end + dt.timedelta(days=5), last_day(month)))
    return count


def _allowances_granted() -> bool:
    from bangfu.policies.models import Entitlement
    from bangfu.training.policies import ALLOWANCE

    return Entitlement.objects.filter(policy__code=ALLOWANCE).exists()


def _demo_allowances(officer) -> int:
    """Load the two policies and commit the living allowance of the year for 丰都县 (outside
    the courses' transaction: the engine reads committed data)."""
    from bangfu.core.actors import SYSTEM
    from bangfu.policies.models import Policy
    from bangfu.policies.services import PolicyRunError, policy_run
    from bangfu.training.policies import ALLOWANCE, training_policies_load

    from bangfu.training.models import Enrolment

    training_policies_load(actor=SYSTEM)
    created = 0
    years = sorted({d.year for d in Enrolment.objects.exclude(completed_on=None).values_list("completed_on", flat=True)})
    for year in years:  # the courses of the last three months may straddle the new year
        try:
            run = policy_run(policy=Policy.objects.get(code=ALLOWANCE), period=str(year), actor=officer,
                             commit=True, area_code=DEMO_DISTRICT)
        except PolicyRunError:
            continue
        created += run.created
    return created
