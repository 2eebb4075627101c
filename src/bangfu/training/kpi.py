"""Training's figures for the KPI tables (``KPI_FIGURES`` in ``training/hooks.py``), as engine
queries. Django-free (they run on every engine; see ``posts/kpi.py``).

* ``trained``: person-times (人次) finishing a course (结业), in the month of completion, in the
  trainee's area (copied onto the enrolment); optionally only those with a certificate, of one
  brand, or of shortage trades;
* ``employed_after``: persons (counted once) who finished a course in January..M of M's year
  and have an employment month within the window after it — from the month of the certificate
  (or, without one, of the course's end) to ``within`` months later — and no later than M.
  A stock of the year taken at each month's end (rollup ``SUM``), in the person's area.
"""

from __future__ import annotations

import ibis

from bangfu.core.months import month_range
from bangfu.engine import schema as s

COURSE = "training_course"
ENROLMENT = "training_enrolment"
CERTIFICATE = "training_certificate"
TABLES = (COURSE, ENROLMENT, CERTIFICATE)
COMPLETED = "completed"
KEYS = ["month", "district_code", "township_code"]


def _month_text(col):
    return col.cast("string").substr(0, 7)


def _index_text(col):
    """'YYYY-MM…' -> year * 12 + month - 1."""
    return col.substr(0, 4).cast("int64") * 12 + col.substr(5, 2).cast("int64") - 1


def _index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _completed(engine, *, certified: bool = False, brand: str | None = None, shortage: bool = False):
    """Completed enrolments with their course's brand, shortage flag and end, and the certificate's date."""
    e = engine.table(ENROLMENT)
    e = e.filter((e.status == COMPLETED) & e.completed_on.notnull())
    course = engine.table(COURSE)
    course = course.select(course_pk=course.id, brand=course.brand, shortage=course.shortage,
                           course_end=course.end_date)
    if brand is not None:
        course = course.filter(course.brand == brand)
    if shortage:
        course = course.filter(course.shortage.cast("int32").fill_null(0) == 1)
    e = e.join(course, e.course_id == course.course_pk)
    cert = engine.table(CERTIFICATE)
    cert = cert.select(cert_enrolment=cert.enrolment_id, issued_on=cert.issued_on)
    joined = (e.join(cert, e.id == cert.cert_enrolment) if certified
              else e.left_join(cert, e.id == cert.cert_enrolment))
    return joined.select(
        enrolment_id=joined.id, person_id=joined.person_id, district_code=joined.district_code,
        township_code=joined.township_code, month=_month_text(joined.completed_on),
        anchor=_month_text(ibis.coalesce(joined.issued_on, joined.course_end)),
    )


def trained_by_month(engine, *, first: str, last: str, certified: bool = False, brand: str | None = None,
                     shortage: bool = False):
    """Person-times finishing a course (结业), by month of completion (``certified``: with a certificate)."""
    t = _completed(engine, certified=certified, brand=brand, shortage=shortage)
    t = t.filter((t.month >= first) & (t.month <= last))
    return t.group_by(KEYS).aggregate(value=t.count())


def employed_after_by_month(engine, *, first: str, last: str, within: int = 6):
    """Persons who finished a course this year and worked within ``within`` months after it.

    One query for the whole range: a (course, employment month) pair counts from the later of
    its two months on, to the December of the course's year; a person counts in month M of year
    Y from the first month any pair of Y counts (``since``). The counts per (Y, since, township)
    are spread over the months of the range by a join with a small calendar."""
    done = _completed(engine)
    done = done.mutate(anchor_idx=_index_text(done.anchor), done_idx=_index_text(done.month))
    work = engine.table(s.EMPLOYMENT)
    work = work.select(w_person=work.person_id, w_idx=_index_text(work.month))
    pairs = done.join(work, (done.person_id == work.w_person) & (work.w_idx >= done.anchor_idx)
                      & (work.w_idx <= done.anchor_idx + within))
    pairs = pairs.select(person_id=pairs.person_id, year=pairs.month.substr(0, 4),
                         since=(pairs.w_idx > pairs.done_idx).ifelse(pairs.w_idx, pairs.done_idx))
    firsts = pairs.group_by(["person_id", "year"]).aggregate(since=pairs.since.min())
    person = engine.table(s.PERSON)
    person = person.select(p_id=person.id, district_code=person.district_code, township_code=person.township_code)
    j = firsts.join(person, firsts.person_id == person.p_id)
    counts = j.group_by(["year", "since", "district_code", "township_code"]).aggregate(n=j.count())
    months = month_range(first, last)
    calendar = ibis.memtable({"month": months, "c_year": [m[:4] for m in months],
                              "c_idx": [_index(m) for m in months]})
    t = counts.join(calendar, (counts.year == calendar.c_year) & (counts.since <= calendar.c_idx))
    return t.group_by(KEYS).aggregate(value=t.n.sum())
