"""What the employer register contributes to core (``bangfu.core.hooks``): its code list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import CodeList
from bangfu.employers import choices as c

CODE_LISTS = [CodeList("credit_rating", _("信用评价"), c.CreditRating, order=70)]
