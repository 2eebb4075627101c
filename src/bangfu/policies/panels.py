"""What the subsidies app shows on other pages (see bangfu.core.panels)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.core.capabilities import Capability
from bangfu.core.money import format_wan
from bangfu.payments.models import PayeeAccount
from bangfu.policies import selectors


def home_stats(*, request) -> list[dict]:
    year = timezone.localdate().year
    figures = selectors.paid_figures(user=request.user, year=year)
    if not figures["total"]["times"]:
        return []
    return [{"label": _("免申即享已发放"), "value": format_wan(figures["total"]["fen"] / 100),
             "unit": pgettext("unit", "元"), "foot": _("%(year)s年 %(n)s 人次") % {"year": year, "n": figures["total"]["times"]},
             "url": reverse("policies:figures"), "order": 40, "accent": "purple"}]


def person_panel(*, request, person) -> dict | None:
    entitlements = list(selectors.beneficiary_entitlements(user=request.user, kind="person", pk=person.pk)[:10])
    account = PayeeAccount.objects.filter(person=person).first()
    return {
        "title": _("免申即享补贴"), "template": "policies/_person_panel.html", "order": 60,
        "context": {
            "entitlements": entitlements, "account": account, "person": person,
            "explain_url": reverse("policies:explain_person", args=[person.pk]),
            "account_url": reverse("payments:payee_account", args=[person.pk]),
            "can_edit": request.user.has_capability(Capability.EDIT_REGISTRY),
        },
    }
