"""One employer per unified social credit code (统一社会信用代码), shared by every programme.

Postings (渝职聘), enterprise subsidies (免申即享), assistance workshops, social-insurance
contributions and wage-arrears cases all point at this one row. It carries what each of them
needs: where the employer is (a Chongqing district and township, or another province's place
code with its cooperation region), its contact, its credit rating, and the corporate bank
account subsidies are paid into (encrypted, with a keyed hash).

An employer is *managed* by the area that registered it (``owner_area_code``); every officer
may read the list (a job in the main metropolitan zone is offered to every district).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, mask_bank_account, mask_phone
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers import choices as c
from bangfu.registry import choices as rc


class Employer(BaseModel):
    name = models.CharField(_("单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    place_code = models.CharField(_("所在地代码"), max_length=12, blank=True, default="",
                                  help_text=_("重庆的区县或乡镇代码，或外省的省市代码"))
    district_code = models.CharField(_("所在区县"), max_length=6, blank=True, default="", db_index=True)
    township_code = models.CharField(_("所在乡镇"), max_length=9, blank=True, default="", db_index=True)
    cooperation_region = models.CharField(_("劳务协作地区"), max_length=20, blank=True, default="",
                                          choices=rc.CooperationRegion.choices)
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True, default="")
    contact_phone = EncryptedTextField(_("联系电话"), blank=True, default="")
    contact_phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    credit_rating = models.CharField(_("信用评价"), max_length=1, choices=c.CreditRating.choices,
                                     default=c.CreditRating.B)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True, default="")
    bank_account = EncryptedTextField(_("银行账号"), blank=True, default="")
    bank_account_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    owner_area_code = models.CharField(_("登记区域"), max_length=12, db_index=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "owner_area_code"

    class Meta:
        ordering = ["name"]
        verbose_name = _("用工单位")
        verbose_name_plural = _("用工单位")

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.owner_area_code

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def bank_account_masked(self) -> str:
        return mask_bank_account(self.bank_account)
