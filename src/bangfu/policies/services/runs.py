"""Running a policy: preview (counts, totals, a sample with reasons) or commit (entitlements).

The batch engine reads the database through its own connection, so a run is not one
``transaction.atomic``: the engine computes who is eligible (DuckDB by default), is closed, and
only then are the entitlements written in one transaction with ``INSERT ... ON CONFLICT DO
NOTHING`` against the unique key (policy, period, beneficiary). Committing the same run twice
adds nothing; a commit killed mid-way leaves nothing (its transaction is rolled back) and the
next run writes every entitlement exactly once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, Forbidden, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.engine import engine_kind, engine_session, in_database_kind
from bangfu.core.money import format_yuan
from bangfu.core.scoping import area_contains
from bangfu.engine import features as ft
from bangfu.engine.backends import Engine, EngineError
from bangfu.engine.policy import evaluate
from bangfu.engine.policy.definition import PolicyDefinition
from bangfu.engine.policy.explain import CelEvaluator, explain_row
from bangfu.policies import choices as c
from bangfu.policies.models import Entitlement, Policy, PolicyRun
from bangfu.policies.services.rows import (
    VALUE_COLUMNS, _created_at, copy_rows, entitlement_rows, entitlement_values, sqlite_insert_sql,
)

logger = logging.getLogger(__name__)

CAPABILITY_RUN = Capability.APPROVE_PAYMENTS
ERR_NO_RUN = gettext_noop("您没有运行补贴政策的权限")
ERR_INACTIVE = gettext_noop("该政策已停用")
ERR_NO_VERSION = gettext_noop("该政策还没有可用的版本")
ERR_AREA = gettext_noop("只能在本人管辖区域内运行")
ERR_NO_DATA = gettext_noop("{period}没有{what}数据，无法判断谁符合条件；请先导入该期间的数据")
ERR_OVER_BUDGET = gettext_noop("超出预算：本期已生成 {existing} 元，本次新增 {new} 元，预算 {budget} 元；未写入任何待遇")
ERR_ENGINE = gettext_noop("计算引擎“{engine}”无法使用：{reason}")
MSG_ALREADY = gettext_noop("本次符合条件 {eligible} 人（户），其中 {existing} 条待遇此前已生成，未重复写入")
STAGE_COMPUTE = gettext_noop("计算符合条件的对象")
STAGE_WRITE = gettext_noop("写入待遇")

NO_DATA_WHAT = {
    "monitoring_employmentmonth": gettext_noop("务工监测"),
    ft.CONTRIBUTION: gettext_noop("社保缴费"),
    ft.WORKSHOP_MEMBER: gettext_noop("帮扶车间务工人员"),
    ft.UI_CONTRIBUTION: gettext_noop("单位失业保险缴费"),
    ft.OUTFLOW_BATCH: gettext_noop("有组织劳务输出"),
}
INSERT_CHUNK = 20_000
SQLITE_ROWS_PER_STATEMENT = 500  # at most; SQLite's limit on bound variables may allow fewer
SQLITE_CACHE_KIB = 262_144
SAMPLE_SIZE = 10


class PolicyRunError(ValueError):
    """A run that cannot go ahead; the message is Chinese and shown as is."""


@dataclass
class _Computed:
    summary: evaluate.Summary
    rows: Any  # commit: the Arrow table of every eligible row with its feature values
    sample: list[dict[str, Any]]
    fact_counts: dict[str, int]


def _check_actor(actor: Actor, area_code: str) -> None:
    """Whoever approves subsidies or makes policies may run one, within their own area."""
    if not actor.has_capability(Capability.MANAGE_POLICIES):
        require(actor, CAPABILITY_RUN, _(ERR_NO_RUN))
    if not area_contains(actor.area_code, area_code):
        raise Forbidden(_(ERR_AREA))


def policy_run(
    *,
    policy: Policy,
    period: str,
    actor: Actor,
    commit: bool = False,
    engine: str | None = None,
    area_code: str | None = None,
    spark=None,
    sample_size: int = SAMPLE_SIZE,
    progress=None,
) -> PolicyRun:
    """Preview or commit ``policy`` for ``period`` over ``area_code`` (default: the actor's area)
    on ``engine`` (default: the configured one, ``BANGFU["ENGINE"]``).

    Raises PolicyRunError (Chinese message) for a bad period, no data, an engine that cannot
    be opened or a budget that would be exceeded; the run row then records the failure.
    ``progress(stage, done, total)``, when given, hears of each stage (a page's progress bar).
    """
    area_code = area_code or actor.area_code
    _check_actor(actor, area_code)
    try:
        engine = engine_kind(engine)
    except EngineError as exc:
        raise PolicyRunError(_(ERR_ENGINE).format(engine=engine or "—", reason=exc)) from None
    policy = Policy.objects.select_related("current_version").get(pk=policy.pk)  # the version in force now
    if not policy.active:
        raise PolicyRunError(_(ERR_INACTIVE))
    version = policy.current_version
    if version is None:
        raise PolicyRunError(_(ERR_NO_VERSION))
    try:
        period_obj = ft.Period.parse(period)
    except ft.PeriodError as exc:
        raise PolicyRunError(str(exc)) from None
    definition = version.to_definition()
    definition.checked  # noqa: B018 - versions were validated on save; fail loudly if not

    run = PolicyRun.objects.create(
        policy=policy, version=version, period=period_obj.code, area_code=area_code, engine=engine,
        mode=c.RunMode.COMMIT if commit else c.RunMode.PREVIEW, status=c.RunStatus.RUNNING,
        actor=actor_user(actor),
    )
    started = time.perf_counter()
    steps = 2 if commit else 1
    try:
        if progress:
            progress(_(STAGE_COMPUTE), 0, steps)
        computed = _compute(definition, period_obj, area_code, engine=engine, commit=commit,
                            spark=spark, sample_size=sample_size)
        _refuse_without_data(computed.fact_counts, period_obj)
        result = _result_json(definition, computed)
        if commit:
            if progress:
                progress(_(STAGE_WRITE), 1, steps)
            _close_interrupted(run)
            created = _write(run=run, definition=definition, computed=computed, actor=actor)
            run.created = created
            run.already_existed = computed.summary.eligible - created
            if run.already_existed:
                result["messages"].append(_(MSG_ALREADY).format(
                    eligible=computed.summary.eligible, existing=run.already_existed))
        else:
            with transaction.atomic():
                audit_record(actor=actor, action="policy_run.preview", obj=policy, area_code=area_code,
                             detail={"run": run.pk, "period": period_obj.code, "engine": engine,
                                     "eligible": computed.summary.eligible,
                                     "total_fen": computed.summary.total_fen})
    except Exception as exc:
        run.status = c.RunStatus.FAILED
        run.error = str(exc)[:2000] if isinstance(exc, (PolicyRunError, PermissionDenied)) else _("内部错误，请联系管理员")
        run.finished_at = timezone.now()
        run.seconds = time.perf_counter() - started
        run.save(update_fields=["status", "error", "finished_at", "seconds"])
        if isinstance(exc, EngineError):
            raise PolicyRunError(_(ERR_ENGINE).format(engine=engine, reason=exc)) from exc
        raise
    run.eligible = computed.summary.eligible
    run.total_fen = computed.summary.total_fen
    run.result = result
    run.status = c.RunStatus.DONE
    run.error = ""  # a concurrent commit may have taken this live run for an interrupted one
    run.finished_at = timezone.now()
    run.seconds = time.perf_counter() - started
    run.save(update_fields=["eligible", "total_fen", "created", "already_existed", "result", "status",
                            "error", "finished_at", "seconds"])
    return run


def _compute(definition: PolicyDefinition, period: ft.Period, area_code: str, *, engine: str, commit: bool,
             spark, sample_size: int) -> _Computed:
    """One query: the eligible rows with the features that decided them, fetched as Arrow; the
    summary and the sample are taken from it (a preview of 1 M persons scans the facts once)."""
    counts = _facts_present(definition, period)
    if any(n == 0 for n in counts.values()):
        return _Computed(summary=evaluate.Summary(), rows=None, sample=[], fact_counts=counts)
    table = _read_eligible(definition, period, area_code, engine=engine, spark=spark)
    summary = evaluate.summarise_arrow(table)
    sample = _explain_rows(definition, period, evaluate.first_rows(table, sample_size))
    return _Computed(summary=summary, rows=table if commit else None, sample=sample, fact_counts=counts)


def _read_eligible(definition: PolicyDefinition, period: ft.Period, area_code: str, *, engine: str, spark):
    """The eligible rows as an Arrow table, read by the batch engine (``bangfu.core.engine``: in a
    child process when a server thread runs the policy on SQLite)."""
    with engine_session(engine, for_write_back=True, tables=ft.POLICY_INPUT_TABLES, spark=spark) as session:
        return session.read(evaluate.eligible_rows, definition=definition.to_yaml(), period=period.code,
                            area_code=area_code)


@contextmanager
def open_engine_for_explain() -> Iterator[Engine]:
    """An engine for a few beneficiaries: in-database (SQLite or PostgreSQL), one SQLite library."""
    with engine_session(in_database_kind()) as session:
        yield session.engine


def _facts_present(definition: PolicyDefinition, period: ft.Period) -> dict[str, int]:
    """1 or 0 per period-bound facts table the policy reads (an indexed EXISTS in the OLTP
    database; the engine reads the same database)."""
    from bangfu.monitoring.models import EmploymentMonth
    from bangfu.insurance.models import SocialInsuranceContribution, UnemploymentContribution
    from bangfu.network.models import OutflowBatch, WorkshopMember

    months = (period.first_month, period.last_month)
    checks = {
        "monitoring_employmentmonth": lambda: EmploymentMonth.objects.filter(month__range=months).exists(),
        ft.CONTRIBUTION: lambda: SocialInsuranceContribution.objects.filter(month__range=months).exists(),
        ft.WORKSHOP_MEMBER: lambda: WorkshopMember.objects.filter(start_month__lte=period.last_month).exists(),
        ft.UI_CONTRIBUTION: lambda: UnemploymentContribution.objects.filter(month__range=months).exists(),
        ft.OUTFLOW_BATCH: lambda: OutflowBatch.objects.filter(month__range=months).exists(),
    }
    tables = ft.source_tables(definition.beneficiary, definition.calls)
    return {name: int(check()) for name, check in checks.items() if name in tables}


def _explain_rows(definition: PolicyDefinition, period: ft.Period, rows: list[dict[str, Any]]) -> list[dict]:
    evaluator = CelEvaluator(definition)
    sample = []
    for row in rows:
        exp = explain_row(definition, period.code, int(row["beneficiary_id"]), row, evaluator)
        sample.append({"id": int(row["beneficiary_id"]), "amount_fen": exp.amount_fen, "summary": exp.summary,
                       "reasons": [f"{c.mark} {c.words}（{c.values_text()}）" if c.values else f"{c.mark} {c.words}"
                                   for c in exp.clauses]})
    return sample


def _refuse_without_data(counts: dict[str, int], period: ft.Period) -> None:
    empty = [name for name, n in counts.items() if n == 0]
    if empty:
        what = "、".join(_(NO_DATA_WHAT.get(name, name)) for name in empty)
        raise PolicyRunError(_(ERR_NO_DATA).format(period=period.label, what=what))


def _result_json(definition: PolicyDefinition, computed: _Computed) -> dict:
    return {
        "by_district": computed.summary.by_district,
        "by_township": computed.summary.by_township,
        "sample": computed.sample,
        "fact_counts": computed.fact_counts,
        "features": [call.text for call in definition.calls],
        "messages": [],
    }


def _close_interrupted(run: PolicyRun) -> None:
    """Commits of the same policy, period and area left RUNNING died with their process. One
    still computing in another process is closed too (a run records no owner); when it ends it
    records itself done, error cleared, with what its write added (nothing a second time)."""
    PolicyRun.objects.filter(
        policy=run.policy, period=run.period, area_code=run.area_code, mode=c.RunMode.COMMIT,
        status=c.RunStatus.RUNNING, pk__lt=run.pk,
    ).update(status=c.RunStatus.FAILED, error=_("进程中断，未写入任何待遇；已由第 %(run)s 次运行重新生成") % {"run": run.pk},
             finished_at=timezone.now())


def _budget_check(run: PolicyRun, new_fen: int) -> None:
    budget = run.version.budget_fen
    if budget is None or new_fen == 0:
        return
    existing = sum(Entitlement.objects.filter(policy=run.policy, period=run.period)
                   .exclude(status=c.EntitlementStatus.REJECTED).values_list("amount_fen", flat=True))
    if existing + new_fen > budget:
        raise PolicyRunError(_(ERR_OVER_BUDGET).format(
            existing=format_yuan(existing), new=format_yuan(new_fen), budget=format_yuan(budget)))


class _SqliteInsert:
    """SQLite's insert of one commit (``rows.sqlite_insert_sql``) on the raw cursor of Django's
    connection (inside its transaction): ``write_rows`` binds the ``VALUE_COLUMNS`` of each row,
    ``per`` rows to a statement (the rest of a chunk one by one): a statement's fixed cost (its
    AUTOINCREMENT bookkeeping, its reset) paid once per ``per`` rows, not per row."""

    def __init__(self, cursor, run: PolicyRun, kind: str, per: int):
        self.cursor, self.per = cursor, max(1, per)
        now = _created_at()  # one time for the commit's every row, whichever statement writes it
        self.one = sqlite_insert_sql(run, kind, created_at=now)
        self.many = sqlite_insert_sql(run, kind, rows=self.per, created_at=now) if self.per > 1 else self.one

    def write_rows(self, rows: list[tuple]) -> None:
        full = len(rows) - len(rows) % self.per
        if full and self.per > 1:
            self.cursor.executemany(self.many, (
                [value for row in rows[start:start + self.per] for value in row] for start in range(0, full, self.per)))
            rows = rows[full:]
        if rows:
            self.cursor.executemany(self.one, rows)


def _insert_chunk(target, params: list[tuple]) -> None:
    """One chunk of rows: PostgreSQL's COPY (``rows.copy_rows``) or SQLite's insert takes them."""
    if hasattr(target, "write_row"):
        for row in params:
            target.write_row(row)
    else:
        target.write_rows(params)


def _write(*, run: PolicyRun, definition: PolicyDefinition, computed: _Computed, actor: Actor) -> int:
    """Insert the entitlements in one transaction with the audit row; returns how many were new.

    The rows, their facts as JSON included, are built column-wise by DuckDB from the engine's
    Arrow table (``rows.entitlement_rows``). SQLite inserts them with ``executemany`` in chunks,
    binding only the values that differ per row (``rows.entitlement_values``, ``sqlite_insert_sql``);
    PostgreSQL COPYs them into a temporary table and inserts from it. Both insert with ``ON
    CONFLICT DO NOTHING`` against the unique key (an entitlement is never written twice) and count
    the new rows from the insert itself."""
    kind = definition.beneficiary
    # The rows reference the run, policy and version made here and beneficiaries the engine just
    # read, so SQLite's per-row foreign-key lookups are skipped for this bulk insert (as Django's
    # loaddata does); it needs autocommit, hence outside the transaction.
    with connection.constraint_checks_disabled(), transaction.atomic():
        if run.version.budget_fen is not None:
            existing_ids = set(Entitlement.objects.filter(
                policy=run.policy, period=run.period, beneficiary_kind=kind).values_list("beneficiary_id", flat=True))
            rows = zip(computed.rows.column("beneficiary_id").to_pylist(), computed.rows.column("amount_fen").to_pylist())
            _budget_check(run, sum(int(fen) for bid, fen in rows if int(bid) not in existing_ids))
        if connection.vendor == "postgresql":
            with entitlement_rows(run, kind, definition.calls, computed.rows) as result, connection.cursor() as cursor:
                # _insert_chunk looked up per call (a test replaces it)
                created = copy_rows(cursor, result, lambda copy, chunk: _insert_chunk(copy, chunk), INSERT_CHUNK)
        else:
            with entitlement_values(definition.calls, computed.rows) as result:
                created = _insert_rows(result, run, kind)
        audit_record(actor=actor, action="policy_run.commit", obj=run.policy, area_code=run.area_code,
                     detail={"run": run.pk, "period": run.period, "engine": run.engine,
                             "eligible": computed.summary.eligible, "created": created,
                             "total_fen": computed.summary.total_fen})
    return created


def _insert_rows(result, run: PolicyRun, kind: str) -> int:
    """SQLite: ``INSERT_CHUNK`` rows at a time through the raw cursor (``_SqliteInsert``), with a
    larger page cache; the new rows are the connection's changes (a conflict changes nothing)."""
    import sqlite3

    raw = connection.connection
    before = raw.total_changes
    cursor = raw.cursor()
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")  # the default 2 MB thrashes on large inserts
    try:
        per = min(SQLITE_ROWS_PER_STATEMENT, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(VALUE_COLUMNS))
        insert = _SqliteInsert(cursor, run, kind, per)
        while chunk := result.fetchmany(INSERT_CHUNK):
            _insert_chunk(insert, chunk)
    finally:
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.close()
    return raw.total_changes - before


def run_json(run: PolicyRun) -> dict:
    """The CLI's --json and the API's answer for a run."""
    from bangfu.registry.filters import division_name

    return {
        "run": run.pk,
        "policy": run.policy.code,
        "version": run.version.number,
        "period": run.period,
        "area": run.area_code,
        "engine": run.engine,
        "mode": run.mode,
        "status": run.status,
        "eligible": run.eligible,
        "total_yuan": float(run.total_fen) / 100,
        "created": run.created,
        "already_existed": run.already_existed,
        "by_district": [
            {"district_code": d["district_code"], "district": division_name(d["district_code"]),
             "count": d["count"], "total_yuan": d["total_fen"] / 100}
            for d in (run.result or {}).get("by_district", [])
        ],
        "messages": (run.result or {}).get("messages", []),
        "seconds": round(run.seconds or 0, 3),
        "error": run.error,
    }
