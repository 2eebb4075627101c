"""What 渝职聘 shows on other pages (see bangfu.core.panels): home figures and a card on the
person page linking to the worker's job page (jobs:worker)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.core.months import month_of
from bangfu.jobs.models import Application, JobPosting, Push


def home_stats(*, request) -> list[dict]:
    today = timezone.localdate()
    month = month_of(today)
    pushes = Push.objects.restrict(request.user).filter(month=month).count()
    return [
        {"label": _("在招岗位"), "value": JobPosting.objects.open(today).count(), "unit": pgettext("unit", "个"),
         "foot": _("渝职聘"), "url": reverse("jobs:posting_list"), "order": 40},
        {"label": _("本月推送岗位"), "value": pushes, "unit": pgettext("unit", "条"),
         "foot": _("渝职聘"), "url": reverse("jobs:index"), "order": 41, "accent": "purple"},
    ]


def person_panel(*, request, person) -> dict | None:
    pushes = Push.objects.restrict(request.user).filter(person=person)
    applications = Application.objects.restrict(request.user).filter(person=person)
    return {
        "title": _("就业帮扶（渝职聘）"), "template": "jobs/_person_panel.html", "order": 60,
        "context": {
            "url": reverse("jobs:worker", args=[person.pk]),
            "pushes": pushes.count(), "applications": applications.count(),
            "hires": applications.filter(status="hired").count(),
            "last_push": pushes.select_related("posting").first(),
        },
    }
