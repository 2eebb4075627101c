"""Figures of 渝职聘 for the dashboard and the briefing: by district and month, cross-zone
offers (一区两群) and labour cooperation. Person-based counts are restricted to the user's area."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Sum

from bangfu.core import reference
from bangfu.jobs.models import Application, ExportMember, JobPosting, Push, ServiceRecord
from bangfu.jobs.selectors import export_batch_list
from bangfu.registry.choices import CooperationRegion, RegionGroup

OTHER_ZONES = ("northeast", "southeast")


def _zone(district_code: str) -> str:
    return reference.divisions().get(district_code, {}).get("region_group", "")


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def service_figures(*, user, months: list[str] | None = None, district: str = "") -> list[dict]:
    """One row per (district, month): pushes, people pushed, people served, service person-times,
    hires from pushes, all hires and the push-to-hire rate (hires from pushes ÷ pushes)."""
    filters = {}
    if months:
        filters["month__in"] = months
    pushes = Push.objects.restrict(user).filter(**filters)
    services = ServiceRecord.objects.restrict(user).filter(**filters)
    hires = Application.objects.restrict(user).filter(status="hired")
    if months:
        hires = hires.filter(hire_month__in=months)
    if district:
        pushes, services, hires = (q.filter(district_code=district) for q in (pushes, services, hires))
    rows: dict[tuple[str, str], dict] = defaultdict(lambda: {
        "pushes": 0, "people_pushed": 0, "people_served": 0, "services": 0, "hires_from_pushes": 0,
        "hires": 0})
    for r in pushes.values("district_code", "month").annotate(n=Count("id"), people=Count("person", distinct=True)):
        row = rows[(r["district_code"], r["month"])]
        row["pushes"], row["people_pushed"] = r["n"], r["people"]
    for r in services.values("district_code", "month").annotate(n=Count("id"), people=Count("person", distinct=True)):
        row = rows[(r["district_code"], r["month"])]
        row["services"], row["people_served"] = r["n"], r["people"]
    for r in hires.values("district_code", "hire_month").annotate(
            n=Count("id"), from_push=Count("id", filter=Q(push__isnull=False))):
        row = rows[(r["district_code"], r["hire_month"])]
        row["hires"], row["hires_from_pushes"] = r["n"], r["from_push"]
    out = []
    for (district_code, month), row in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0]), reverse=True):
        out.append({"district_code": district_code, "district": reference.area_name(district_code),
                    "month": month, **row, "push_to_hire": rate(row["hires_from_pushes"], row["pushes"])})
    return out


def totals(rows: list[dict]) -> dict:
    keys = ("pushes", "people_pushed", "people_served", "services", "hires_from_pushes", "hires")
    total = {k: sum(r[k] for r in rows) for k in keys}
    total["push_to_hire"] = rate(total["hires_from_pushes"], total["pushes"])
    return total


def cross_zone(*, user, on=None) -> dict:
    """Jobs in the main metropolitan zone offered to workers of the north-east and south-east:
    open postings and their headcount, pushes, people reached and hires, by home zone."""
    metro = JobPosting.objects.filter(work_region_group="main_metro")
    open_metro = metro.open(on)
    posting_totals = open_metro.aggregate(n=Count("id"), headcount=Sum("headcount"), filled=Sum("filled_count"))
    by_zone = {z: {"zone": z, "label": str(RegionGroup(z).label), "pushes": 0, "people": 0, "hires": 0}
               for z in OTHER_ZONES}
    pushes = (Push.objects.restrict(user).filter(posting__work_region_group="main_metro")
              .values("district_code").annotate(n=Count("id"), people=Count("person", distinct=True)))
    for r in pushes:
        zone = _zone(r["district_code"])
        if zone in by_zone:
            by_zone[zone]["pushes"] += r["n"]
            by_zone[zone]["people"] += r["people"]
    hires = (Application.objects.restrict(user).filter(status="hired", posting__work_region_group="main_metro")
             .values("district_code").annotate(n=Count("id")))
    for r in hires:
        zone = _zone(r["district_code"])
        if zone in by_zone:
            by_zone[zone]["hires"] += r["n"]
    return {"postings": posting_totals["n"] or 0, "headcount": posting_totals["headcount"] or 0,
            "filled": posting_totals["filled"] or 0, "zones": list(by_zone.values()),
            "total_hires": sum(z["hires"] for z in by_zone.values()),
            "total_pushes": sum(z["pushes"] for z in by_zone.values())}


def cooperation(*, user, on=None) -> list[dict]:
    """Per cooperation region: open postings and headcount, pushes, hires, export batches and
    the workers sent in them."""
    rows = {r: {"region": r, "label": str(CooperationRegion(r).label), "postings": 0, "headcount": 0,
                "pushes": 0, "hires": 0, "batches": 0, "exported": 0}
            for r in CooperationRegion.values}
    for r in (JobPosting.objects.open(on).exclude(cooperation_region="").values("cooperation_region")
              .annotate(n=Count("id"), headcount=Sum("headcount"))):
        rows[r["cooperation_region"]].update(postings=r["n"], headcount=r["headcount"] or 0)
    for r in (Push.objects.restrict(user).exclude(posting__cooperation_region="")
              .values("posting__cooperation_region").annotate(n=Count("id"))):
        rows[r["posting__cooperation_region"]]["pushes"] = r["n"]
    for r in (Application.objects.restrict(user).filter(status="hired").exclude(posting__cooperation_region="")
              .values("posting__cooperation_region").annotate(n=Count("id"))):
        rows[r["posting__cooperation_region"]]["hires"] = r["n"]
    batches = export_batch_list(user=user).exclude(cooperation_region="")
    for r in batches.values("cooperation_region").annotate(n=Count("id", distinct=True)):
        rows[r["cooperation_region"]]["batches"] = r["n"]
    members = ExportMember.objects.restrict(user).filter(batch__in=batches.values("pk"))
    for r in members.values("batch__cooperation_region").annotate(n=Count("id")):
        rows[r["batch__cooperation_region"]]["exported"] = r["n"]
    return list(rows.values())
