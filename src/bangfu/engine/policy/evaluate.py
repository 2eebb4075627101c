"""Set-based evaluation: who is eligible for a policy in a period, and how much, in one query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any



from bangfu.engine import features as ft
from bangfu.engine.policy.compile import amount_fen_expr, to_ibis
from bangfu.engine.policy.definition import PolicyDefinition, from_yaml

ELIGIBLE_COLUMNS = ("beneficiary_id", "district_code", "township_code", "amount_fen")


def policy_features(
    tables: ft.TableSource, policy: PolicyDefinition, period: ft.Period | str, *,
    area_code: str | None = None, only_ids: Sequence[int] | None = None,
):
    """The feature table of the policy's beneficiaries: exactly the features it uses."""
    return ft.feature_table(
        tables, kind=policy.beneficiary, period=period, calls=policy.calls,
        area_code=area_code, only_ids=only_ids,
    )


def eligible_from_features(policy: PolicyDefinition, features, *, with_features: bool = False):
    """Rows of ``features`` that satisfy the condition with a positive amount (fen); with
    ``with_features`` each row also keeps the feature values that decided it (one pass)."""
    condition, amount = policy.checked
    cond = to_ibis(condition.root, features).fill_null(False)
    t = features.mutate(_ok=cond, amount_fen=amount_fen_expr(amount, features))
    t = t.filter(t._ok & t.amount_fen.notnull() & (t.amount_fen > 0))
    columns = {"beneficiary_id": t.bid, "district_code": t.district_code, "township_code": t.township_code,
               "amount_fen": t.amount_fen}
    if with_features:
        columns.update({call.column: t[call.column] for call in policy.calls})
    return t.select(**columns)


def eligible(
    tables: ft.TableSource, policy: PolicyDefinition, period: ft.Period | str, *,
    area_code: str | None = None, only_ids: Sequence[int] | None = None,
):
    """One row per eligible beneficiary: ``beneficiary_id``, ``district_code``,
    ``township_code``, ``amount_fen`` (an Ibis expression; nothing runs until executed)."""
    return eligible_from_features(
        policy, policy_features(tables, policy, period, area_code=area_code, only_ids=only_ids)
    )


def eligible_rows(engine, *, definition: str, period: str, area_code: str | None = None):
    """Every eligible row with the feature values that decided it, for the policy written as
    YAML: plain arguments, so ``bangfu.core.engine`` can run it in a child process alike."""
    policy = from_yaml(definition)
    features = policy_features(engine, policy, period, area_code=area_code)
    return eligible_from_features(policy, features, with_features=True)


@dataclass
class Summary:
    eligible: int = 0
    total_fen: int = 0
    by_district: list[dict[str, Any]] = field(default_factory=list)  # district_code, count, total_fen
    by_township: list[dict[str, Any]] = field(default_factory=list)


def summarise_arrow(table) -> Summary:
    """The same summary from eligible rows already fetched as an Arrow table (no second query)."""
    if table.num_rows == 0:
        return Summary()
    grouped = table.group_by(["district_code", "township_code"]).aggregate(
        [("amount_fen", "count"), ("amount_fen", "sum")]).to_pylist()
    grouped.sort(key=lambda r: (r["district_code"] or "", r["township_code"] or ""))
    by_township = [{"district_code": r["district_code"] or "", "township_code": r["township_code"] or "",
                    "count": int(r["amount_fen_count"]), "total_fen": int(r["amount_fen_sum"] or 0)} for r in grouped]
    districts: dict[str, dict[str, Any]] = {}
    for row in by_township:
        d = districts.setdefault(row["district_code"], {"district_code": row["district_code"], "count": 0, "total_fen": 0})
        d["count"] += row["count"]
        d["total_fen"] += row["total_fen"]
    return Summary(eligible=table.num_rows, total_fen=sum(d["total_fen"] for d in districts.values()),
                   by_district=list(districts.values()), by_township=by_township)


def first_rows(table, n: int) -> list[dict[str, Any]]:
    """The ``n`` rows with the lowest beneficiary ids (the deterministic sample of a preview)."""
    if table.num_rows == 0:
        return []
    import pyarrow.compute as pc

    if n <= 0:
        return []
    # a partial selection, not a sort of every eligible row; ids are unique, so the same rows
    order = pc.select_k_unstable(table, k=min(n, table.num_rows), sort_keys=[("beneficiary_id", "ascending")])
    return table.take(order).to_pylist()


def summarise(engine, eligible_table) -> Summary:
    """Counts and totals of an eligible table, by district and by township (two small queries)."""
    by_township = eligible_table.group_by(["district_code", "township_code"]).aggregate(
        count=eligible_table.count(), total_fen=eligible_table.amount_fen.sum(),
    )
    rows = engine.to_pyarrow(by_township).to_pylist()
    rows.sort(key=lambda r: (r["district_code"] or "", r["township_code"] or ""))
    districts: dict[str, dict[str, Any]] = {}
    for r in rows:
        d = districts.setdefault(r["district_code"], {"district_code": r["district_code"], "count": 0, "total_fen": 0})
        d["count"] += int(r["count"])
        d["total_fen"] += int(r["total_fen"] or 0)
    township_rows = [
        {"district_code": r["district_code"], "township_code": r["township_code"] or "",
         "count": int(r["count"]), "total_fen": int(r["total_fen"] or 0)}
        for r in rows
    ]
    return Summary(
        eligible=sum(d["count"] for d in districts.values()),
        total_fen=sum(d["total_fen"] for d in districts.values()),
        by_district=list(districts.values()),
        by_township=township_rows,
    )


def feature_rows(engine, tables: ft.TableSource, policy: PolicyDefinition, period, ids: Sequence[int]) -> dict[int, dict]:
    """Feature values of some beneficiaries: {bid: {column: value}}."""
    if not ids:
        return {}
    t = policy_features(tables, policy, period, only_ids=list(ids))
    return {int(r["bid"]): r for r in engine.to_pyarrow(t).to_pylist()}


