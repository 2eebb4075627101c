"""What 务工监测 contributes to core (``bangfu.core.hooks``): the nightly KPI fill, the fact
store's repair every five minutes, the demo's first fill, and the reporting deadline among the
parameters."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bangfu.core.actors import SCHEDULER, SYSTEM
from bangfu.core.background import BackgroundWork
from bangfu.core.capabilities import Capability
from bangfu.core.facts import FactTable
from bangfu.core.hooks import DemoContext, DemoStep, KpiContribution, KpiRollup
from bangfu.core.schedule import Cadence, Job
from bangfu.monitoring import work


def fill_kpis(now: dt.datetime) -> dict:
    from bangfu.monitoring.services import kpi_fill

    return kpi_fill(actor=SCHEDULER).to_json()  # resumable: months already DONE are skipped


def repair_facts(now: dt.datetime) -> dict:
    from bangfu.core import facts

    return facts.repair()  # the fact store (core.facts): months a killed write left marked dirty


SCHEDULED_JOBS = [
    Job("kpi_fill", _("务工监测指标计算"), Cadence.daily(2, 0), fill_kpis,
        _("计算尚未完成的月份的务工监测指标")),
    Job("facts_refresh", _("事实库补刷"), Cadence.every(5), repair_facts,
        _("重写事实库中被中断的写入留下的待刷新月份")),
]


def demo_kpis(ctx: DemoContext) -> None:
    """Fill the KPI tables of the generated months, so the dashboard opens on the latest
    complete month (months already filled are skipped: running the demo again is quick)."""
    from bangfu.monitoring.services import FillError, kpi_fill

    with ctx.console.status("计算务工监测指标 / filling the KPI tables…"):
        try:
            report = kpi_fill(actor=SYSTEM)
        except FillError:  # no employment month loaded: nothing to show yet
            return
    ctx.console.print(f"✓ 务工监测指标已计算（{len(report.months)} 个月份） / KPIs filled "
                      f"({len(report.months)} months)")


BACKGROUND_WORK = [BackgroundWork(work.FILL_WORK, _("重新计算指标"), work.kpi_fill_work,
                                  capability=Capability.IMPORT_MONITORING)]

DEMO_STEPS = [DemoStep("kpis", demo_kpis, order=25)]  # after the persons, before the users

PARAMETERS = {
    "MONTH_CLOSE_DEADLINE_DAY": _("月度报送截止日（次月几号，过后未报送完毕的月份也计为完整）"),
}


def _main_metro_jobs(engine, *, first: str, last: str):
    from bangfu.monitoring.kpi_figures import main_metro_jobs_for_other_zones

    return main_metro_jobs_for_other_zones(engine, first=first, last=last)


KPI_FIGURES = [
    KpiContribution("main_metro_jobs_for_other_zones", _("主城都市区为渝东北、渝东南提供就业岗位"), "monitoring",
                    _main_metro_jobs, ("monitoring_employmentmonth", "registry_person", "registry_division",
                                       "registry_place"),
                    rollup=KpiRollup.SUM, unit=_("个"), order=20),
]


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "employment_month.write": _("填报务工月度信息"),
    "employment_month.withdraw": _("撤回务工月度信息"),
    "household_income.write": _("填报家庭年度收入"),
    "target.write": _("设置务工规模目标"),
    "month_report.close": _("月报关账"),
    "month_report.close_bulk": _("批量月报关账"),
    "month_report.reopen": _("月报重新打开"),
    "kpi.fill": _("计算监测指标"),
    "monitoring.generate": _("生成演示监测数据"),
}

AUDIT_FIELDS = {
    "reclosed": _("重新关账"),
    "targets": _("目标数"),
}

# The fact store (``bangfu.core.facts``): what the KPI fill and the policies read most.
FACT_TABLES = [
    FactTable("monitoring_employmentmonth", "month", _("务工月份"), order=10),
    FactTable("monitoring_householdincome", "year", _("家庭收入"), order=11),
]
