"""The helpers' part of the hand-built engine facts (``testing``): helpers, their organised
outflow batches and members, for the broker award (``broker_outflow_award``). Django-free."""

from __future__ import annotations

from typing import Any

from bangfu.engine import features as ft

OUTFLOW_TABLES: dict[str, list[tuple[str, str, str, Any]]] = {
    ft.HELPER: [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("name", "varchar(60)", "varchar(60)", "经纪人"),
        ("role", "varchar(20)", "varchar(20)", "broker"),
        ("status", "varchar(20)", "varchar(20)", "registered"),
        ("district_code", "varchar(6)", "varchar(6)", "500230"),
        ("township_code", "varchar(9)", "varchar(9)", "500230101"),
    ],
    ft.OUTFLOW_BATCH: [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("helper_id", "bigint", "bigint", None),
        ("month", "varchar(7)", "varchar(7)", None),
        ("destination_code", "varchar(12)", "varchar(12)", "37"),
    ],
    ft.OUTFLOW_MEMBER: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("batch_id", "bigint", "bigint", None),
        ("person_id", "bigint", "bigint", None),
    ],
}


def outflow_facts(persons: list[dict], employment: list[dict]) -> dict[str, list[dict[str, Any]]]:
    """Adds persons 201-206 and their months (in the county only: no transport subsidy) to
    ``persons`` and ``employment``, and returns the helpers' tables. Broker award (200 per
    organised worker employed >= 3 months from the departure month on): helper 1 registered,
    batch 1 (2024-03) with 201 (6 months), 202 (2), 203 (worked only before leaving) and 204 (3),
    batch 2 (2024-06) with 201 again and 205 (4) -> 3 workers, 600; 2 registered, its batch left
    in 2023 -> nothing; 3 withdrawn, 206 (5 months) -> nothing; 4 registered, 202 left 2024-04 (1
    month) -> nothing; a batch without a helper counts for nobody."""
    persons += [{"id": 200 + i, "birth_date": "1988-01-01"} for i in range(1, 7)]
    worked = {201: ("2024-03", "2024-08"), 202: ("2024-03", "2024-04"), 203: ("2024-01", "2024-02"),
              204: ("2024-05", "2024-07"), 205: ("2024-06", "2024-09"), 206: ("2023-11", "2024-06")}
    for pid, (first, last) in worked.items():
        employment += [{"person_id": pid, "month": m, "place_class": "in_county"}
                       for m in (f"{y}-{mo:02d}" for y in (2023, 2024) for mo in range(1, 13)) if first <= m <= last]
    batches = [{"id": 1, "helper_id": 1, "month": "2024-03"}, {"id": 2, "helper_id": 1, "month": "2024-06"},
               {"id": 3, "helper_id": 2, "month": "2023-11"}, {"id": 4, "helper_id": 3, "month": "2024-02"},
               {"id": 5, "helper_id": 4, "month": "2024-04"}, {"id": 6, "helper_id": None, "month": "2024-03"}]
    outflow = [{"batch_id": b, "person_id": p} for b, p in (
        (1, 201), (1, 202), (1, 203), (1, 204), (2, 201), (2, 205), (3, 206), (4, 206), (5, 202), (6, 201))]
    return {
        ft.HELPER: [{"id": 1}, {"id": 2}, {"id": 3, "status": "withdrawn"},
                    {"id": 4, "district_code": "500101", "township_code": "500101001"}],
        ft.OUTFLOW_BATCH: batches,
        ft.OUTFLOW_MEMBER: outflow,
    }
