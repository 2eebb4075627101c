"""培训成效: the year's trainees who finished a course by trade, brand and district — how many,
how many certified, how many found work within the window after it (counted once per person and
breakdown) — for the user's area, by the rule of the KPI (``training.kpi``). The dashboard reads
the KPI tables; this page reads the records, so it also breaks down by trade."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from bangfu.core.months import month_of, shift_month
from bangfu.monitoring.models import EmploymentMonth
from bangfu.training import choices as c
from bangfu.training.models import Certificate, Enrolment
from bangfu.training.params import param

CHUNK = 5000


@dataclass
class OutcomeRow:
    key: str
    trained: int = 0
    certified: int = 0
    employed_people: set = field(default_factory=set)

    @property
    def employed(self) -> int:
        return len(self.employed_people)


def training_outcomes(*, user, year: int, upto: str) -> dict[str, list[OutcomeRow]]:
    """{"trade": [...], "brand": [...], "district": [...]} for the enrolments of ``user``'s area
    completed in January..``upto`` of ``year``; rows ordered by trainees, most first."""
    within = int(param("TRAINING_EMPLOYED_WITHIN_MONTHS"))
    done = list(Enrolment.objects.restrict(user)
                .filter(status=c.EnrolmentStatus.COMPLETED, completed_on__year=year,
                        completed_on__lte=_month_end(upto))
                .annotate(certified=Exists(Certificate.objects.filter(enrolment=OuterRef("pk"))))
                .values_list("person_id", "district_code", "course__occupation_code", "course__brand",
                             "course__end_date", "certified", "certificate__issued_on"))
    worked: dict[int, set[str]] = defaultdict(set)
    persons = sorted({row[0] for row in done})
    for start in range(0, len(persons), CHUNK):
        for pid, month in (EmploymentMonth.objects.filter(person_id__in=persons[start:start + CHUNK],
                                                          month__gte=f"{year}-01", month__lte=upto)
                           .values_list("person_id", "month")):
            worked[pid].add(month)
    tables: dict[str, dict[str, OutcomeRow]] = {"trade": {}, "brand": {}, "district": {}}
    for pid, district, trade, brand, end, certified, issued in done:
        anchor = month_of(issued or end)
        last = min(shift_month(anchor, within), upto)
        employed = any(anchor <= m <= last for m in worked.get(pid, ()))
        for name, key in (("trade", trade), ("brand", brand), ("district", district)):
            row = tables[name].setdefault(key, OutcomeRow(key))
            row.trained += 1
            row.certified += int(bool(certified))
            if employed:
                row.employed_people.add(pid)
    return {name: sorted(rows.values(), key=lambda r: (-r.trained, r.key)) for name, rows in tables.items()}


def _month_end(month: str):
    from bangfu.core.months import last_day

    return last_day(month)
