"""What the employer register contributes to core (``bangfu.core.hooks``): its code list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import CodeList
from bangfu.employers import choices as c

CODE_LISTS = [CodeList("credit_rating", _("信用评价"), c.CreditRating, order=70)]

# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "employer.create": _("新增用人单位"),
    "employer.update": _("修改用人单位"),
}

AUDIT_FIELDS = {
    "uscc": _("统一社会信用代码"),
}
