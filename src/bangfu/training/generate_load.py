"""Writing the training step's plan (``training.generate``): providers, courses, enrolments and
certificates, bulk-inserted in one transaction with one audit row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
from django.db import transaction
from stdnum.cn import uscc as uscc_check

from bangfu.core import reference
from bangfu.core.actors import SYSTEM
from bangfu.core.audit import audit_record
from bangfu.employers.models import Employer
from bangfu.training.generate import (
    BRAND_P, BRANDS, LEVEL_P, LEVELS, PROVIDERS_PER_DISTRICT, course_dates, trades,
)
from bangfu.training.models import Certificate, Course, Enrolment

COURSE_SIZE = (20, 46)
PROVIDER_NAMES = ("职业技能培训学校", "技工学校", "职业培训中心")
COURSE_SUFFIX = {"bayu_craftsman": "（巴渝工匠）", "yu_jiaren": "（渝家人）", "yu_nengren": "（渝能人）", "none": ""}


def _uscc(district: str, n: int) -> str:
    stem = f"52{district}MJ{n:07d}"[:17]  # 5 民政, 2 民办非企业单位
    return stem + uscc_check.calc_check_digit(stem + "0")


def _providers(districts: list[str]) -> dict[str, list[Employer]]:
    wanted = {}
    for district in districts:
        name = reference.divisions()[district]["name"]
        for k in range(PROVIDERS_PER_DISTRICT):
            wanted[_uscc(district, 9_000_000 + k)] = (district, f"{name}{PROVIDER_NAMES[k % 3]}")
    existing = set(Employer.objects.filter(uscc__in=list(wanted)).values_list("uscc", flat=True))
    Employer.objects.bulk_create([Employer(name=name, uscc=code, place_code=district, district_code=district,
                                           credit_rating="A", owner_area_code=district)
                                  for code, (district, name) in wanted.items() if code not in existing])
    out: dict[str, list[Employer]] = defaultdict(list)
    for e in Employer.objects.filter(uscc__in=list(wanted)).order_by("uscc"):
        out[e.district_code].append(e)
    return out


def load_plan(ctx, rng, plan: dict[str, np.ndarray]) -> dict[str, int]:
    p = ctx.persons
    months = ctx.shared["monitoring"]["months"]
    codes_, shortage = trades(rng)
    names = reference.occupations()
    district = np.asarray(p["district_code"][plan["person"]].tolist(), dtype=object)
    with transaction.atomic():
        providers = _providers(sorted(set(district.tolist())))
        # one course per (district, end month) group of 20-45 trainees
        order = np.lexsort((plan["end"], district))
        courses, members = [], []
        start = 0
        while start < len(order):
            d, e = district[order[start]], plan["end"][order[start]]
            stop = start
            while stop < len(order) and district[order[stop]] == d and plan["end"][order[stop]] == e:
                stop += 1
            group = order[start:stop]
            size = int(rng.integers(*COURSE_SIZE))
            for chunk_start in range(0, len(group), size):
                members.append(group[chunk_start:chunk_start + size])
                trade = int(rng.choice(np.flatnonzero(shortage)) if rng.random() < 0.7 else rng.integers(len(codes_)))
                level = LEVELS[int(rng.choice(len(LEVELS), p=LEVEL_P))]
                brand = BRANDS[int(rng.choice(len(BRANDS), p=BRAND_P))]
                days = int(rng.integers(10, 31))
                first_date, end_date = course_dates(rng, months[int(e)], days)
                code = codes_[trade]
                courses.append(Course(
                    name=f"{names[code]['name']}{COURSE_SUFFIX[brand]}培训班", occupation_code=code, level=level,
                    days=days, provider=providers[d][int(rng.integers(len(providers[d])))], start_date=first_date,
                    end_date=end_date, place=f"{providers[d][0].name}", district_code=d, brand=brand,
                    shortage=bool(shortage[trade])))
            start = stop
        Course.objects.bulk_create(courses, batch_size=2000)
        enrolments, certified = [], []
        for course, group in zip(courses, members):
            for k in group.tolist():
                i = int(plan["person"][k])
                done = plan["status"][k] == "completed"
                attended = course.days - int(rng.integers(0, 2)) if done else int(rng.integers(1, max(2, course.days // 2)))
                enrolments.append(Enrolment(
                    course=course, person_id=int(p["id"][i]), district_code=str(p["district_code"][i]),
                    township_code=str(p["township_code"][i]), status=plan["status"][k], days_attended=attended,
                    completed_on=course.end_date if done else None,
                    left_on=None if done else course.start_date + dt.timedelta(days=attended)))
                certified.append(bool(plan["certified"][k]))
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        certificates = [Certificate(enrolment=e, person_id=e.person_id, number=f"CQ{e.course.end_date:%Y}{e.pk:09d}",
                                    level=e.course.level,
                                    issued_on=min(e.course.end_date + dt.timedelta(days=int(rng.integers(3, 20))),
                                                  _month_end(e.course.end_date)),
                                    district_code=e.district_code, township_code=e.township_code)
                        for e, yes in zip(enrolments, certified) if yes]
        Certificate.objects.bulk_create(certificates, batch_size=5000)
        from bangfu.monitoring.services import kpi_months_mark_stale

        counts = {"providers": sum(len(v) for v in providers.values()), "courses": len(courses),
                  "enrolments": len(enrolments), "certificates": len(certificates)}
        kpi_months_mark_stale(months=months)
        audit_record(actor=SYSTEM, action="training.generate", area_code="50", detail=counts)
    return counts


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)
