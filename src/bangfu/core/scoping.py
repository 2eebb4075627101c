"""Area scoping: every read of people's data is restricted to the user's area.

Area codes nest by prefix: the city is ``50``, a district or county ``5001xx``/``5002xx``,
a township its 9-digit code. A model opts in with either

* ``area_prefix_field`` - one column holding the most precise area code of the row
  (a township or district code); the user's area matches as a prefix; or
* ``area_district_field`` / ``area_township_field`` - separate columns (or lookups across a
  relation) for the district and the township of the row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # pragma: no cover
    from django.contrib.auth.models import AbstractBaseUser as User  # settings.AUTH_USER_MODEL

CITY_CODE = "50"


class DataScope(models.TextChoices):
    """How far a role sees from its user's area (the role table, ``accounts.AccessRole``).

    ``AREA``: the user's area and everything below it (the rule before roles were data);
    ``TOWNSHIP``: the same, for a user whose area is a township (any other area: nothing);
    ``SELF``: only rows the user owns (a model naming ``area_owner_field``), nothing else;
    ``ALL``: the whole city whatever the user's area.
    """

    ALL = "all", _("全部")
    AREA = "area", _("本区县及以下")
    TOWNSHIP = "township", _("本乡镇")
    SELF = "self", _("仅本人")


def area_level(code: str) -> str:
    """Return ``city``, ``district`` or ``township`` for a Chongqing area code."""
    if code == CITY_CODE:
        return "city"
    if len(code) == 6:
        return "district"
    if len(code) == 9:
        return "township"
    raise ValueError(f"not a Chongqing area code: {code!r}")


def area_contains(outer: str, inner: str | None) -> bool:
    """True when area ``inner`` lies within area ``outer``."""
    return bool(inner) and inner.startswith(outer)


def area_q(model: type[models.Model], area_code: str | None) -> Q:
    """The filter that keeps the rows of ``model`` inside ``area_code`` (no area: nothing)."""
    if not area_code:
        return Q(pk__in=[])
    if area_code == CITY_CODE:
        return Q()
    prefix_field = getattr(model, "area_prefix_field", None)
    if prefix_field:
        return Q(**{f"{prefix_field}__startswith": area_code})
    level = area_level(area_code)
    field = getattr(model, f"area_{level}_field", None)
    if field is None:
        raise TypeError(f"{model.__name__} does not declare area fields")
    return Q(**{field: area_code})


class AreaQuerySet(models.QuerySet):
    def restrict(self, user: "User | None") -> "AreaQuerySet":
        """Rows the user may see: their area and everything below it."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        area_code = getattr(user, "area_code", None)
        scope = getattr(user, "data_scope", DataScope.AREA)  # system actors: their area (the city)
        if scope == DataScope.ALL:
            return self.all()
        if scope == DataScope.SELF:
            owner = getattr(self.model, "area_owner_field", None)
            return self.filter(**{owner: user.pk}) if owner and user.pk else self.none()
        if scope == DataScope.TOWNSHIP and len(area_code or "") != 9:
            return self.none()
        if scope not in (DataScope.AREA, DataScope.TOWNSHIP):
            return self.none()  # an unknown scope sees nothing
        return self.filter(area_q(self.model, area_code))

    def in_area(self, area_code: str) -> "AreaQuerySet":
        return self.filter(area_q(self.model, area_code))
