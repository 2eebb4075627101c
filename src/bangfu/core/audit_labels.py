"""How an audit row reads on 操作日志 and its export: the action, the actor and the detail in Chinese.

Rows store stable codes (``arrears_case.closed``, ``{"amount_fen": 12345}``); the labels live here
and in each app's ``hooks.py`` (``AUDIT_ACTIONS``: action code -> label, ``AUDIT_FIELDS``: detail
key -> label). An unknown action or key is shown as stored, never hidden.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import AUDIT_ACTIONS, AUDIT_FIELDS, IMPORTERS
from bangfu.core.money import fen_to_yuan

# The actions core itself writes (core contributes no hooks of its own).
CORE_ACTIONS = {
    "audit.export": _("导出操作日志"),
    "login_log.export": _("导出登录日志"),
    "notice.create": _("发布通知公告"),
    "notice.update": _("修改通知公告"),
    "notice.delete": _("删除通知公告"),
    "parameter.update": _("修改参数"),
    "parameter.reset": _("参数恢复为配置值"),
    "scheduled_run.run": _("手动运行定时任务"),
    "background.start": _("提交后台任务"),
    "background.restart": _("重新开始后台任务"),
    "system.backup": _("备份数据"),
    "system.restore": _("恢复数据"),
}

# ``import.<kind>`` is written by the import runner for every importer an app offers.
IMPORT_PREFIX = "import."

# Detail keys that several apps write; an app's own keys come with its AUDIT_FIELDS.
COMMON_FIELDS = {
    "amount_fen": _("金额"),
    "total_fen": _("合计金额"),
    "count": _("条数"),
    "rows": _("行数"),
    "created": _("新增"),
    "updated": _("更新"),
    "unchanged": _("未变"),
    "month": _("月份"),
    "months": _("月数"),
    "period": _("期间"),
    "reason": _("原因"),
    "note": _("备注"),
    "policy": _("政策"),
    "policies": _("政策"),
    "batch": _("批次"),
    "number": _("编号"),
    "code": _("代码"),
    "name": _("名称"),
    "title": _("标题"),
    "kind": _("类别"),
    "status": _("状态"),
    "outcome": _("结果"),
    "state": _("状态"),
    "from": _("原状态"),
    "to": _("新状态"),
    "before": _("修改前"),
    "after": _("修改后"),
    "fields": _("修改字段"),
    "changes": _("修改内容"),
    "filters": _("筛选条件"),
    "file": _("文件"),
    "format": _("格式"),
    "person": _("人员"),
    "employer": _("用人单位"),
    "username": _("账号"),
    "user": _("用户"),
    "role": _("角色"),
    "headcount": _("人数"),
    "workers": _("劳动者人数"),
    "run": _("运行批次"),
    "engine": _("计算引擎"),
    "version": _("版本"),
    "scope": _("范围"),
    "district": _("区县"),
    "districts": _("区县数"),
    "day": _("日期"),
    "week": _("周"),
    "due": _("期限"),
    "task": _("任务"),
    "seconds": _("耗时（秒）"),
    "seed": _("随机种子"),
    "directory": _("目录"),
    "published": _("已发布"),
    "created_at": _("创建时间"),
    "rejected_rows": _("被拒行数"),
    "with_key": _("含密钥"),
    "area_code": _("所属区域"),
    "is_active": _("启用"),
    "remark": _("备注"),
    "key": _("参数"),
    "old": _("原值"),
    "new": _("新值"),
}

MONEY_SUFFIX = "_fen"


def action_labels() -> dict[str, Any]:
    """Every action code with a label: core's and the apps' (a code given twice is an error)."""
    contributed = AUDIT_ACTIONS.mapping()
    shared = set(contributed) & set(CORE_ACTIONS)
    if shared:
        raise ValueError(f"audit actions labelled by core and an app: {sorted(shared)}")
    return {**CORE_ACTIONS, **contributed}


def field_labels() -> dict[str, Any]:
    return {**COMMON_FIELDS, **AUDIT_FIELDS.mapping()}


def action_label(code: str, labels: dict | None = None) -> str:
    """The Chinese name of an action, or ``""`` when it has none (the page then shows the code)."""
    labels = action_labels() if labels is None else labels
    if code in labels:
        return str(labels[code])
    if code.startswith(IMPORT_PREFIX):
        importer = IMPORTERS.mapping().get(code.removeprefix(IMPORT_PREFIX))
        if importer is not None:
            return gettext("数据导入：%(title)s") % {"title": gettext(importer.title)}
    return ""


def format_yuan_exact(fen: int) -> str:
    """An amount of fen as 元 with two decimals: ``12345`` -> ``123.45 元``."""
    return gettext("%(amount)s 元") % {"amount": f"{fen_to_yuan(fen):,.2f}"}


def _coded(key: str, value: str) -> str:
    """A stored code read out: a capability or a data scope by its Chinese name."""
    from bangfu.core.capabilities import Capability
    from bangfu.core.scoping import DataScope

    table = {"capabilities": Capability, "data_scope": DataScope}.get(key)
    if table is not None and value in table.values:
        return str(table(value).label)
    return value


def _changes(value: dict, labels: dict | None) -> str:
    """``{"field": {"before": a, "after": b}, ...}`` (or ``{"field": value}``) as ``字段：a → b；…``."""
    labels = field_labels() if labels is None else labels
    parts = []
    for field, inner in value.items():
        if isinstance(inner, dict) and set(inner) == {"before", "after"}:
            text = f"{detail_value(field, inner['before'], labels)} → {detail_value(field, inner['after'], labels)}"
        else:
            text = detail_value(field, inner, labels)
        parts.append(f"{labels.get(field, field)}：{text}")
    return "；".join(parts)


def detail_value(key: str, value: Any, labels: dict | None = None) -> str:
    if key.endswith(MONEY_SUFFIX) and isinstance(value, int) and not isinstance(value, bool):
        return format_yuan_exact(value)
    if isinstance(value, str):
        return _coded(key, value)
    if isinstance(value, list) and key in ("capabilities",):
        return "、".join(_coded(key, str(item)) for item in value) or "—"
    if isinstance(value, dict) and key in ("changes", "before", "after") and value and all(
            isinstance(field, str) for field in value):
        return _changes(value, labels)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if value is None:
        return "—"
    if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
        return "、".join(str(item) for item in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def detail_pairs(detail: dict | None, labels: dict | None = None) -> list[tuple[str, str]]:
    """``[(label, value), ...]`` of a row's detail in stored key order; unknown keys as stored."""
    if not detail:
        return []
    if not isinstance(detail, dict):  # an old row with a bare value
        return [("", detail_value("", detail))]
    labels = field_labels() if labels is None else labels
    return [(str(labels.get(key, key)), detail_value(key, value, labels)) for key, value in detail.items()]


def detail_text(detail: dict | None, labels: dict | None = None) -> str:
    """The detail as one line of ``字段：值`` pairs (for the export)."""
    return "；".join(f"{label}：{value}" if label else value for label, value in detail_pairs(detail, labels))
