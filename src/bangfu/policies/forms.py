"""Forms of the subsidies pages. The policy form refuses CEL that does not parse, names an
unknown feature or has the wrong type, with the line, column and a Chinese message."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.engine import engine_kind
from bangfu.engine import features as ft
from bangfu.engine.policy import cel
from bangfu.engine.policy.definition import DefinitionError, PolicyDefinition, validate
from bangfu.policies import choices as c
from bangfu.registry.filters import district_choices

FIELD_OF = {"code": "code", "name": "name", "legal_basis": "legal_basis", "beneficiary": "beneficiary",
            "condition": "condition", "amount": "amount", "budget_yuan": "budget_yuan", "period": "beneficiary",
            "frequency": "beneficiary", "yaml": "condition"}


class PolicyForm(forms.Form):
    code = forms.SlugField(label=_("政策代码"), max_length=50,
                           help_text=_("小写英文字母、数字和下划线，如 transport_subsidy；保存后不能修改"))
    name = forms.CharField(label=_("政策名称"), max_length=200)
    legal_basis = forms.CharField(label=_("政策依据（文件号）"), max_length=300)
    beneficiary = forms.ChoiceField(label=_("受益对象"), choices=c.BeneficiaryKind.choices)
    condition = forms.CharField(label=_("享受条件（CEL 表达式）"), widget=forms.Textarea(attrs={"rows": 7, "class": "code", "spellcheck": "false"}),
                                help_text=_("结果为是/否。例：category in [\"alleviated\", \"monitored\"] && age >= 16"))
    amount = forms.CharField(label=_("补贴金额（CEL 表达式，单位元）"), widget=forms.Textarea(attrs={"rows": 3, "class": "code", "spellcheck": "false"}),
                             help_text=_("结果为数字（元）。例：worked_outside_city ? 200 : 50"))
    budget_yuan = forms.DecimalField(label=_("预算（元）"), required=False, min_value=Decimal("0.01"), decimal_places=2,
                                     help_text=_("留空表示不限；超出预算时不会生成待遇"))
    description = forms.CharField(label=_("政策说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("例如：金额由经办机构按本地现行文件设定"))
    change_reason = forms.CharField(label=_("修改原因"), required=False, max_length=300)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.cel_errors: list[cel.CelError] = []
        if editing:
            self.fields["code"].disabled = True
            self.fields["change_reason"].required = True

    def clean(self):
        data = super().clean()
        # The CEL is checked even when another field is missing, so every problem shows at once.
        kind = data.get("beneficiary")
        for field, expect in (("condition", (cel.BOOL,)), ("amount", (cel.INT, cel.DOUBLE))):
            text = (data.get(field) or "").strip()
            if kind in ft.KINDS and text:
                try:
                    cel.check(text, kind=kind, expect=expect, field_name=field)
                except cel.CelError as error:
                    self.cel_errors.append(error)
                    self.add_error(field, f"{error.position}：{error.message}")
        if self.errors:
            return data
        definition = PolicyDefinition(
            code=data["code"], name=data["name"], legal_basis=data["legal_basis"], beneficiary=data["beneficiary"],
            condition=data["condition"].strip(), amount=data["amount"].strip(),
            budget_yuan=float(data["budget_yuan"]) if data.get("budget_yuan") else None,
            description=data.get("description", "").strip(), note=data.get("note", "").strip(),
        )
        try:
            validate(definition)
        except DefinitionError as exc:
            for error in exc.errors:
                if isinstance(error, cel.CelError):
                    self.cel_errors.append(error)
                    self.add_error(error.field_name, f"{error.position}：{error.message}")
                else:
                    self.add_error(FIELD_OF.get(error[0], None), error[1])
            return data
        self.definition = definition
        return data

    def cel_error_for(self, field_name: str) -> cel.CelError | None:
        return next((e for e in self.cel_errors if e.field_name == field_name), None)


def _year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), f"{y}年") for y in range(this, this - 6, -1)]


def _default_year() -> str:
    from bangfu.policies.selectors import latest_data_year

    return latest_data_year()


class RunForm(forms.Form):
    period = forms.ChoiceField(label=_("期间（年度）"))
    engine = forms.ChoiceField(label=_("计算引擎"), choices=c.Engine.choices, initial=engine_kind)
    area = forms.ChoiceField(label=_("范围"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _year_choices()
        self.fields["period"].initial = _default_year()
        area = getattr(user, "area_code", "50")
        if area == "50":
            self.fields["area"].choices = [("50", _("全市"))] + list(district_choices(area))
        else:
            self.fields["area"].choices = [(area, _("本辖区"))]
        self.fields["area"].initial = area
        if area != "50":  # the engine is the city's technical choice: others run the default
            self.fields["engine"].widget = forms.HiddenInput()
            self.fields["engine"].choices = [(engine_kind(), engine_kind())]


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class BatchForm(forms.Form):
    policy = forms.ChoiceField(label=_("政策"))
    period = forms.ChoiceField(label=_("期间（年度）"))
    rebatch = forms.BooleanField(label=_("失败重发（仅已更正账户的失败待遇）"), required=False)

    def __init__(self, *args, policies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = [(p.code, p.name) for p in policies]
        self.fields["period"].choices = _year_choices()
        self.fields["period"].initial = _default_year()


def kind_label(kind: str) -> str:
    return str(c.BeneficiaryKind(kind).label) if kind in c.BeneficiaryKind.values else kind


def feature_kinds() -> list[tuple[str, str]]:
    return [(k, str(c.BeneficiaryKind(k).label)) for k in ft.KINDS]
