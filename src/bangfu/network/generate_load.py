"""Writing the network step's plan (``network/generate.py``) into the database in bulk."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from bangfu.core.actors import SYSTEM
from bangfu.network.generate import (
    BATCH, MARKET_SERVICES, REFERENCE_PEOPLE, SERVICE_KINDS, SERVICES_JAN_SEP, WORKSHOP_TYPES,
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
             "notice_start", "registered_on"),
            [(first_id + i, now, now, h["name"], h["role"], pii_encrypt(h["phone"]), pii_hash(h["phone"]),
              h["birth_date"], h["township_code"][:6], h["township_code"], h["township_code"], "", "registered",
              h["applied_on"], h["applied_on"] + dt.timedelta(days=10), h["applied_on"] + dt.timedelta(days=20),
              h["applied_on"] + dt.timedelta(days=30), h["registered_on"]) for i, h in enumerate(helpers)], "帮扶人员")
    workers, helper_index = assignment[:, 0], assignment[:, 1]
    started = dt.date(year, 1, 1)
    _insert(ctx, Caseload._meta.db_table,
            ("created_at", "updated_at", "helper_id", "person_id", "primary", "started_on", "district_code",
             "township_code"),
            [(now, now, first_id + int(h), int(ids[p]), True, started, districts[p], townships[p])
             for p, h in zip(workers.tolist(), helper_index.tolist())], "包联对象")
    per_month = round(SERVICES_JAN_SEP * ctx.person_count / REFERENCE_PEOPLE / 9)
    services = []
    if len(workers):
        for mon in range(1, 13):
            picks = rng.integers(0, len(workers), per_month)
            days = rng.integers(1, 29, per_month)
            kinds = rng.integers(0, len(SERVICE_KINDS), per_month)
            for k, d, kind in zip(picks.tolist(), days.tolist(), kinds.tolist()):
                p = int(workers[k])
                services.append((now, now, first_id + int(helper_index[k]), int(ids[p]), SERVICE_KINDS[kind],
                                 dt.date(year, mon, d), f"{year}-{mon:02d}", "", "", districts[p], townships[p]))
    _insert(ctx, ServiceRecord._meta.db_table,
            ("created_at", "updated_at", "helper_id", "person_id", "kind", "served_on", "month", "note", "actor_name",
             "district_code", "township_code"), services, "帮扶服务记录")
    counts = {"markets": len(markets), "workshops": shops, "helpers": len(helpers), "caseloads": len(workers),
              "services": len(services)}
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="network.generate", detail=counts)
    return counts

