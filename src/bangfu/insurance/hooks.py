"""What social insurance contributes to core (``bangfu.core.hooks``): its code list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.facts import FactTable
from bangfu.core.hooks import CodeList
from bangfu.insurance import choices as c

CODE_LISTS = [CodeList("insurance_type", _("险种"), c.InsuranceType, order=75)]

FACT_TABLES = [FactTable("insurance_socialinsurancecontribution", "month", _("社保缴费明细"), order=20)]
