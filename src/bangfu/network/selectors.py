"""Reads of the network, each from ``Model.objects.restrict(user)``: outside the area is a 404."""

from __future__ import annotations

from django.utils.translation import gettext as _

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from bangfu.network import choices as c
from bangfu.network.models import (
    GigMarket, GigMatch, GigPosting, Helper, ServiceRecord, Workshop, WorkshopMember, WorkshopRatingRecord,
)
from bangfu.registry.models import Person


def market_list(*, user, listed_only: bool = False) -> QuerySet[GigMarket]:
    qs = GigMarket.objects.restrict(user)
    return qs.filter(listed=True, closed_on__isnull=True) if listed_only else qs


def market_get(*, user, market_id: int) -> GigMarket:
    return get_object_or_404(GigMarket.objects.restrict(user), pk=market_id)


def gig_posting_list(*, user, market: GigMarket | None = None) -> QuerySet[GigPosting]:
    qs = GigPosting.objects.restrict(user).select_related("market")
    return qs.filter(market=market) if market is not None else qs


def workshop_list(*, user, status: str | None = None) -> QuerySet[Workshop]:
    qs = Workshop.objects.restrict(user).select_related("employer")
    return qs.filter(status=status) if status else qs


def workshop_get(*, user, workshop_id: int) -> Workshop:
    return get_object_or_404(Workshop.objects.restrict(user).select_related("employer"), pk=workshop_id)


def workshops_by_code(*, user, codes) -> tuple[dict[str, Workshop], set[str]]:
    """The workshops of ``codes`` inside the user's area, by code (认定编号 are unique within a
    district: a code of another district reads as unknown), and the codes that name workshops in
    more than one of the user's districts (a city-wide user), which an import cannot decide."""
    shops: dict[str, Workshop] = {}
    ambiguous: set[str] = set()
    for shop in Workshop.objects.restrict(user).filter(code__in=set(codes)).order_by("district_code"):
        if shop.code in shops:
            ambiguous.add(shop.code)
        shops[shop.code] = shop
    return {code: shop for code, shop in shops.items() if code not in ambiguous}, ambiguous


def workshop_roster(*, user, workshop: Workshop | None = None) -> QuerySet[WorkshopMember]:
    """车间吸纳花名册: members with their person and workshop."""
    qs = WorkshopMember.objects.restrict(user).select_related("person", "workshop")
    return qs.filter(workshop=workshop) if workshop is not None else qs


def helper_list(*, user, status: str | None = None) -> QuerySet[Helper]:
    qs = Helper.objects.restrict(user).annotate(
        caseload_size=Count("caseload", filter=Q(caseload__ended_on__isnull=True))
    ).order_by("district_code", "township_code", "name", "id")  # a GROUP BY drops Meta.ordering
    return qs.filter(status=status) if status else qs


def helper_get(*, user, helper_id: int) -> Helper:
    return get_object_or_404(Helper.objects.restrict(user), pk=helper_id)


def acting_helper(*, user, helper_id) -> Helper | None:
    """Whose caseload a page or request works on: the user's own helper record; another helper
    (``helper_id``) only for an officer who keeps the helpers' register, inside their area. A
    helper naming someone else's id is refused, not shown that caseload."""
    from bangfu.core.actors import Forbidden
    from bangfu.network.permissions import CAPABILITY_MANAGE
    from bangfu.network.services import helper_of

    own = helper_of(user)
    if not helper_id or not str(helper_id).isdigit() or (own is not None and own.pk == int(helper_id)):
        return own
    if not user.has_capability(CAPABILITY_MANAGE):
        raise Forbidden(_("只能查看本人的服务对象"))
    return helper_get(user=user, helper_id=int(helper_id))


def person_get(*, user, person_id: int) -> Person:
    return get_object_or_404(Person.objects.restrict(user), pk=person_id)


def service_list(*, user, helper: Helper | None = None, month: str | None = None) -> QuerySet[ServiceRecord]:
    qs = ServiceRecord.objects.restrict(user).select_related("person", "helper")
    if helper is not None:
        qs = qs.filter(helper=helper)
    return qs.filter(month=month) if month else qs


def registered_helpers(*, user) -> QuerySet[Helper]:
    return Helper.objects.restrict(user).filter(status=c.HelperStatus.REGISTERED)


def zero_employment_households(*, user, month: str, below_offers: int | None = None):
    """零就业家庭: households of the area with workers and nobody employed in ``month``, with the
    job offers (pushes and referrals) their members received; ``below_offers`` keeps the short ones."""
    from django.db.models import Exists, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from bangfu.core.months import last_day
    from bangfu.jobs.models import Application, Push
    from bangfu.monitoring.models import EmploymentMonth
    from bangfu.registry.models import Household

    def _count(model):
        return Coalesce(Subquery(
            model.objects.filter(person__household_id=OuterRef("pk")).order_by()
            .values("person__household_id").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField()), Value(0))

    workers = Person.objects.workers(last_day(month)).filter(household_id=OuterRef("pk"))
    qs = (Household.objects.restrict(user)
          .annotate(has_workers=Exists(workers),
                    employed=Exists(EmploymentMonth.objects.filter(person__household_id=OuterRef("pk"), month=month)))
          .filter(has_workers=True, employed=False)
          .annotate(pushes=_count(Push), referrals=_count(Application)))
    if below_offers is not None:
        from django.db.models import F

        qs = qs.annotate(offers=F("pushes") + F("referrals")).filter(offers__lt=below_offers)
    return qs.order_by("district_code", "township_code", "number")


def gig_posting_get(*, user, posting_id: int) -> GigPosting:
    return get_object_or_404(GigPosting.objects.restrict(user).select_related("market"), pk=posting_id)


def gig_matches(*, user, posting: GigPosting) -> QuerySet[GigMatch]:
    return GigMatch.objects.restrict(user).filter(posting=posting).select_related("person").order_by("-matched_on", "id")


def gig_match_get(*, user, match_id: int) -> GigMatch:
    return get_object_or_404(GigMatch.objects.restrict(user).select_related("posting", "person"), pk=match_id)


def workshop_member_get(*, user, workshop: Workshop, member_id: int) -> WorkshopMember:
    return get_object_or_404(WorkshopMember.objects.restrict(user).select_related("person"),
                             workshop=workshop, pk=member_id)


def workshop_ratings(*, user, workshop: Workshop) -> QuerySet[WorkshopRatingRecord]:
    return WorkshopRatingRecord.objects.restrict(user).filter(workshop=workshop).order_by("-year")
