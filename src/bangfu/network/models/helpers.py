"""Helpers (帮扶队伍: 劳务经纪人、职业指导师、就业信息员 …), their caseloads, the service records
that count as 就业服务人次, and organised outflow batches (有组织劳务输出)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, mask_bank_account
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.network import choices as c
from bangfu.network.models.markets import AreaScoped
from bangfu.registry import choices as rc
from bangfu.registry.models import Person


class Helper(AreaScoped):
    """A member of the helpers' team, registered (备案) in a district; covers an area."""

    name = models.CharField(_("姓名"), max_length=60)
    role = models.CharField(_("类别"), max_length=20, choices=c.HelperRole.choices)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="helper", verbose_name=_("登录账号"))
    phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    birth_date = models.DateField(_("出生日期"))
    covered_area_code = models.CharField(_("服务区域"), max_length=12, db_index=True)
    village = models.CharField(_("推荐村（社区）"), max_length=60, blank=True, default="")
    status = models.CharField(_("备案状态"), max_length=20, choices=c.HelperStatus.choices,
                              default=c.HelperStatus.APPLIED, db_index=True)
    applied_on = models.DateField(_("申请日期"))
    recommended_on = models.DateField(_("村级推荐日期"), null=True, blank=True)
    trained_on = models.DateField(_("培训日期"), null=True, blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    registered_on = models.DateField(_("备案日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("注销日期"), null=True, blank=True)
    # Where a broker award (broker_outflow_award) is paid: the helper's own account.
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True, default="")
    bank_account = EncryptedTextField(_("银行账号"), blank=True, default="")
    bank_account_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["district_code", "township_code", "id"]
        verbose_name = _("帮扶人员")
        verbose_name_plural = _("帮扶人员")
        constraints = [
            # the same person (name, birth date, district: the roster's key) is registered once,
            # decided by the database: two imports of one roster at once register one helper
            models.UniqueConstraint(fields=["district_code", "name", "birth_date"], name="helper_natural_key_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bank_account_masked(self) -> str:
        return mask_bank_account(self.bank_account)


class Caseload(AreaScoped):
    """A helper's responsibility for one worker (包联); at most one open primary helper per worker."""

    helper = models.ForeignKey(Helper, on_delete=models.CASCADE, related_name="caseload",
                               verbose_name=_("帮扶人员"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caseloads",
                               verbose_name=_("服务对象"))
    primary = models.BooleanField(_("主责帮扶"), default=True)
    started_on = models.DateField(_("包联开始"))
    ended_on = models.DateField(_("包联结束"), null=True, blank=True)

    class Meta:
        ordering = ["helper_id", "person_id"]
        verbose_name = _("包联对象")
        verbose_name_plural = _("包联对象")
        constraints = [
            # decided by the database, not by a check before the insert: two officers assigning
            # the same worker at once leave one primary helper
            models.UniqueConstraint(fields=["person"], condition=Q(primary=True, ended_on__isnull=True),
                                    name="caseload_one_primary_helper"),
            models.UniqueConstraint(fields=["helper", "person"], condition=Q(ended_on__isnull=True),
                                    name="caseload_helper_person_open_uniq"),
        ]
        indexes = [models.Index(fields=["helper", "ended_on"], name="caseload_helper_open_idx")]


class ServiceRecord(AreaScoped):
    """A service a helper gave a worker (走访、电话、岗位推送、指导、推荐、组织输出): 就业服务人次."""

    helper = models.ForeignKey(Helper, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="services", verbose_name=_("帮扶人员"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_services",
                               verbose_name=_("服务对象"))
    kind = models.CharField(_("服务类型"), max_length=20, choices=c.ServiceKind.choices)
    posting_id = models.BigIntegerField(_("岗位编号"), null=True, blank=True)
    served_on = models.DateField(_("服务日期"))
    month = models.CharField(_("服务月份"), max_length=7, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("记录人"))
    actor_name = models.CharField(_("记录人账号"), max_length=150, blank=True, default="")
    # from an import (帮扶服务记录): its row's key (person, helper, kind, date, note) is unique among
    # imported records; services recorded one by one (two calls in a day) may repeat
    imported = models.BooleanField(_("导入"), default=False, db_default=False, editable=False)  # bulk inserts too

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("帮扶服务记录")
        verbose_name_plural = _("帮扶服务记录")
        indexes = [models.Index(fields=["person", "month"], name="netservice_person_month_idx")]
        constraints = [  # two imports of one file at once record each service once (NULLs never collide)
            models.UniqueConstraint(fields=["person", "helper", "kind", "served_on", "note"],
                                    condition=Q(imported=True, helper__isnull=False), name="netservice_import_uniq"),
            models.UniqueConstraint(fields=["person", "kind", "served_on", "note"],
                                    condition=Q(imported=True, helper__isnull=True),
                                    name="netservice_import_nohelper_uniq"),
        ]


class OutflowBatch(BaseModel):
    """Organised labour outflow (有组织劳务输出): workers sent together to one destination."""

    name = models.CharField(_("批次名称"), max_length=100)
    helper = models.ForeignKey(Helper, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="outflows", verbose_name=_("组织人"))
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("用工单位"))
    departed_on = models.DateField(_("出发日期"))
    month = models.CharField(_("输出月份"), max_length=7, db_index=True, default="")
    destination_code = models.CharField(_("目的地代码"), max_length=12)
    cooperation_region = models.CharField(_("劳务协作地区"), max_length=20, blank=True, default="",
                                          choices=rc.CooperationRegion.choices)
    owner_area_code = models.CharField(_("组织区域"), max_length=12, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "owner_area_code"

    class Meta:
        ordering = ["-departed_on", "-id"]
        verbose_name = _("有组织劳务输出批次")
        verbose_name_plural = _("有组织劳务输出批次")

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.owner_area_code


class OutflowMember(AreaScoped):
    batch = models.ForeignKey(OutflowBatch, on_delete=models.CASCADE, related_name="members",
                              verbose_name=_("批次"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员"))

    class Meta:
        verbose_name = _("输出人员")
        verbose_name_plural = _("输出人员")
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="outflow_member_uniq")]
