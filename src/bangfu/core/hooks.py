"""What the apps contribute to core's pages and commands, found without core naming any app.

An app contributes by defining a name in a conventional module of its own package; core reads
that name from every installed ``bangfu.*`` app that has the module (core itself excepted), in
the order of ``INSTALLED_APPS``. Nothing registers at import time and no app lists another.

=====================  ==================  ============================================  =========
module                 name                value                                         read by
=====================  ==================  ============================================  =========
``<app>/hooks.py``     ``SCHEDULED_JOBS``  list of ``core.schedule.Job``                 定时任务
``<app>/hooks.py``     ``DEMO_STEPS``      list of ``DemoStep``                          ``bangfu demo``
``<app>/hooks.py``     ``CODE_LISTS``      list of ``CodeList``                          字典管理
``<app>/hooks.py``     ``PARAMETERS``      dict ``settings.BANGFU`` key -> label         参数设置
``<app>/hooks.py``     ``KPI_FIGURES``     list of ``KpiContribution``                   ``kpi fill``
``<app>/hooks.py``     ``BRIEFING``        list of ``BriefingSection``                   月度简报
``<app>/hooks.py``     ``AUDIT_ACTIONS``   dict audit action code -> label               操作日志
``<app>/hooks.py``     ``AUDIT_FIELDS``    dict audit detail key -> label                操作日志
``<app>/hooks.py``     ``BACKGROUND_WORK`` list of ``core.background.BackgroundWork``    后台任务
``<app>/hooks.py``     ``FACT_TABLES``     list of ``core.facts.FactTable``              ``bangfu facts``
``<app>/importers.py`` ``IMPORTERS``       dict kind -> ``core.imports.Importer``        数据导入
``<app>/panels.py``    ``home_stats`` ...  functions (see ``core.panels``)               pages
=====================  ==================  ============================================  =========

A module that exists but fails to import raises (a broken contribution is a bug, not an app
without one). Two apps contributing the same key (job code, import kind, ...) is an error.
Tests replace a hook's contributions with ``with SCHEDULED_JOBS.override([...]):``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

OWN_APP = "bangfu.core"


@cache  # the installed apps do not change while the process runs
def contributing_modules(module: str) -> list[tuple[str, ModuleType]]:
    """``(app label, bangfu.<app>.<module>)`` for every installed bangfu app that has it."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu.") or config.name == OWN_APP:
            continue
        if module_has_submodule(config.module, module):
            found.append((config.label, importlib.import_module(f"{config.name}.{module}")))
    return found


class Hook:
    """One kind of contribution: the value of ``name`` in each app's ``<module>.py``."""

    def __init__(self, name: str, *, module: str = "hooks"):
        self.name = name
        self.module = module
        self._override: list[tuple[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.module}.{self.name}>"

    def contributions(self) -> list[tuple[str, Any]]:
        """``(app label, value)`` of every app that defines the name."""
        if self._override is not None:
            return list(self._override)
        return [(label, getattr(mod, self.name)) for label, mod in contributing_modules(self.module)
                if hasattr(mod, self.name)]

    @contextmanager
    def override(self, value: Any, *, app: str = "test") -> Iterator[None]:
        """Tests: ``value`` is the only contribution while the block runs."""
        previous, self._override = self._override, [(app, value)]
        try:
            yield
        finally:
            self._override = previous

    def _duplicate(self, key: Any, first: str, second: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(f"{self.module}.{self.name}: {key!r} is contributed by {first} and {second}")


class ListHook(Hook):
    """Each app gives a list; ``items()`` is all of them, unique by ``key``, sorted by ``order``."""

    def __init__(self, name: str, *, module: str = "hooks", key: Callable[[Any], Any] | None = None,
                 order: Callable[[Any], Any] | None = None):
        super().__init__(name, module=module)
        self.key = key
        self.order = order

    def items(self) -> list:
        items, owners = [], {}
        for label, values in self.contributions():
            for item in values:
                if self.key is not None:
                    key = self.key(item)
                    if key in owners:
                        raise self._duplicate(key, owners[key], label)
                    owners[key] = label
                items.append(item)
        return sorted(items, key=self.order) if self.order else items

    def get(self, key: Any) -> Any | None:
        return next((item for item in self.items() if self.key(item) == key), None)


class MappingHook(Hook):
    """Each app gives a dict; ``mapping()`` merges them (a key given twice is an error)."""

    def mapping(self) -> dict:
        merged, owners = {}, {}
        for label, values in self.contributions():
            for key, value in values.items():
                if key in owners:
                    raise self._duplicate(key, owners[key], label)
                owners[key] = label
                merged[key] = value
        return merged


class FunctionHook(Hook):
    """Each app gives a function; ``call(**kwargs)`` calls them all and flattens the results
    (a dict or a list of dicts each), dropping empty ones, sorted by their ``order`` key."""

    def call(self, **kwargs) -> list[dict]:
        found: list[dict] = []
        for _label, build in self.contributions():
            result = build(**kwargs)
            if result:
                found.extend(result if isinstance(result, list) else [result])
        return sorted(found, key=lambda item: item.get("order", 50))


# ---------------------------------------------------------------- what the apps give


@dataclass(frozen=True)
class CodeList:
    """A code table on 字典管理: ``choices`` is a Django ``TextChoices`` (values and labels)."""

    code: str
    label: Any  # lazy Chinese text
    choices: Any
    order: int = 50


@dataclass
class DemoContext:
    """What the demo steps share: the console, the size asked for, and what to print at the end."""

    console: Any  # a rich Console
    people: int
    reports: list = field(default_factory=list)  # rich renderables, printed after every step


@dataclass(frozen=True)
class DemoStep:
    """One idempotent step of ``bangfu demo`` (after ``migrate``, before the static files)."""

    code: str
    run: Callable[[DemoContext], None]
    order: int = 50


class KpiRollup:
    """How a contributed figure of month M and area A is made of what its query returns.

    ``SUM``: the month's own amounts summed over A (a stock, or a flow of one month);
    ``YTD``: summed over A and January..M of M's year; ``RATIO_YTD``: Σ value ÷ Σ denominator
    over A and January..M (a rate of the year's cohort, never an average of rates).
    """

    SUM = "sum"
    YTD = "ytd"
    RATIO_YTD = "ratio_ytd"
    ALL = (SUM, YTD, RATIO_YTD)


@dataclass(frozen=True)
class KpiContribution:
    """A programme's figure for the KPI tables (DESIGN.md section 5), e.g. ``jobs_pushed_ytd``.

    ``query(engine, first=..., last=...)`` is a Django-free function (it may run on DuckDB,
    SQLite, PostgreSQL or Spark, and in the engine's child process) that returns an Ibis table
    over the app's own ``tables`` with columns ``month`` (``YYYY-MM``, within first..last),
    ``district_code``, ``township_code`` (either may be ``""``), ``value`` and, for
    ``RATIO_YTD``, ``denominator``. A query without a ``month`` column gives a stock with no
    history (e.g. offices): its value is that of every month filled. ``bangfu kpi fill`` runs
    every contribution set-based for all the months it fills, rolls the rows up to township,
    district, zone and city (``rollup``) and stores them in ``monitoring.KpiFigure``.
    ``money``: the value is in fen (shown in yuan). ``card``: shown as a dashboard card, in the
    group of its app (a breakdown sets it False: stored, in ``kpi show`` and the briefing only).
    """

    key: str
    label: Any  # lazy Chinese text
    app: str
    query: Callable[..., Any]
    tables: tuple[str, ...]  # database tables the query reads (exported for Spark)
    rollup: str = KpiRollup.YTD
    unit: Any = ""
    money: bool = False
    order: int = 50
    card: bool = True  # False: a breakdown (by type, by brand…) kept in the tables, not a dashboard card

    def __post_init__(self) -> None:
        if self.rollup not in KpiRollup.ALL:
            raise ImproperlyConfigured(f"KPI figure {self.key}: unknown rollup {self.rollup!r}")


@dataclass(frozen=True)
class BriefingSection:
    """A programme's section of the monthly briefing: ``render(month=..., area_code=...,
    figures=...)`` returns its paragraph from the KPI figures (``{key: KpiFigureValue}``, read
    from the KPI tables by the briefing), or ``""`` when it has nothing to say."""

    code: str
    title: Any
    render: Callable[..., str]
    order: int = 50


def _by_order(item) -> tuple:
    return (item.order, item.code if hasattr(item, "code") else item.key)


SCHEDULED_JOBS = ListHook("SCHEDULED_JOBS", key=lambda job: job.code, order=lambda job: job.cadence.sort_key())
DEMO_STEPS = ListHook("DEMO_STEPS", key=lambda step: step.code, order=_by_order)
CODE_LISTS = ListHook("CODE_LISTS", key=lambda table: table.code, order=_by_order)
PARAMETERS = MappingHook("PARAMETERS")
AUDIT_ACTIONS = MappingHook("AUDIT_ACTIONS")
AUDIT_FIELDS = MappingHook("AUDIT_FIELDS")
KPI_FIGURES = ListHook("KPI_FIGURES", key=lambda figure: figure.key, order=_by_order)
BRIEFING = ListHook("BRIEFING", key=lambda section: section.code, order=_by_order)
BACKGROUND_WORK = ListHook("BACKGROUND_WORK", key=lambda work: work.kind)
IMPORTERS = MappingHook("IMPORTERS", module="importers")
HOME_STATS = FunctionHook("home_stats", module="panels")
PERSON_PANELS = FunctionHook("person_panel", module="panels")
