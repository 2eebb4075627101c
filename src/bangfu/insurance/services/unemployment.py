"""Employers' unemployment-insurance contributions at the reduced rate, with the reduction."""

from __future__ import annotations

from django.db import transaction

from bangfu.core.actors import Actor, require, require_area
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.employers.models import Employer
from bangfu.insurance.models import UnemploymentContribution
from bangfu.insurance.params import param, ui_reduction_fen
from bangfu.insurance.services.errors import ERR_NEGATIVE, InsuranceError


def employer_area(employer: Employer) -> str:
    """The area an employer's insurance records belong to: where it is, else who registered it."""
    return employer.district_code or employer.owner_area_code


@transaction.atomic
def ui_contribution_record(*, actor: Actor, employer: Employer, month: str, scale: str, insured_count: int,
                           base_fen: int, leavers_claiming: int = 0, rate_bp: int | None = None,
                           ) -> tuple[UnemploymentContribution, str]:
    """One employer-month of 单位失业保险缴费: paid = base × rate, 减征额 = base × (standard − rate).
    A second record of the same month corrects it. ("created"|"updated"|"unchanged")."""
    require(actor, Capability.IMPORT_REGISTRY)
    require_area(actor, employer_area(employer))  # the job-retention refund is computed from these
    if min(insured_count, base_fen, leavers_claiming) < 0:
        raise InsuranceError(ERR_NEGATIVE)
    rate = int(param("INSURANCE_UI_REDUCED_RATE_BP") if rate_bp is None else rate_bp)
    values = {"scale": scale, "insured_count": insured_count, "base_fen": base_fen, "rate_bp": rate,
              "paid_fen": base_fen * rate // 10_000, "reduction_fen": ui_reduction_fen(base_fen, rate),
              "leavers_claiming": leavers_claiming}
    row, created = UnemploymentContribution.objects.select_for_update().get_or_create(
        employer=employer, month=month, defaults=values)
    outcome = "created"
    if not created:
        if all(getattr(row, k) == v for k, v in values.items()):
            return row, "unchanged"
        for k, v in values.items():
            setattr(row, k, v)
        row.full_clean(exclude=["employer"])
        row.save(update_fields=[*values, "updated_at"])
        outcome = "updated"
    audit_record(actor=actor, action="insurance.ui_contribution", obj=row, area_code=employer.district_code,
                 detail={"month": month, "base_fen": base_fen, "rate_bp": rate,
                         "reduction_fen": values["reduction_fen"], "outcome": outcome})
    return row, outcome
