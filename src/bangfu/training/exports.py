"""Excel out: a course's 培训花名册 in the columns of its import (``training_roster``), ready to
fill and upload again. ID numbers are masked; each export is audited."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.core.audit import audit_record
from bangfu.core.exports import workbook_bytes
from bangfu.training import selectors
from bangfu.training.importers import RosterImporter


def roster(*, user, course) -> bytes:
    headers = [col.header for col in RosterImporter.columns]
    rows = []
    for e in selectors.course_enrolments(user=user, course=course):
        cert = getattr(e, "certificate", None)
        rows.append([course.pk, e.pk, e.person.id_number_masked, e.person.name, e.days_attended,
                     e.completed_on or "", cert.number if cert else "", cert.get_level_display() if cert else "",
                     cert.issued_on if cert else "", e.get_status_display()])
    audit_record(actor=user, action="training.roster_export", obj=course, detail={"rows": len(rows)})
    return workbook_bytes(title=_("培训花名册"), headers=headers, rows=rows)
