"""The figures page: leads, share from registry persons, on-time handling, days to close,
money recovered — by office and month, with ECharts served from our own static files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from bangfu.arrears.figures import arrears_figures
from bangfu.arrears.models import ArrearsCase
from bangfu.core.money import fen_to_yuan
from bangfu.core.months import is_month, month_of, months_ending


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


@login_required
def figures(request):
    today = timezone.localdate()
    window = months_ending(month_of(today), 12)
    first = request.GET.get("from", "")
    last = request.GET.get("to", "")
    first = first if is_month(first) else window[0]
    last = last if is_month(last) else window[-1]
    if first > last:
        first, last = last, first
    data = arrears_figures(cases=ArrearsCase.objects.restrict(request.user), first=first, last=last,
                           today=today)
    months = data.months
    chart = {
        "months": [f"{m[:4]}年{int(m[5:])}月" for m in months],
        "leads": [data.by_month.get(m).leads if m in data.by_month else 0 for m in months],
        "registry": [data.by_month[m].registry if m in data.by_month else 0 for m in months],
        "on_time": [_pct(data.by_month[m].on_time_share) if m in data.by_month else None for m in months],
        "recovered": [float(fen_to_yuan(data.by_month[m].recovered_fen)) if m in data.by_month else 0
                      for m in months],
        "offices": [name for _, _, name in data.offices][:15],
        "office_leads": [data.by_office[oid].leads for oid, _, _ in data.offices][:15],
        "office_registry": [data.by_office[oid].registry for oid, _, _ in data.offices][:15],
    }
    office_rows = [(code, name, data.by_office[oid]) for oid, code, name in data.offices]
    month_rows = [(m, data.by_month.get(m)) for m in months]
    cells = [
        (name, m, data.cells[(oid, m)])
        for oid, code, name in data.offices for m in months if (oid, m) in data.cells
    ]
    return render(request, "arrears/figures.html", {
        "first": first, "last": last, "total": data.total, "office_rows": office_rows,
        "month_rows": month_rows, "cells": cells, "chart": chart,
    })
