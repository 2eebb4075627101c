from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import Role


class UserCreateForm(forms.Form):
    username = forms.RegexField(label=_("用户名"), regex=r"^[A-Za-z0-9_.@-]{3,150}$",
                                error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -，至少3位")})
    display_name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    area_code = forms.CharField(label=_("所属区域代码"), max_length=12,
                                help_text=_("全市 50，区县 6 位代码，乡镇 9 位代码"))
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=8)


class UserUpdateForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    area_code = forms.CharField(label=_("所属区域代码"), max_length=12)
    is_active = forms.BooleanField(label=_("启用"), required=False)
