"""Code lists (字典) of the employers: credit ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CreditRating(models.TextChoices):
    A = "A", _("A 守信")
    B = "B", _("B 一般")
    C = "C", _("C 有欠薪或失信记录")
