"""Forms of 渝职聘. Values are checked by ``bangfu.jobs.validation`` (the same rules as the
import and the API); messages are Chinese."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.codes import CITY_CODE
from bangfu.core import reference
from bangfu.core.money import yuan_to_fen
from bangfu.jobs import choices as c
from bangfu.employers import choices as ec
from bangfu.employers.models import Employer
from bangfu.jobs.validation import posting_check

ERR_NO_EMPLOYER = _("未找到该统一社会信用代码的用工单位，请先登记用工单位")


def occupation_choices() -> list[tuple[str, str]]:
    rows = sorted(reference.occupations().values(), key=lambda r: r["code"])
    return [("", _("请选择职业"))] + [(r["code"], f"{r['code']} {r['name']}") for r in rows]


def place_choices(*, blank: str = "") -> list:
    """Chongqing's districts, then the provinces and cities elsewhere (grouped)."""
    divisions = reference.divisions()
    districts = sorted((r for r in divisions.values() if len(r["code"]) == 6), key=lambda r: r["code"])
    outside = []
    for code, row in sorted(reference.places().items()):
        if code.startswith(CITY_CODE):
            continue
        indent = "" if row["level"] == "province" else "　"
        outside.append((code, indent + reference.place_name(code, full=True)))
    return [("", blank or _("请选择")),
            (_("重庆市区县"), [(r["code"], r["name"]) for r in districts]),
            (_("外省（区、市）"), outside)]


def _fen(value) -> int | None:
    return None if value is None else yuan_to_fen(value)


class PostingForm(forms.Form):
    employer_uscc = forms.CharField(label=_("用工单位统一社会信用代码"), max_length=30)
    title = forms.CharField(label=_("岗位名称"), max_length=100)
    occupation_code = forms.ChoiceField(label=_("职业"), choices=occupation_choices)
    work_place = forms.ChoiceField(label=_("工作地点"), choices=place_choices, required=False)
    work_township = forms.CharField(label=_("乡镇代码（选填）"), max_length=9, required=False,
                                    help_text=_("岗位在重庆某个乡镇时填 9 位乡镇代码"))
    abroad = forms.BooleanField(label=_("境外岗位"), required=False)
    headcount = forms.IntegerField(label=_("招聘人数"), min_value=0)
    filled_count = forms.IntegerField(label=_("已招人数"), min_value=0, initial=0, required=False)
    wage_min = forms.DecimalField(label=_("月薪下限（元）"), min_value=Decimal(0), decimal_places=2)
    wage_max = forms.DecimalField(label=_("月薪上限（元）"), min_value=Decimal(0), decimal_places=2)
    age_min = forms.IntegerField(label=_("最低年龄"), initial=18)
    age_max = forms.IntegerField(label=_("最高年龄"), initial=55)
    required_certificates = forms.CharField(label=_("要求证书"), max_length=200, required=False,
                                            help_text=_("多个证书用顿号分隔，如：电工证、焊工证"))
    min_labour_ability = forms.ChoiceField(label=_("招聘对象"), choices=c.MinAbility.choices,
                                           initial=c.MinAbility.ORDINARY)
    accommodation = forms.BooleanField(label=_("提供食宿"), required=False)
    transport = forms.BooleanField(label=_("提供交通"), required=False)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("有效期止"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    source = forms.ChoiceField(label=_("岗位来源"), choices=c.PostingSource.choices, initial=c.PostingSource.LOCAL)
    description = forms.CharField(label=_("岗位说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELD_OF = {"work_place_code": "work_place", "wage_min_fen": "wage_min", "wage_max_fen": "wage_max"}
    # pairs of the two-column layout
    field_order = ["employer_uscc", "title", "occupation_code", "source", "work_place", "work_township",
                   "headcount", "min_labour_ability", "wage_min", "wage_max", "age_min", "age_max",
                   "valid_from", "valid_until", "required_certificates", "filled_count", "abroad",
                   "accommodation", "transport", "description"]

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        self.employer: Employer | None = None
        if new:
            del self.fields["filled_count"]
            self.fields["valid_from"].initial = timezone.localdate()

    def clean_employer_uscc(self) -> str:
        code = self.cleaned_data["employer_uscc"].strip().upper()
        self.employer = Employer.objects.filter(uscc=code).first()
        if self.employer is None:
            raise forms.ValidationError(ERR_NO_EMPLOYER)
        return code

    def posting_values(self) -> dict:
        d = self.cleaned_data
        township = (d.get("work_township") or "").strip()
        return {
            "title": d.get("title", ""), "occupation_code": d.get("occupation_code", ""),
            "work_place_code": township or d.get("work_place") or "", "abroad": d.get("abroad", False),
            "headcount": d.get("headcount"), "filled_count": d.get("filled_count") or 0,
            "wage_min_fen": _fen(d.get("wage_min")), "wage_max_fen": _fen(d.get("wage_max")),
            "age_min": d.get("age_min"), "age_max": d.get("age_max"),
            "required_certificates": d.get("required_certificates", ""),
            "min_labour_ability": d.get("min_labour_ability"), "accommodation": d.get("accommodation", False),
            "transport": d.get("transport", False), "valid_from": d.get("valid_from"),
            "valid_until": d.get("valid_until"), "source": d.get("source"),
            "description": d.get("description", ""),
        }

    def clean(self):
        data = super().clean()
        values = self.posting_values()
        # every rule at once, so the officer fixes the form in one go (fields that did not
        # even parse keep their own message)
        for field, message in posting_check(values, today=timezone.localdate(), new=self.new).items():
            name = self.FIELD_OF.get(field, field)
            if field == "work_place_code" and (self.cleaned_data.get("work_township") or "").strip():
                name = "work_township"
            if name in self.errors:
                continue
            self.add_error(name if name in self.fields else None, message)
        return data

    @classmethod
    def initial_from(cls, posting) -> dict:
        place = posting.work_place_code
        return {
            "employer_uscc": posting.employer.uscc, "title": posting.title,
            "occupation_code": posting.occupation_code,
            "work_place": posting.work_district_code or (place if len(place) in (2, 4) else ""),
            "work_township": posting.work_township_code, "abroad": posting.abroad,
            "headcount": posting.headcount, "filled_count": posting.filled_count,
            "wage_min": Decimal(posting.wage_min_fen) / 100, "wage_max": Decimal(posting.wage_max_fen) / 100,
            "age_min": posting.age_min, "age_max": posting.age_max,
            "required_certificates": "、".join(posting.certificate_list),
            "min_labour_ability": posting.min_labour_ability, "accommodation": posting.accommodation,
            "transport": posting.transport, "valid_from": posting.valid_from,
            "valid_until": posting.valid_until, "source": posting.source, "description": posting.description,
        }


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                           help_text=_("18 位，系统按国家标准校验"))
    place_code = forms.ChoiceField(label=_("所在地"), choices=place_choices, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=60, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    credit_rating = forms.ChoiceField(label=_("信用评价"), choices=ec.CreditRating.choices,
                                      initial=ec.CreditRating.B)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("服务类型"), choices=[
        (k, v) for k, v in c.ServiceKind.choices if k != c.ServiceKind.REFERRAL])
    served_on = forms.DateField(label=_("服务日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("服务内容"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_on"].initial = timezone.localdate()


class ReferForm(forms.Form):
    posting = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


class HireForm(forms.Form):
    hired_on = forms.DateField(label=_("录用日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    wage = forms.DecimalField(label=_("约定月薪（元）"), min_value=Decimal(1), decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hired_on"].initial = timezone.localdate()


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("结果"), choices=[
        ("interview", _("面试中")), ("rejected", _("未录用")), ("withdrawn", _("已放弃"))])
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


class ExportBatchForm(forms.Form):
    name = forms.CharField(label=_("批次名称"), max_length=100)
    departed_on = forms.DateField(label=_("出发日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("备注"), max_length=500, required=False)
    persons = forms.MultipleChoiceField(label=_("输出人员"), widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(str(p.pk), p.name) for p in candidates]
        self.fields["departed_on"].initial = timezone.localdate()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("岗位表（.xlsx 或 .csv）"))
    commit_valid = forms.BooleanField(label=_("跳过有错误的行，导入其余正确的行"), required=False)
