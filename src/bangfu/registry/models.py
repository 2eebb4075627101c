"""The registry: divisions, households and persons."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.codes import WORKER_MAX_AGE, WORKER_MIN_AGE, worker_birth_window
from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, MaskedIdentityMixin
from bangfu.core.scoping import AreaQuerySet
from bangfu.registry import choices as c


class Division(models.Model):
    """A division of Chongqing: a district/county or a township/town/subdistrict."""

    code = models.CharField(_("代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("级别"), max_length=20, choices=c.DivisionLevel.choices)
    parent_code = models.CharField(_("上级代码"), max_length=12, db_index=True)
    region_group = models.CharField(_("一区两群"), max_length=20, choices=c.RegionGroup.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A province or prefecture-level city of China, with its labour-cooperation region."""

    code = models.CharField(_("代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("级别"), max_length=10)  # province | city
    parent_code = models.CharField(_("上级代码"), max_length=6, blank=True, db_index=True)
    cooperation_region = models.CharField(
        _("劳务协作地区"), max_length=20, choices=c.CooperationRegion.choices, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("省市")
        verbose_name_plural = _("省市")

    def __str__(self) -> str:
        return self.name


class Household(BaseModel):
    number = models.CharField(_("户编号"), max_length=32, unique=True)
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    village = models.CharField(_("村"), max_length=60, blank=True)
    category = models.CharField(_("人口类型"), max_length=20, choices=c.Category.choices)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["number"]
        verbose_name = _("户")
        verbose_name_plural = _("户")

    def __str__(self) -> str:
        return self.number

    @property
    def area_code(self) -> str:
        return self.township_code


class PersonQuerySet(AreaQuerySet):
    def workers(self, on: dt.date | None = None) -> "PersonQuerySet":
        """Persons aged 16-65 inclusive on ``on`` with labour ability (DESIGN.md section 5)."""
        on = on or timezone.localdate()
        oldest_birth, youngest_birth = worker_birth_window(on)
        return self.filter(
            labour_ability__in=c.WORKING_ABILITIES,
            birth_date__lte=youngest_birth,
            birth_date__gte=oldest_birth,
        )


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_in_year(birth_date: dt.date, day: dt.date) -> int:
    """The age shown on screens: the age reached in ``day``'s year (birth year only).

    Unlike ``age_on`` it changes for everyone on 1 January, so reading a page every day never
    reveals the birthday (core/pii.py counts what a screen leaves of an ID number)."""
    return day.year - birth_date.year


class Person(MaskedIdentityMixin, BaseModel):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members",
                                  verbose_name=_("户"))
    name = models.CharField(_("姓名"), max_length=60)
    id_number = EncryptedTextField(_("证件号码"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    sex = models.CharField(_("性别"), max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField(_("出生日期"), db_index=True)
    relation = models.CharField(_("与户主关系"), max_length=20, choices=c.Relation.choices)
    phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    village = models.CharField(_("村"), max_length=60, blank=True)
    category = models.CharField(_("人口类型"), max_length=20, choices=c.Category.choices, db_index=True)
    labour_ability = models.CharField(_("劳动技能"), max_length=20, choices=c.LabourAbility.choices,
                                      db_index=True)
    education = models.CharField(_("文化程度"), max_length=20, choices=c.Education.choices, blank=True)
    health = models.CharField(_("健康状况"), max_length=20, choices=c.Health.choices, blank=True)
    in_school = models.BooleanField(_("是否在校生"), default=False)
    # Comma-separated occupation codes / certificate names: flat columns the batch engine reads.
    skills = models.CharField(_("技能"), max_length=200, blank=True, default="")
    certificates = models.CharField(_("技能证书"), max_length=200, blank=True, default="")
    accepted_places = models.CharField(_("可接受务工地点"), max_length=80, blank=True, default="")
    expected_wage_fen = models.BigIntegerField(_("期望月薪（分）"), null=True, blank=True)
    # Hash of the imported values: a re-import of an unchanged row is recognised without decrypting.
    content_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = PersonQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "township_code", "household_id", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [
            models.Index(fields=["labour_ability", "birth_date"], name="person_worker_idx"),
            # The registry order of every list (page, API, export): without it each page of 50
            # sorted the whole area (38 ms of an 83 ms API page on the 20,000-person demo).
            models.Index(fields=["district_code", "township_code", "household_id", "id"],
                         name="person_registry_order_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.township_code

    def age_on(self, day: dt.date) -> int:
        return age_on(self.birth_date, day)

    def display_age(self, day: dt.date) -> int:
        return age_in_year(self.birth_date, day)

    def is_worker_on(self, day: dt.date) -> bool:
        return (
            self.labour_ability in c.WORKING_ABILITIES
            and WORKER_MIN_AGE <= self.age_on(day) <= WORKER_MAX_AGE
        )

    @property
    def is_worker(self) -> bool:
        """Worker today: aged 16-65 with labour ability ordinary, skilled or weak."""
        return self.is_worker_on(timezone.localdate())

    @property
    def accepted_place_list(self) -> list[str]:
        return [p for p in self.accepted_places.split(",") if p]

    @property
    def skill_list(self) -> list[str]:
        return [s for s in self.skills.split(",") if s]

    @property
    def certificate_list(self) -> list[str]:
        return [s for s in self.certificates.split(",") if s]
