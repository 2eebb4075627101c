"""The network's page forms: a workshop's application (申报), exit, members and yearly rating; a
market's gig posting and a match. They only parse and check the input: every write goes through
``network.services``, whose refusals the views put back on the form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from bangfu.core import reference
from bangfu.core.identifiers import looks_like_id_number
from bangfu.core.money import yuan_to_fen
from bangfu.core.months import is_month, month_of
from bangfu.core.pii import pii_hash
from bangfu.network import choices as c
from bangfu.registry.models import Person

CITY_CODE = "50"
ERR_CODE_TAKEN = gettext_noop("该认定编号已被使用")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.TextInput(attrs={"pattern": r"\d{4}-\d{2}", "inputmode": "numeric"})


def township_choices(area_code: str) -> list[tuple[str, str]]:
    """Townships inside the user's area, labelled 区县 乡镇."""
    divisions = reference.divisions()
    out = []
    for code, row in divisions.items():
        if len(code) == 9 and (area_code == CITY_CODE or code.startswith(area_code)):
            district = divisions.get(code[:6], {}).get("name", "")
            out.append((code, f"{district} {row['name']}"))
    return sorted(out)


class _NotEchoed(forms.TextInput):
    """A refused form comes back without the typed ID number: a full number is never on a page."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class PersonByIdNumber(forms.CharField):
    """A registry person of the user's area named by their ID number (the number is only hashed)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("身份证号"))
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault("widget", _NotEchoed(attrs={"autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def find(self, value: str, user) -> Person:
        value = value.strip().upper()
        if not looks_like_id_number(value):
            raise forms.ValidationError(_("请输入18位身份证号"))
        person = Person.objects.restrict(user).filter(id_number_hash=pii_hash(value)).first()
        if person is None:
            raise forms.ValidationError(_("您的管辖区域内没有该身份证号的人员"))
        return person


def _month_field(label, required=True):
    return forms.CharField(label=label, max_length=7, required=required, widget=MONTH,
                           help_text=_("格式：年-月，如 2024-05"))


def _check_month(value: str) -> str:
    value = value.strip()
    if value and not is_month(value):
        raise forms.ValidationError(_("年月格式应为 2024-05"))
    return value


class WorkshopApplyForm(forms.Form):
    code = forms.CharField(label=_("认定编号"), max_length=40)
    name = forms.CharField(label=_("车间名称"), max_length=200)
    employer_uscc = forms.CharField(label=_("经营主体统一社会信用代码"), max_length=18)
    township_code = forms.ChoiceField(label=_("所在乡镇"))
    workshop_type = forms.ChoiceField(label=_("车间类型"), choices=c.WorkshopType.choices)
    industry = forms.CharField(label=_("主营产业"), max_length=100, required=False)
    applied_on = forms.DateField(label=_("申报日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["township_code"].choices = [("", "—")] + township_choices(user.area_code)

    def _district(self) -> str:
        """The district the workshop is applied in (认定编号 are issued per district): the user's,
        or for a city-wide user the chosen township's; blank while no valid township is chosen."""
        if len(self.user.area_code) >= 6:
            return self.user.area_code[:6]
        township = self.data.get(self.add_prefix("township_code"), "")
        return township[:6] if township in dict(self.fields["township_code"].choices) and township else ""

    def clean_code(self):
        """Taken in this district only: another district's codes are neither seen nor probed."""
        from bangfu.network.models import Workshop

        code = self.cleaned_data["code"].strip()
        district = self._district()
        if district and Workshop.objects.filter(district_code=district, code=code).exists():
            raise forms.ValidationError(_(ERR_CODE_TAKEN))
        return code

    def clean_employer_uscc(self):
        from bangfu.employers.selectors import employer_get_by_uscc

        employer = employer_get_by_uscc(user=self.user, uscc=self.cleaned_data["employer_uscc"])
        if employer is None:
            raise forms.ValidationError(_("没有该统一社会信用代码的经营主体，请先在用工单位中登记"))
        self.cleaned_data["employer"] = employer
        return employer.uscc

    def clean_applied_on(self):
        day = self.cleaned_data["applied_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天"))
        return day


class WorkshopExitForm(forms.Form):
    reason = forms.CharField(label=_("退出原因"), max_length=200)
    exited_on = forms.DateField(label=_("退出日期"), widget=DATE, initial=timezone.localdate)


class WorkshopMemberForm(forms.Form):
    id_number = PersonByIdNumber()
    start_month = _month_field(_("起始年月"))
    end_month = _month_field(_("结束年月"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["start_month"].initial = month_of(timezone.localdate())

    def clean_id_number(self):
        self.cleaned_data["person"] = self.fields["id_number"].find(self.cleaned_data["id_number"], self.user)
        return ""

    def clean_start_month(self):
        return _check_month(self.cleaned_data["start_month"])

    def clean_end_month(self):
        return _check_month(self.cleaned_data["end_month"])


class MemberEndForm(forms.Form):
    end_month = _month_field(_("结束年月"))

    def clean_end_month(self):
        return _check_month(self.cleaned_data["end_month"])


class WorkshopRatingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2015, max_value=2100)
    rating = forms.ChoiceField(label=_("评定等次"), choices=c.WorkshopRating.choices)
    review_passed = forms.BooleanField(label=_("稳定运行复核通过"), required=False)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("不能评定未来年度"))
        return year


class GigPostingForm(forms.Form):
    employer_name = forms.CharField(label=_("用工方"), max_length=200)
    title = forms.CharField(label=_("零工内容"), max_length=100)
    pay_basis = forms.ChoiceField(label=_("计酬方式"), choices=c.PayBasis.choices)
    pay_yuan = forms.DecimalField(label=_("报酬（元/日或元/件）"), min_value=Decimal("0"), max_digits=10,
                                  decimal_places=2)
    headcount = forms.IntegerField(label=_("需求人数"), min_value=1, max_value=10_000)
    work_date = forms.DateField(label=_("用工日期"), widget=DATE, initial=timezone.localdate)

    def clean_work_date(self):
        day = self.cleaned_data["work_date"]
        if day < timezone.localdate() - dt.timedelta(days=366):
            raise forms.ValidationError(_("用工日期不能早于一年前"))
        return day

    @property
    def pay_fen(self) -> int:
        return yuan_to_fen(self.cleaned_data["pay_yuan"])


class GigMatchForm(forms.Form):
    id_number = PersonByIdNumber()
    outcome = forms.ChoiceField(label=_("对接结果"), choices=c.GigOutcome.choices, initial=c.GigOutcome.PENDING)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        self.cleaned_data["person"] = self.fields["id_number"].find(self.cleaned_data["id_number"], self.user)
        return ""


class GigOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("对接结果"), choices=c.GigOutcome.choices)
