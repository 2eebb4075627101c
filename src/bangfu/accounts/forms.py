from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import AreaLevel
from bangfu.core.reference import area_choices, area_tree  # noqa: F401  (area_tree: the tree page)
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import CITY_CODE, DataScope


def role_choices() -> list[tuple[str, str]]:
    """The roles of the table, and any built-in role whose row is missing (as ``has_capability``
    falls back to its built-in definition: a database flushed by a test, never a live one)."""
    from bangfu.accounts.choices import ROLE_CAPABILITIES
    from bangfu.accounts.models import AccessRole, builtin_role

    roles = list(AccessRole.objects.all())
    present = {role.code for role in roles}
    roles += [builtin_role(code) for code in ROLE_CAPABILITIES if code not in present]
    return [(role.code, role.label) for role in roles]


def outpost_office_choices() -> list[tuple[str, str]]:
    if not apps.is_installed("bangfu.arrears"):
        return []
    from bangfu.arrears.models import Office

    offices = Office.objects.filter(active=True).order_by("kind", "code")
    return [("", _("（无）"))] + [(o.code, o.name) for o in offices]


class _UserFields(forms.Form):
    def __init__(self, *args, within: str = CITY_CODE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices()
        self.fields["area_code"].choices = area_choices(within)
        offices = outpost_office_choices()
        if offices:
            self.fields["office"].choices = offices
        else:
            del self.fields["office"]


class UserCreateForm(_UserFields):
    username = forms.RegexField(label=_("用户名"), regex=r"^[A-Za-z0-9_.@-]{3,150}$",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -，至少3位")})
    display_name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    role = forms.ChoiceField(label=_("角色"))
    area_code = forms.ChoiceField(label=_("所属区域"), help_text=_("从区划树中选择：全市、区县或乡镇（街道）"))
    office = forms.ChoiceField(label=_("所在办理机构"), required=False,
                               help_text=_("外地办事处的人员须选择其办事处；只看该机构的欠薪案件"))
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=8)

    field_order = ["username", "display_name", "role", "area_code", "office", "password"]


class UserUpdateForm(_UserFields):
    role = forms.ChoiceField(label=_("角色"))
    area_code = forms.ChoiceField(label=_("所属区域"), help_text=_("从区划树中选择：全市、区县或乡镇（街道）"))
    office = forms.ChoiceField(label=_("所在办理机构"), required=False,
                               help_text=_("外地办事处的人员须选择其办事处；只看该机构的欠薪案件"))
    is_active = forms.BooleanField(label=_("启用"), required=False)


class RoleForm(forms.Form):
    code = forms.SlugField(label=_("角色编码"), max_length=32,
                           help_text=_("英文字母、数字、下划线，创建后不可修改"))
    name = forms.CharField(label=_("角色名称"), max_length=40)
    capabilities = forms.MultipleChoiceField(label=_("权限"), choices=Capability.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    data_scope = forms.ChoiceField(label=_("数据范围"), choices=DataScope.choices)
    area_level = forms.ChoiceField(label=_("所属区域级别"), choices=AreaLevel.choices, required=False)
    remark = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
