"""What the registry contributes to core (``bangfu.core.hooks``): its code lists, demo steps and
the background export of a large person list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.background import BackgroundWork
from bangfu.core.facts import FactTable
from bangfu.core.hooks import CodeList, DemoStep
from bangfu.registry import choices as rc
from bangfu.registry import work
from bangfu.registry.demo import generate_persons, reference_data

# The persons, read whole by every policy run: a snapshot in the fact store, fresh while the
# database's triggers count no write since it was copied (bangfu.core.facts).
FACT_TABLES = [FactTable("registry_person", None, _("人员花名册（整表快照）"), order=5)]

BACKGROUND_WORK = [BackgroundWork(work.EXPORT_WORK, _("导出人员花名册"), work.person_export_work)]

CODE_LISTS = [
    CodeList("category", _("人口类型"), rc.Category, order=10),
    CodeList("labour_ability", _("劳动技能"), rc.LabourAbility, order=20),
    CodeList("education", _("文化程度"), rc.Education, order=30),
    CodeList("health", _("健康状况"), rc.Health, order=40),
    CodeList("relation", _("与户主关系"), rc.Relation, order=50),
    CodeList("place_class", _("务工地点类型"), rc.PlaceClass, order=60),
    CodeList("channel", _("就业渠道"), rc.Channel, order=70),
    CodeList("region_group", _("一区两群"), rc.RegionGroup, order=80),
    CodeList("cooperation_region", _("劳务协作地区"), rc.CooperationRegion, order=90),
]

DEMO_STEPS = [
    DemoStep("reference_data", reference_data, order=10),
    DemoStep("persons", generate_persons, order=20),
]


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "person.create": _("新增人员"),
    "person.update": _("修改人员"),
    "person.export": _("导出人员花名册"),
    "person.view_full_pii": _("查看完整证件号码"),
    "person.search_pii": _("按证件号码或电话查询人员"),
    "registry.generate": _("生成演示花名册"),
}

AUDIT_FIELDS = {
    "as_of": _("截至"),
    "found": _("查到人数"),
    "household": _("家庭"),
    "relation": _("与户主关系"),
    "scenario": _("演示场景"),
}
