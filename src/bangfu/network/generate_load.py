"""Writing the network step's plan (``network/generate.py``) into the database in bulk."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from bangfu.core.actors import SYSTEM
from bangfu.network.generate import (
    BANKS, BATCH, MARKET_SERVICES, REFERENCE_PEOPLE, SERVICE_KINDS, SERVICES_JAN_SEP, WORKSHOP_TYPES, outflow_plan,
)

# The workers' departures of the year for work outside Chongqing: the first month out of the
# city of the year (with its destination), for those who were not working out of the city the
# December before.
DEPARTURES_SQL = (
    "SELECT e.person_id, e.month, e.destination_code FROM monitoring_employmentmonth e "
    "JOIN (SELECT person_id, MIN(month) AS first_month FROM monitoring_employmentmonth "
    "      WHERE place_class = 'out_of_city' AND month BETWEEN %s AND %s GROUP BY person_id) f "
    "  ON f.person_id = e.person_id AND f.first_month = e.month "
    "WHERE NOT EXISTS (SELECT 1 FROM monitoring_employmentmonth p WHERE p.person_id = e.person_id "
    "                  AND p.month = %s AND p.place_class = 'out_of_city') "
    "ORDER BY e.person_id"
)


def _insert(ctx, table: str, columns: tuple[str, ...], rows: list[tuple], label: str) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)  # "primary" is a keyword
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
    for start in range(0, len(rows), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows[start:start + BATCH])
        ctx.progress(label, min(start + BATCH, len(rows)), len(rows))


def _workshops(rng) -> int:
    from bangfu.network.models import Workshop, WorkshopMember

    members: dict[int, int] = {}
    for wid in WorkshopMember.objects.values_list("workshop_id", flat=True):
        members[wid] = members.get(wid, 0) + 1
    shops = list(Workshop.objects.all())
    for w in shops:
        w.workshop_type = WORKSHOP_TYPES[int(rng.integers(len(WORKSHOP_TYPES)))]
        w.recognised_on = dt.date(2019 + int(rng.integers(0, 6)), 1 + int(rng.integers(0, 12)), 1)
        w.applied_on = w.recognised_on - dt.timedelta(days=60)
        w.running_since = w.recognised_on + dt.timedelta(days=30)
        w.status = "running" if w.active else "exited"
        w.exited_on = None if w.active else dt.date(2024, 6, 30)
        w.total_workers = members.get(w.pk, 0) + int(rng.integers(0, 30))
    Workshop.objects.bulk_update(shops, ["workshop_type", "recognised_on", "applied_on", "running_since", "status",
                                         "exited_on", "total_workers"], batch_size=1000)
    return len(shops)


def load_network(ctx, rng, markets: list[dict], helpers: list[dict], assignment: np.ndarray) -> dict:
    from bangfu.core.audit import audit_record
    from bangfu.core.pii import pii_encrypt, pii_hash
    from bangfu.network.models import Caseload, GigMarket, Helper, MarketServiceRecord, ServiceRecord

    now = timezone.now()
    ids = np.asarray(ctx.persons["id"])
    districts = np.asarray(ctx.persons["district_code"]).astype(str)
    townships = np.asarray(ctx.persons["township_code"]).astype(str)
    year = ctx.as_of.year
    with transaction.atomic():
        GigMarket.objects.bulk_create([GigMarket(listed=True, scope="general", township_code="", **m) for m in markets],
                                      batch_size=1000)
        market_rows = list(GigMarket.objects.filter(code__in=[m["code"] for m in markets]).values_list(
            "pk", "district_code"))
        MarketServiceRecord.objects.bulk_create([
            MarketServiceRecord(market_id=pk, service=s, served_on=dt.date(year, mon, 15), month=f"{year}-{mon:02d}",
                                district_code=d, township_code="")
            for pk, d in market_rows for mon in range(1, 13) for s in MARKET_SERVICES], batch_size=5000)
        shops = _workshops(rng)
    first_id = (Helper.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    _insert(ctx, Helper._meta.db_table,
            ("id", "created_at", "updated_at", "name", "role", "phone", "phone_hash", "birth_date", "district_code",
             "township_code", "covered_area_code", "village", "status", "applied_on", "recommended_on", "trained_on",
             "notice_start", "registered_on", "bank_name", "bank_account", "bank_account_hash"),
            [(first_id + i, now, now, h["name"], h["role"], pii_encrypt(h["phone"]), pii_hash(h["phone"]),
              h["birth_date"], h["township_code"][:6], h["township_code"], h["township_code"], "", "registered",
              h["applied_on"], h["applied_on"] + dt.timedelta(days=10), h["applied_on"] + dt.timedelta(days=20),
              h["applied_on"] + dt.timedelta(days=30), h["registered_on"], BANKS[i % len(BANKS)],
              pii_encrypt(account), pii_hash(account))
             for i, (h, account) in enumerate(zip(helpers, _accounts(rng, len(helpers))))], "帮扶人员")
    # explicit ids: the sequence moves past them, or the next helper registered on a page collides
    _reset_sequences(Helper)
    workers, helper_index = assignment[:, 0], assignment[:, 1]
    started = dt.date(year, 1, 1)
    _insert(ctx, Caseload._meta.db_table,
            ("created_at", "updated_at", "helper_id", "person_id", "primary", "started_on", "district_code",
             "township_code"),
            [(now, now, first_id + int(h), int(ids[p]), True, started, districts[p], townships[p])
             for p, h in zip(workers.tolist(), helper_index.tolist())], "包联对象")
    helper_of = dict(zip(ids[workers].tolist(), (first_id + helper_index).tolist()))
    batches, outflow_services = _outflow(ctx, rng, helper_of, districts_of=dict(zip(ids.tolist(), districts.tolist())),
                                         townships_of=dict(zip(ids.tolist(), townships.tolist())), now=now)
    per_month = round(SERVICES_JAN_SEP * ctx.person_count / REFERENCE_PEOPLE / 9)
    services = list(outflow_services)
    outflow_by_month: dict[str, int] = {}
    for row in outflow_services:
        outflow_by_month[row[6]] = outflow_by_month.get(row[6], 0) + 1
    if len(workers):
        for mon in range(1, 13):
            # the outflow departures are services of the month too: the total stays as planned
            n = max(0, per_month - outflow_by_month.get(f"{year}-{mon:02d}", 0))
            picks = rng.integers(0, len(workers), n)
            days = rng.integers(1, 29, n)
            kinds = rng.integers(0, len(SERVICE_KINDS), n)
            for k, d, kind in zip(picks.tolist(), days.tolist(), kinds.tolist()):
                p = int(workers[k])
                services.append((now, now, first_id + int(helper_index[k]), int(ids[p]), SERVICE_KINDS[kind],
                                 dt.date(year, mon, d), f"{year}-{mon:02d}", "", "", districts[p], townships[p]))
    _insert(ctx, ServiceRecord._meta.db_table,
            ("created_at", "updated_at", "helper_id", "person_id", "kind", "served_on", "month", "note", "actor_name",
             "district_code", "township_code"), services, "帮扶服务记录")
    counts = {"markets": len(markets), "workshops": shops, "helpers": len(helpers), "caseloads": len(workers),
              "outflow_batches": batches, "outflow_workers": len(outflow_services), "services": len(services)}
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="network.generate", detail=counts)
    return counts



def _accounts(rng, n: int) -> list[str]:
    return ["6228" + "".join(str(x) for x in row) for row in rng.integers(0, 10, (n, 15))]


def _reset_sequences(*models) -> None:
    from django.core.management.color import no_style

    for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _outflow(ctx, rng, helper_of: dict[int, int], *, districts_of: dict, townships_of: dict, now):
    """The organised batches of the year (``outflow_plan``) with their members; returns the
    number of batches and one service row (kind ``outflow``) per member, for the services insert."""
    from bangfu.network.models import OutflowBatch, OutflowMember

    year = ctx.as_of.year
    with connection.cursor() as cursor:
        cursor.execute(DEPARTURES_SQL, [f"{year}-01", f"{year}-12", f"{year - 1}-12"])
        departures = [(int(p), m, d or "", townships_of.get(int(p), "")) for p, m, d in cursor.fetchall()]
    plan = outflow_plan(rng, departures, helper_of, year)
    with transaction.atomic():
        made = OutflowBatch.objects.bulk_create([
            OutflowBatch(name=b["name"], helper_id=b["helper"], departed_on=b["departed_on"], month=b["month"],
                         destination_code=b["destination_code"], cooperation_region=b["cooperation_region"],
                         owner_area_code=b["district_code"]) for b in plan], batch_size=2000)
    members, services = [], []
    for b, batch in zip(plan, made):
        for p in b["members"]:
            members.append((now, now, batch.pk, p, districts_of[p], townships_of[p]))
            services.append((now, now, b["helper"], p, "outflow", b["departed_on"], b["month"], b["name"], "",
                             districts_of[p], townships_of[p]))
    _insert(ctx, OutflowMember._meta.db_table,
            ("created_at", "updated_at", "batch_id", "person_id", "district_code", "township_code"), members, "有组织劳务输出")
    return len(made), services
