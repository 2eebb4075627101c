"""Reads of the registry, always restricted to the user's area."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from bangfu.core.actors import Actor, require
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import CITY_CODE
from bangfu.registry.filters import PersonFilter, worker_flag_filter
from bangfu.registry.models import Division, Household, Person

COUNTS_CACHE_SECONDS = 300


def person_list(*, user, filters: PersonFilter | None = None) -> QuerySet[Person]:
    """Persons in the user's area matching ``filters``, in registry order (a role without
    查看人员花名册, e.g. an out-of-town office: 403)."""
    require(user, Capability.VIEW_REGISTRY)
    qs = Person.objects.restrict(user).select_related("household")
    return (filters or PersonFilter()).apply(qs)


def _below_city(user) -> bool:
    return getattr(user, "area_code", CITY_CODE) != CITY_CODE


def person_get(*, user, person_id: int) -> Person:
    """One person of the user's area; any other id is a 404 (a role without the registry: 403)."""
    require(user, Capability.VIEW_REGISTRY)
    return get_object_or_404(Person.objects.restrict(user).select_related("household"), pk=person_id)


def household_members(*, user, household: Household) -> QuerySet[Person]:
    return Person.objects.restrict(user).filter(household=household).order_by("id")


def division_list(*, parent_code: str | None = None, level: str | None = None) -> QuerySet[Division]:
    """Divisions are public reference data: no area restriction."""
    qs = Division.objects.all()
    if parent_code:
        qs = qs.filter(parent_code=parent_code)
    if level:
        qs = qs.filter(level=level)
    return qs


def registry_counts(*, user) -> dict[str, int]:
    """Persons, workers and households of the user's area (cached a few minutes per area and
    data scope: two roles of one area may see different rows)."""
    key = f"registry:counts:{getattr(user, 'data_scope', '')}:{getattr(user, 'area_code', '')}"
    counts = cache.get(key)
    if counts is None:
        persons = Person.objects.restrict(user)
        counts = {
            "persons": persons.count(),
            "workers": (worker_flag_filter(persons, worker=True) if _below_city(user)
                        else persons.workers()).count(),
            "households": Household.objects.restrict(user).count(),
        }
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def persons_by_id_hash(*, actor: Actor, hashes, only: tuple[str, ...] | None = None) -> dict[str, Person]:
    """{ID hash: person} of the persons the actor may read (``restrict``: their data scope; a
    system actor: its area) with these keyed hashes; what the imports that name persons by ID
    number look up. A person outside reads as unknown, so an import never reveals who is
    registered elsewhere. ``only``: load just these fields."""
    wanted = sorted(set(hashes))
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), 5000):  # SQLite caps the parameters of one statement
        qs = Person.objects.restrict(actor).filter(id_number_hash__in=wanted[start:start + 5000])
        if only:
            qs = qs.only("id", "id_number_hash", *only)
        found.update({p.id_number_hash: p for p in qs})
    return found
