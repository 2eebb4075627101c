"""系统管理: the code lists (字典管理) and parameters (参数设置) an operator looks up.

The code lists and the labels of the apps' parameters come from the apps (``CODE_LISTS`` and
``PARAMETERS`` in ``bangfu/<app>/hooks.py``, see ``bangfu.core.hooks``).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core import parameters as parameters_mod
from bangfu.core.capabilities import Capability
from bangfu.core.hooks import CODE_LISTS
from bangfu.core.models import ParameterOverride
from bangfu.core.scoping import CITY_CODE

CORE_PARAMETERS = parameters_mod.CORE_PARAMETERS  # the name older imports use


@login_required
def dictionaries(request):
    tables = [
        {"code": table.code, "label": table.label,
         "items": [(value, text) for value, text in table.choices.choices]}
        for table in CODE_LISTS.items()
    ]
    return render(request, "core/dictionaries.html", {"tables": tables})


@login_required
def parameters(request):
    labels = parameters_mod.declared()
    configured = getattr(settings, "BANGFU", {})
    overrides = dict(ParameterOverride.objects.values_list("key", "value"))
    can_edit = request.user.has_capability(Capability.MANAGE_USERS) and request.user.area_code == CITY_CODE
    rows = []
    for key in sorted(set(configured) | set(overrides)):
        value = overrides.get(key, configured.get(key))
        rule = parameters_mod.rule_for(key)
        rows.append({"key": key, "label": labels.get(key, ""), "value": parameters_mod.as_text(key, value),
                     "money": rule is not None and rule.kind in (parameters_mod.YUAN, parameters_mod.YUAN_BY_DISTRICT),
                     "changed": key in overrides, "editable": can_edit and rule is not None})
    return render(request, "core/parameters.html", {"rows": rows, "can_edit": can_edit})


class ParameterForm(forms.Form):
    value = forms.CharField(label=_("新值"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


@login_required
def parameter_edit(request, key: str):
    parameters_mod.require_editor(request.user)
    rule = parameters_mod.rule_for(key)
    if rule is None:
        raise Http404
    current = parameters_mod.get(key)
    form = ParameterForm(request.POST or None, initial={"value": parameters_mod.as_text(key, current)})
    if request.method == "POST" and "reset" in request.POST:
        parameters_mod.parameter_reset(key=key, actor=request.user)
        messages.success(request, gettext("已恢复为配置文件中的值"))
        return redirect("core:parameters")
    if request.method == "POST" and form.is_valid():
        try:
            parameters_mod.parameter_set(key=key, text=form.cleaned_data["value"], actor=request.user)
        except ValidationError as exc:
            form.add_error("value", exc.messages)
        else:
            messages.success(request, gettext("参数已保存"))
            return redirect("core:parameters")
    return render(request, "core/parameter_form.html", {
        "form": form, "key": key, "label": parameters_mod.declared().get(key, ""), "rule": rule,
        "money": rule.kind in (parameters_mod.YUAN, parameters_mod.YUAN_BY_DISTRICT),
        "by_district": rule.kind == parameters_mod.YUAN_BY_DISTRICT,
        "changed": ParameterOverride.objects.filter(key=key).exists()})
