"""Forms of the payment pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReturnFileForm(forms.Form):
    file = forms.FileField(label=_("银行回盘文件（.xlsx 或 .csv）"))


class PayeeAccountForm(forms.Form):
    bank_name = forms.CharField(label=_("开户银行"), max_length=100)
    account = forms.CharField(label=_("银行账号"), max_length=40, help_text=_("8到32位数字，可含空格"))
