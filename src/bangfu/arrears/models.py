"""Wage-arrears leads and cases (欠薪线索), the offices that handle them, and their history."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.arrears import choices as c
from bangfu.arrears.attachments import evidence_storage
from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, MaskedIdentityMixin
from bangfu.core.scoping import CITY_CODE, AreaQuerySet


class Office(BaseModel):
    """Who handles a case: a district bureau inside Chongqing, an out-of-town office, or the city.

    District bureaus come from the division list (one per district/county); out-of-town
    offices (驻外劳务办事机构) are data, loaded and edited through the ``offices`` import.
    """

    code = models.CharField(_("机构编码"), max_length=20, unique=True)
    name = models.CharField(_("机构名称"), max_length=80)
    kind = models.CharField(_("机构类型"), max_length=20, choices=c.OfficeKind.choices, db_index=True)
    district_code = models.CharField(_("所在区县代码"), max_length=6, blank=True, default="",
                                     db_index=True)
    # Comma-separated codes of the provinces (2 digits) and cities (4 digits) an outpost covers.
    covers = models.CharField(_("负责省市"), max_length=400, blank=True, default="")
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True, default="")
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True, default="")
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")
    active = models.BooleanField(_("启用"), default=True)
    remark = models.CharField(_("备注"), max_length=200, blank=True, default="")

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("办理机构")
        verbose_name_plural = _("办理机构")

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        """The area whose officers see this office's cases: its district, or the city."""
        return self.district_code if self.kind == c.OfficeKind.DISTRICT else CITY_CODE

    @property
    def cover_list(self) -> list[str]:
        return [code for code in self.covers.split(",") if code]


class OfficeMember(BaseModel):
    """Links an officer to the office they work in (out-of-town offices have no area of their own)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="arrears_office_link", verbose_name=_("用户"))
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="members",
                               verbose_name=_("办理机构"))

    class Meta:
        verbose_name = _("机构工作人员")
        verbose_name_plural = _("机构工作人员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.office}"


def member_office_id(user) -> int | None:
    """The office an officer is linked to, if any (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None  # nobody, or a system actor: no office link
    if not hasattr(user, "_arrears_office_id"):
        user._arrears_office_id = (
            OfficeMember.objects.filter(user_id=user.pk).values_list("office_id", flat=True).first()
        )
    return user._arrears_office_id


class CaseQuerySet(AreaQuerySet):
    def restrict(self, user) -> "CaseQuerySet":
        """Cases an officer may see.

        An officer linked to an office sees that office's cases (out-of-town offices have no
        area); everyone else sees by area: the city all cases, a district its bureau's cases.
        A city administrator linked to an office still sees everything.
        """
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        office_id = member_office_id(user)
        if office_id is not None and getattr(user, "role", "") != "city_admin":
            return self.filter(office_id=office_id)
        return super().restrict(user)

    def open(self) -> "CaseQuerySet":
        return self.filter(state__in=c.OPEN_STATES)

    def leads(self) -> "CaseQuerySet":
        """Cases that count as leads: a duplicate linked into another case is not a new lead."""
        return self.exclude(state=c.State.LINKED)

    def overdue(self, today: dt.date) -> "CaseQuerySet":
        return self.filter(
            Q(state=c.State.RECEIVED, accept_due__lt=today)
            | Q(state__in=c.ACTIVE_STATES, finish_due__lt=today)
        )

    def by_priority(self) -> "CaseQuerySet":
        """Registry persons first, then amount band, workers at the employer, oldest lead."""
        from bangfu.arrears.priority import with_employer_workers

        return with_employer_workers(self).order_by(
            "-from_registry", "-amount_band", "-employer_workers", "received_at", "-amount_owed_fen",
            "id",
        )


class ArrearsCase(MaskedIdentityMixin, BaseModel):
    """One complaint of unpaid wages, from intake to closure."""

    number = models.CharField(_("案件号"), max_length=20, unique=True)
    channel = models.CharField(_("来源"), max_length=20, choices=c.Channel.choices)
    state = models.CharField(_("状态"), max_length=20, choices=c.State.choices,
                             default=c.State.RECEIVED, db_index=True)

    worker_name = models.CharField(_("投诉人姓名"), max_length=60)
    id_number = EncryptedTextField(_("证件号码"))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField(_("手机号码"))
    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    home_area_code = models.CharField(_("户籍地代码"), max_length=6, blank=True, default="")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="arrears_cases", verbose_name=_("花名册人员"))
    from_registry = models.BooleanField(_("脱贫人口"), default=False, db_index=True)
    registry_category = models.CharField(_("人口类型"), max_length=20, blank=True, default="")

    employer_name = models.CharField(_("用人单位"), max_length=100)
    # The code as the complainant gave it (evidence, even when no employer of that code is
    # registered); ``employer`` is the registered employer it names, when there is one.
    employer_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, default="")
    employer = models.ForeignKey("employers.Employer", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="arrears_cases", verbose_name=_("登记的用人单位"))
    # The credit code when known, else the normalised name: groups the workers of one employer.
    employer_key = models.CharField(max_length=100, db_index=True, editable=False)
    is_construction = models.BooleanField(_("工程建设领域"), default=False)
    project_name = models.CharField(_("项目名称"), max_length=100, blank=True, default="")
    work_place_code = models.CharField(_("务工地代码"), max_length=6)
    work_place_label = models.CharField(_("务工地"), max_length=60)
    work_address = models.CharField(_("详细地址"), max_length=200, blank=True, default="")
    period_start = models.CharField(_("欠薪起始月"), max_length=7)
    period_end = models.CharField(_("欠薪截止月"), max_length=7)
    amount_owed_fen = models.BigIntegerField(_("欠薪金额（分）"))
    amount_band = models.SmallIntegerField(_("金额档次"), choices=c.AmountBand.choices, default=0)
    workers_affected = models.PositiveIntegerField(_("涉及人数"), default=1)
    description = models.TextField(_("情况说明"), blank=True, default="")

    received_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)
    received_on = models.DateField(_("登记日期"), db_index=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("办理机构"))
    area_code = models.CharField(_("所属区域"), max_length=12, db_index=True)

    accept_due = models.DateField(_("受理期限"), null=True, blank=True)
    decided_on = models.DateField(_("受理决定日期"), null=True, blank=True)
    decided_on_time = models.BooleanField(_("按期受理"), null=True, blank=True)
    finish_due = models.DateField(_("办结期限"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    extension_reason = models.TextField(_("延期理由"), blank=True, default="")
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("按期办结"), null=True, blank=True)
    working_days_to_close = models.IntegerField(_("办结用时（工作日）"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级市级督办时间"), null=True, blank=True, db_index=True)

    amount_recovered_fen = models.BigIntegerField(_("追回金额（分）"), default=0)
    workers_paid = models.PositiveIntegerField(_("已支付人数"), default=0)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True, default="")
    closing_note = models.TextField(_("办结说明"), blank=True, default="")

    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates", verbose_name=_("并入案件"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("登记人"))

    objects = CaseQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("欠薪案件")
        verbose_name_plural = _("欠薪案件")
        indexes = [
            models.Index(fields=["office", "state"], name="arrears_office_state_idx"),
            models.Index(fields=["id_number_hash", "employer_key"], name="arrears_dup_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in c.OPEN_STATES

    @property
    def next_states(self) -> tuple[str, ...]:
        return c.TRANSITIONS.get(self.state, ())


class CaseEvent(models.Model):
    """One step in a case's history; ``public`` steps are shown to the worker."""

    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="events",
                             verbose_name=_("案件"))
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True, default="")
    kind = models.CharField(_("类型"), max_length=20, choices=c.EventKind.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=c.State.choices, blank=True,
                                  default="")
    to_state = models.CharField(_("新状态"), max_length=20, choices=c.State.choices, blank=True,
                                default="")
    note = models.TextField(_("说明"), blank=True, default="")
    amount_fen = models.BigIntegerField(_("金额（分）"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    from_office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("原机构"))
    to_office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("新机构"))
    public = models.BooleanField(_("投诉人可见"), default=False)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


def _attachment_path(instance: "CaseAttachment", filename: str) -> str:
    # Never the uploader's file name on disk: a random name with the checked extension.
    ext = instance.extension or "bin"
    return f"arrears/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class CaseAttachment(models.Model):
    """Evidence uploaded with a complaint (photos of pay slips, contracts, chat records)."""

    case = models.ForeignKey(ArrearsCase, on_delete=models.CASCADE, related_name="attachments",
                             verbose_name=_("案件"))
    # Encrypted at rest (a Fernet token on disk); opening it gives the clear file back.
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200,
                            storage=evidence_storage)
    original_name = models.CharField(_("原文件名"), max_length=120)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name
