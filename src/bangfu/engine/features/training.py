"""Features of skills training (``bangfu.training``): what the living allowance (person) and the
provider subsidy (enterprise) read. Django-free, like the rest of the catalogue.

The rows are the certified enrolments of the period: an enrolment completed (结业) in the
period's year that has a certificate, with its course. A trainee's allowance days are the days
attended (at most the course's days); the unemployment-benefit months are the months of the
course (start to end) in which the trainee drew unemployment benefit (``insurance``).
"""

from __future__ import annotations

import ibis

from bangfu import codes
from bangfu.engine.features.definitions import Feature, FeatureContext, Param, gettext_noop

COURSE = "training_course"
ENROLMENT = "training_enrolment"
CERTIFICATE = "training_certificate"
BENEFIT_MONTH = "insurance_unemploymentbenefitmonth"
TABLES = (COURSE, ENROLMENT, CERTIFICATE, BENEFIT_MONTH)
COMPLETED = "completed"  # codes.ENROLMENT_STATUS

_LEVEL = Param("level", "string", gettext_noop("培训等级"), choices=codes.SKILL_LEVEL.labels)


def _date_month_index(col):
    return col.year().cast("int64") * 12 + col.month().cast("int64") - 1


def _text_month_index(col):
    return col.substr(0, 4).cast("int64") * 12 + col.substr(5, 2).cast("int64") - 1


def certified_rows(ctx: FeatureContext):
    """One row per certified enrolment completed in the period: person, provider, level, the
    allowance days and the benefit months during the course."""
    e = ctx.table(ENROLMENT)
    first, last = ibis.date(ctx.period.year, 1, 1), ibis.date(ctx.period.year, 12, 31)
    e = e.filter((e.status == COMPLETED) & e.completed_on.notnull()
                 & (e.completed_on >= first) & (e.completed_on <= last))
    cert = ctx.table(CERTIFICATE)
    cert = cert.select(cert_enrolment_id=cert.enrolment_id)
    e = e.join(cert, e.id == cert.cert_enrolment_id)
    course = ctx.table(COURSE)
    course = course.select(course_pk=course.id, course_days=course.days, level=course.level,
                           provider_id=course.provider_id, start_date=course.start_date, end_date=course.end_date)
    j = e.join(course, e.course_id == course.course_pk)
    rows = j.select(
        enrolment_id=j.id, person_id=j.person_id, provider_id=j.provider_id, level=j.level,
        days=ibis.ifelse(j.days_attended < j.course_days, j.days_attended, j.course_days),
        start_idx=_date_month_index(j.start_date), end_idx=_date_month_index(j.end_date),
    )
    b = ctx.table(BENEFIT_MONTH)
    b = b.select(b_person=b.person_id, b_idx=_text_month_index(b.month))
    during = rows.view()  # the rows are joined back below: a view keeps the two apart
    overlap = during.join(b, (during.person_id == b.b_person) & (b.b_idx >= during.start_idx)
                          & (b.b_idx <= during.end_idx))
    counted = overlap.group_by(b_enrolment=overlap.enrolment_id).aggregate(benefit_months=overlap.count())
    out = rows.left_join(counted, rows.enrolment_id == counted.b_enrolment)
    return out.select(enrolment_id=out.enrolment_id, person_id=out.person_id, provider_id=out.provider_id,
                      level=out.level, days=out.days, benefit_months=out.benefit_months.fill_null(0))


def _src_trainee(ctx: FeatureContext):
    rows = certified_rows(ctx)
    return rows.mutate(bid=rows.person_id)


def _src_provider(ctx: FeatureContext):
    rows = certified_rows(ctx)
    return rows.mutate(bid=rows.provider_id)


SOURCES = {"training_trainee": _src_trainee, "training_provider": _src_provider}
SOURCE_TABLES = {"training_trainee": TABLES, "training_provider": TABLES}


def features() -> list[Feature]:
    return [
        Feature("training_certified_days", "person", "int", gettext_noop("结业取证培训天数"),
                gettext_noop("本期结业并取得证书的培训的出勤天数之和（每期不超过培训天数）"),
                lambda ctx, rows: rows.days.sum(), source="training_trainee",
                example="training_certified_days >= 1"),
        Feature("trainings_certified", "person", "int", gettext_noop("结业取证培训期数"),
                gettext_noop("本期结业并取得证书的培训期数"),
                lambda ctx, rows: rows.count(), source="training_trainee", example="trainings_certified >= 1"),
        Feature("training_benefit_months", "person", "int", gettext_noop("培训期间领取失业保险金月数"),
                gettext_noop("本期结业取证的培训在培训期间（开班到结业的月份）领取失业保险金的月数"),
                lambda ctx, rows: rows.benefit_months.sum(), source="training_trainee",
                example="training_benefit_months == 0"),
        Feature("trainees_certified", "enterprise", "int", gettext_noop("培训取证人数"),
                gettext_noop("本期在本机构的培训中结业并取得证书的学员人次"),
                lambda ctx, rows: rows.count(), source="training_provider", example="trainees_certified >= 1"),
        Feature("trainees_certified", "enterprise", "int", gettext_noop("指定等级培训取证人数"),
                gettext_noop("本期在本机构指定等级的培训中结业并取得证书的学员人次"),
                lambda ctx, rows, level: (rows.level == level).ifelse(1, 0).sum(), source="training_provider",
                params=(_LEVEL,), example='trainees_certified("junior") * 1000'),
    ]
