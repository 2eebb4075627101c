"""Who is insured (the social-insurance system's insured list), who belongs to which vulnerable
group, and who should be insured and is not (应保尽保 gaps) with the township's follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.insurance import choices as c
from bangfu.registry.models import Person


class VulnerableGroupMember(BaseModel):
    """A person of a vulnerable group in a year (低保, 特困, 重度残疾 from civil affairs lists)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerable_groups",
                               verbose_name=_("人员"))
    group = models.CharField(_("困难群体类别"), max_length=20, choices=c.VulnerableGroup.choices)
    year = models.PositiveIntegerField(_("年度"))

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        ordering = ["-year", "person_id", "group"]
        verbose_name = _("困难群体认定")
        verbose_name_plural = _("困难群体认定")
        constraints = [models.UniqueConstraint(fields=["person", "group", "year"], name="vulnerable_group_uniq")]
        indexes = [models.Index(fields=["year", "group"], name="vulnerable_group_year_idx")]


class InsuredRecord(BaseModel):
    """One line of the insured list (参保名单): a registry person insured in a scheme and year,
    with the grade paid (fen) and whether the government paid it on behalf. The person's ID
    number stays on ``Person`` (encrypted); the list is matched to it by its hash on import."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="insured_records",
                               verbose_name=_("人员"))
    scheme = models.CharField(_("险种"), max_length=20, choices=c.InsuredScheme.choices)
    year = models.PositiveIntegerField(_("参保年度"))
    grade_fen = models.BigIntegerField(_("缴费档次（分）"), default=0)
    on_behalf = models.BooleanField(_("政府代缴"), default=False)
    list_date = models.DateField(_("名单日期"))

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        ordering = ["-year", "person_id", "scheme"]
        verbose_name = _("参保记录")
        verbose_name_plural = _("参保记录")
        constraints = [models.UniqueConstraint(fields=["person", "scheme", "year"], name="insured_record_uniq")]
        indexes = [models.Index(fields=["year", "scheme", "person"], name="insured_year_scheme_idx")]


class CoverageGap(BaseModel):
    """A registry person who should be insured under ``rule`` in ``year`` and is not on the insured
    list: open from ``since`` until a later list shows the person insured (``closed_on``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coverage_gaps",
                               verbose_name=_("人员"))
    year = models.PositiveIntegerField(_("年度"))
    rule = models.CharField(_("应参保依据"), max_length=30, choices=c.CoverageRule.choices)
    since = models.DateField(_("发现日期"))
    closed_on = models.DateField(_("消除日期"), null=True, blank=True)
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "township_code", "since", "id"]
        verbose_name = _("应保未保人员")
        verbose_name_plural = _("应保未保人员")
        constraints = [
            # One open gap per person, year and rule: a refresh that races another adds nothing twice.
            models.UniqueConstraint(fields=["person", "year", "rule"], condition=Q(closed_on__isnull=True),
                                    name="coverage_gap_open_uniq"),
        ]
        indexes = [models.Index(fields=["year", "closed_on"], name="coverage_gap_year_idx")]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CoverageFollowUp(models.Model):
    """What a township officer did about a gap (入户动员, 已参保 ...)."""

    gap = models.ForeignKey(CoverageGap, on_delete=models.CASCADE, related_name="follow_ups",
                            verbose_name=_("应保未保记录"))
    outcome = models.CharField(_("跟进结果"), max_length=20, choices=c.CoverageFollowUp.choices)
    note = models.CharField(_("情况说明"), max_length=300, blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "gap__district_code"
    area_township_field = "gap__township_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("应保尽保跟进记录")
        verbose_name_plural = _("应保尽保跟进记录")
