"""职业伤害保障: platforms join the pilot, declare their orders monthly (the premium follows from the
industry's rate per order), and injury cases go 职业伤害确认 → 劳动能力鉴定 → 待遇支付."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bangfu import codes
from bangfu.core.actors import Actor, require, require_area
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.pii import pii_hash
from bangfu.employers.models import Employer
from bangfu.insurance import choices as c
from bangfu.insurance.models import InjuryCase, OrderDeclaration, Platform
from bangfu.insurance.params import injury_fen_per_order
from bangfu.insurance.services.unemployment import employer_area
from bangfu.insurance.services.errors import (
    ERR_GRADE, ERR_INJURY_REPORTED, ERR_NEGATIVE, ERR_NO_EDIT, ERR_NOTE_REQUIRED, ERR_STAGE, InsuranceError,
)
from bangfu.registry.models import Person

S = c.InjuryStage


def _require(actor: Actor, area_code: str) -> None:
    require(actor, Capability.EDIT_REGISTRY, _(ERR_NO_EDIT))
    require_area(actor, area_code)


@transaction.atomic
def platform_register(*, actor: Actor, employer: Employer, industry: str, joined_month: str) -> Platform:
    """纳入试点: an employer of the register becomes a platform of ``industry``."""
    _require(actor, employer_area(employer))
    platform = Platform(employer=employer, industry=industry, joined_month=joined_month)
    platform.full_clean(exclude=["employer"])
    platform.save()
    audit_record(actor=actor, action="insurance.platform_register", obj=platform,
                 area_code=employer.district_code, detail={"industry": industry, "joined_month": joined_month})
    return platform


@transaction.atomic
def order_declaration_submit(*, actor: Actor, platform: Platform, month: str, orders: int,
                             insured_workers: int) -> tuple[OrderDeclaration, str]:
    """平台订单申报: the month's orders and workers with orders; a second submission of the same
    month corrects it. The premium is orders × the industry's rate. ("created"|"updated"|"unchanged")."""
    require(actor, Capability.IMPORT_REGISTRY)
    require_area(actor, employer_area(platform.employer))
    if orders < 0 or insured_workers < 0:
        raise InsuranceError(ERR_NEGATIVE)
    rate = injury_fen_per_order(platform.industry)
    values = {"orders": orders, "insured_workers": insured_workers, "rate_fen": rate, "premium_fen": orders * rate}
    # The unique (platform, month) constraint decides between two submissions of one month.
    declaration, created = OrderDeclaration.objects.select_for_update().get_or_create(
        platform=platform, month=month, defaults=values)
    outcome = "created"
    if not created:
        if all(getattr(declaration, k) == v for k, v in values.items()):
            return declaration, "unchanged"
        for k, v in values.items():
            setattr(declaration, k, v)
        declaration.save(update_fields=[*values, "updated_at"])
        outcome = "updated"
    audit_record(actor=actor, action="insurance.order_declaration", obj=declaration,
                 area_code=platform.employer.district_code,
                 detail={"month": month, "orders": orders, "insured_workers": insured_workers,
                         "premium_fen": values["premium_fen"], "outcome": outcome})
    return declaration, outcome


@transaction.atomic
def injury_case_report(*, actor: Actor, platform: Platform, worker_name: str, id_number: str,
                       injured_on: dt.date, district_code: str, township_code: str = "", note: str = "") -> InjuryCase:
    """受理: a platform worker's injury is reported (the worker may or may not be in the registry)."""
    _require(actor, township_code or district_code)
    person = Person.objects.filter(id_number_hash=pii_hash(id_number)).only("id").first()
    case = InjuryCase(platform=platform, worker_name=worker_name, id_number=id_number.strip().upper(),
                      id_number_hash=pii_hash(id_number), person=person, injured_on=injured_on,
                      district_code=district_code, township_code=township_code, note=note.strip()[:300])
    case.full_clean(exclude=["platform", "person"], validate_constraints=False)
    try:  # the constraint decides between two reports of one injury, even submitted at once
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise InsuranceError(ERR_INJURY_REPORTED) from None
    audit_record(actor=actor, action="insurance.injury_report", obj=case, area_code=township_code or district_code,
                 detail={"platform": platform.pk, "injured_on": injured_on.isoformat()})
    return case


def _advance(actor: Actor, case: InjuryCase, expected: str, action: str) -> InjuryCase:
    _require(actor, case.township_code or case.district_code)
    case = InjuryCase.objects.select_for_update().get(pk=case.pk)  # decide on the row as it is now
    if case.stage != expected:
        raise InsuranceError(ERR_STAGE, stage=case.get_stage_display(), action=action)
    return case


@transaction.atomic
def injury_case_confirm(*, actor: Actor, case: InjuryCase, confirmed: bool, note: str = "") -> InjuryCase:
    """职业伤害确认: confirmed, or not (with the reason)."""
    case = _advance(actor, case, S.REPORTED, _("确认职业伤害"))
    if not confirmed and not note.strip():
        raise InsuranceError(ERR_NOTE_REQUIRED)
    case.stage = S.CONFIRMED if confirmed else S.NOT_CONFIRMED
    case.note = note.strip()[:300] or case.note
    case.save(update_fields=["stage", "note", "updated_at"])
    audit_record(actor=actor, action="insurance.injury_confirm", obj=case, area_code=case.district_code,
                 detail={"confirmed": confirmed})
    return case


@transaction.atomic
def injury_case_assess(*, actor: Actor, case: InjuryCase, grade: int | None) -> InjuryCase:
    """劳动能力鉴定: the disability grade (1-10), or none."""
    case = _advance(actor, case, S.CONFIRMED, _("劳动能力鉴定"))
    if grade is not None and grade not in codes.DISABILITY_GRADES:
        raise InsuranceError(ERR_GRADE)
    case.stage, case.disability_grade = S.ASSESSED, grade
    case.save(update_fields=["stage", "disability_grade", "updated_at"])
    audit_record(actor=actor, action="insurance.injury_assess", obj=case, area_code=case.district_code,
                 detail={"grade": grade})
    return case


@transaction.atomic
def injury_case_pay(*, actor: Actor, case: InjuryCase, benefit_fen: int) -> InjuryCase:
    """待遇支付: the benefit the injury fund paid (recorded once; the fund pays, not bangfu)."""
    case = _advance(actor, case, S.ASSESSED, _("支付待遇"))
    if benefit_fen < 0:
        raise InsuranceError(ERR_NEGATIVE)
    case.stage, case.benefit_fen = S.PAID, benefit_fen
    case.save(update_fields=["stage", "benefit_fen", "updated_at"])
    audit_record(actor=actor, action="insurance.injury_pay", obj=case, area_code=case.district_code,
                 detail={"benefit_fen": benefit_fen})
    return case
