"""Forms of the arrears pages. Field checks live in ``validation`` (shared with the API)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.arrears import choices as c
from bangfu.arrears import validation as v
from bangfu.arrears.attachments import ALLOWED, check_files
from bangfu.arrears.models import Office
from bangfu.arrears.validation import clean_amount_fen, clean_phone, complaint_clean
from bangfu.core import reference

ERR_CITY_PROVINCE = _("所选城市不属于所选省份")
ERR_DISTRICT_REQUIRED = _("务工地在重庆市内时请选择区县")
ERR_AGREE = _("请确认所填信息真实")

TEXT_ATTRS = {"autocomplete": "off"}


def province_choices() -> list[tuple[str, str]]:
    rows = [(code, row["name"]) for code, row in reference.places().items() if row["level"] == "province"]
    # Chongqing first: many complaints concern work inside the city.
    rows.sort(key=lambda item: (item[0] != "50", item[0]))
    return [("", _("请选择省份"))] + rows


def city_choices() -> list[tuple[str, str]]:
    """Cities of every province, and the districts/counties of Chongqing (codes 50xxxx)."""
    rows = [("", _("请选择城市或区县"))]
    for code, row in reference.places().items():
        if row["level"] == "city" and row["name"] not in ("市辖区", "县"):
            rows.append((code, row["name"]))
    for code, row in reference.divisions().items():
        if row["parent_code"] == "50":
            rows.append((code, row["name"]))
    return rows


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        accept = ",".join(f".{ext}" for ext in ALLOWED)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(forms.Form):
    """The complaint, as the worker types it on the public page (and the officer on theirs)."""

    worker_name = forms.CharField(label=_("姓名"), max_length=30, widget=forms.TextInput(TEXT_ATTRS))
    id_number = forms.CharField(label=_("身份证号码"), max_length=18,
                                widget=forms.TextInput({**TEXT_ATTRS, "inputmode": "text"}))
    phone = forms.CharField(label=_("手机号码"), max_length=20,
                            help_text=_("用于接收办理进度短信，并凭它查询进度"),
                            widget=forms.TextInput({**TEXT_ATTRS, "inputmode": "tel", "type": "tel"}))
    employer_name = forms.CharField(label=_("用人单位或包工头"), max_length=100)
    employer_credit_code = forms.CharField(label=_("统一社会信用代码（选填）"), max_length=18,
                                           required=False)
    province = forms.ChoiceField(label=_("务工省份"), choices=province_choices)
    city = forms.ChoiceField(label=_("务工城市或区县"), choices=city_choices, required=False)
    work_address = forms.CharField(label=_("详细地址或工地名称"), max_length=200, required=False)
    is_construction = forms.TypedChoiceField(
        label=_("是否工程建设领域"), choices=((1, _("是（工地、建筑、装修等）")), (0, _("否"))),
        coerce=lambda v: str(v) == "1", widget=forms.RadioSelect, initial=0,
    )
    project_name = forms.CharField(label=_("项目名称（选填）"), max_length=100, required=False)
    period_start = forms.CharField(label=_("欠薪起始月"), widget=forms.TextInput({"type": "month"}))
    period_end = forms.CharField(label=_("欠薪截止月"), widget=forms.TextInput({"type": "month"}))
    amount_owed = forms.CharField(label=_("欠薪金额（元）"), max_length=16,
                                  widget=forms.TextInput({"inputmode": "decimal"}))
    workers_affected = forms.IntegerField(label=_("涉及工人数（含本人）"), min_value=1, max_value=10_000,
                                          initial=1)
    description = forms.CharField(label=_("情况说明"), max_length=2000, required=False,
                                  widget=forms.Textarea({"rows": 4}),
                                  help_text=_("何时何地做什么工作、约定工资、欠了多少、找过谁"))
    attachments = MultipleFileField(label=_("证据材料（选填）"), required=False,
                                    help_text=_("工资条、合同、考勤、聊天记录截图等；JPG、PNG 或 PDF，最多5个，每个不超过5MB"))

    complaint = None  # the checked Complaint after is_valid()
    checked_files: list = []

    # Field by field first, so every mistake shows at once; ``clean`` then checks the whole.
    def clean_worker_name(self):
        return v.clean_name(self.cleaned_data["worker_name"])

    def clean_id_number(self):
        return v.clean_id_number(self.cleaned_data["id_number"])

    def clean_phone(self):
        return v.clean_phone(self.cleaned_data["phone"])

    def clean_employer_credit_code(self):
        return v.clean_credit_code(self.cleaned_data["employer_credit_code"])

    def clean_period_start(self):
        return v.clean_month(self.cleaned_data["period_start"])

    def clean_period_end(self):
        return v.clean_month(self.cleaned_data["period_end"])

    def clean_amount_owed(self):
        v.clean_amount_fen(self.cleaned_data["amount_owed"])
        return self.cleaned_data["amount_owed"]

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        self.checked_files = check_files(files)
        return files

    def clean(self):
        data = super().clean()
        province, city = data.get("province"), data.get("city")
        if province and city and not city.startswith(province):
            self.add_error("city", ERR_CITY_PROVINCE)
            return data
        if province == "50" and not city:
            self.add_error("city", ERR_DISTRICT_REQUIRED)
            return data
        if self.errors:
            return data
        raw = dict(data)
        raw["work_place_code"] = city or province
        try:
            self.complaint = complaint_clean(raw)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                field = {"work_place_code": "city", "amount_owed_fen": "amount_owed"}.get(field, field)
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


class PublicComplaintForm(ComplaintForm):
    agree = forms.BooleanField(label=_("本人承诺以上信息真实，同意办理机构为处理投诉使用这些信息"),
                               error_messages={"required": ERR_AGREE})
    # A field people do not see: bots fill it in.
    website = forms.CharField(required=False, label="", widget=forms.TextInput(
        {"tabindex": "-1", "autocomplete": "off", "class": "hp"}))


class OfficerComplaintForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("来源"), choices=[
        (c.Channel.PHONE, c.Channel.PHONE.label), (c.Channel.WALK_IN, c.Channel.WALK_IN.label)])


class StatusForm(forms.Form):
    number = forms.CharField(label=_("案件号"), max_length=20,
                             widget=forms.TextInput({"autocomplete": "off", "placeholder": "QX20261009xxxx"}))
    phone = forms.CharField(label=_("投诉时填写的手机号码"), max_length=20,
                            widget=forms.TextInput({"inputmode": "tel", "type": "tel", "autocomplete": "off"}))

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("办理结果"))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000,
                           widget=forms.Textarea({"rows": 3}),
                           help_text=_("不予受理须写明理由；办结须写明如何调查、调解或处理及结果"))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        states = case.next_states if case is not None else ()
        # No state preselected: a stray click on 确定 must not accept or reject a case.
        self.fields["to_state"].choices = [("", _("请选择"))] + [(s, c.State(s).label) for s in states]


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("本次支付金额（元）"), max_length=16,
                             widget=forms.TextInput({"inputmode": "decimal"}))
    workers = forms.IntegerField(label=_("本次支付人数"), min_value=0, max_value=10_000, initial=1)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000,
                           widget=forms.TextInput())
    mark_paid = forms.BooleanField(label=_("状态改为“已支付”"), required=False, initial=True)

    def clean_amount(self):
        return clean_amount_fen(self.cleaned_data["amount"])


class NoteForm(forms.Form):
    note = forms.CharField(label=_("办理记录"), max_length=2000, widget=forms.Textarea({"rows": 3}),
                           help_text=_("仅内部可见，如电话联系、约谈用人单位、现场检查"))


class TransferForm(forms.Form):
    office = forms.ModelChoiceField(label=_("转至机构"), queryset=Office.objects.none(),
                                    to_field_name="code")
    reason = forms.CharField(label=_("转办理由"), max_length=2000, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Office.objects.filter(active=True).order_by("kind", "code")
        if case is not None:
            qs = qs.exclude(pk=case.office_id)
        self.fields["office"].queryset = qs


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("延期理由"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class OfficeImportForm(forms.Form):
    file = forms.FileField(label=_("机构表（.xlsx 或 .csv）"))
