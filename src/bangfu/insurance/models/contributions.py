"""What employers paid for registry workers, month by month (the employer-insurance subsidy reads
it), and the months a person drew unemployment benefit. The engine reads the tables in place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.insurance import choices as c
from bangfu.registry.models import Person


class SocialInsuranceContribution(models.Model):
    """What an employer paid for one worker, one month and one insurance type (fen)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contributions",
                               verbose_name=_("人员"))
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contributions",
                                 verbose_name=_("缴费单位"))
    month = models.CharField(_("费款所属期"), max_length=7)
    insurance_type = models.CharField(_("险种"), max_length=20, choices=c.InsuranceType.choices)
    employer_fen = models.BigIntegerField(_("单位缴费（分）"), default=0)
    worker_fen = models.BigIntegerField(_("个人缴费（分）"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        ordering = ["-month", "person_id"]
        verbose_name = _("社保缴费记录")
        verbose_name_plural = _("社保缴费记录")
        constraints = [
            models.UniqueConstraint(fields=["person", "employer", "month", "insurance_type"],
                                    name="contribution_uniq"),
        ]
        indexes = [
            models.Index(fields=["employer", "person", "month"], name="contribution_emp_person_idx"),
            models.Index(fields=["month", "person"], name="contribution_month_person_idx"),
        ]


class UnemploymentBenefitMonth(models.Model):
    """A month in which a registry person drew unemployment benefit (失业保险金), from the
    unemployment-insurance system. Allowances that exclude benefit months (the training living
    allowance) read this table."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefit_months",
                               verbose_name=_("人员"))
    month = models.CharField(_("领取月份"), max_length=7)
    amount_fen = models.BigIntegerField(_("失业保险金（分）"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        ordering = ["-month", "person_id"]
        verbose_name = _("失业保险金领取记录")
        verbose_name_plural = _("失业保险金领取记录")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="benefit_month_uniq"),
        ]
        indexes = [models.Index(fields=["month", "person"], name="benefit_month_person_idx")]
