"""系统管理: the code lists (字典管理) and parameters (参数设置) an operator looks up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import Role
from bangfu.registry import choices as rc

DICTIONARIES = [
    ("category", _("人口类型"), rc.Category),
    ("labour_ability", _("劳动技能"), rc.LabourAbility),
    ("education", _("文化程度"), rc.Education),
    ("health", _("健康状况"), rc.Health),
    ("relation", _("与户主关系"), rc.Relation),
    ("place_class", _("务工地点类型"), rc.PlaceClass),
    ("channel", _("就业渠道"), rc.Channel),
    ("region_group", _("一区两群"), rc.RegionGroup),
    ("cooperation_region", _("劳务协作地区"), rc.CooperationRegion),
    ("role", _("角色"), Role),
]

PARAMETER_LABELS = {
    "PAGE_SIZE": _("列表每页条数"),
    "IMPORT_MAX_ROWS": _("单次导入最大行数"),
    "IMPORT_MAX_BYTES": _("导入文件大小上限（字节）"),
    "PUSH_PER_WORKER_PER_WEEK": _("每人每周最多推送岗位数"),
    "PUSH_BUDGET_FACTOR": _("岗位推送预算系数（× 剩余招聘人数）"),
}


@login_required
def dictionaries(request):
    tables = [
        {"code": code, "label": label, "items": [(value, text) for value, text in choices.choices]}
        for code, label, choices in DICTIONARIES
    ]
    return render(request, "core/dictionaries.html", {"tables": tables})


@login_required
def parameters(request):
    rows = [
        {"key": key, "label": PARAMETER_LABELS.get(key, ""), "value": value}
        for key, value in sorted(getattr(settings, "BANGFU", {}).items())
    ]
    return render(request, "core/parameters.html", {"rows": rows})
