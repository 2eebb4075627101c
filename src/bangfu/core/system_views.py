"""系统管理: the code lists (字典管理) and parameters (参数设置) an operator looks up.

The code lists and the labels of the apps' parameters come from the apps (``CODE_LISTS`` and
``PARAMETERS`` in ``bangfu/<app>/hooks.py``, see ``bangfu.core.hooks``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import CODE_LISTS, PARAMETERS

CORE_PARAMETERS = {
    "PAGE_SIZE": _("列表每页条数"),
    "IMPORT_MAX_ROWS": _("单次导入最大行数"),
    "IMPORT_MAX_BYTES": _("导入文件大小上限（字节）"),
    "EXPORT_BACKGROUND_ROWS": _("导出超过此行数时在后台生成（后台任务）"),
    "ENGINE": _("批处理计算引擎"),
    "SPARK_MASTER": _("Spark 集群地址"),
}


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
    labels = {**CORE_PARAMETERS, **PARAMETERS.mapping()}
    rows = [
        {"key": key, "label": labels.get(key, ""), "value": value}
        for key, value in sorted(getattr(settings, "BANGFU", {}).items())
    ]
    return render(request, "core/parameters.html", {"rows": rows})
