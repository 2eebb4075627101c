"""Who acts: a user, or one of the named system actors; and the one capability gate.

Every service takes ``actor: Actor``. A user (``accounts.User``) and a ``SystemActor`` answer the
same questions (``label``, ``area_code``, ``has_capability``, ``pk``, ``is_authenticated``), so a
service never asks what kind of actor it was given. ``require`` is the only capability check;
its ``Forbidden`` becomes the Chinese 403 page (``core.views.forbidden``) or the API's 403 JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy as _

from bangfu.core.capabilities import Capability
from bangfu.core.scoping import CITY_CODE

ERR_FORBIDDEN = _("您没有进行此操作的权限：%(capability)s")
ERR_OUTSIDE = _("该记录不在您的管辖范围内")


@runtime_checkable
class Actor(Protocol):
    """What services know of whoever acts."""

    pk: Any
    area_code: str

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def label(self) -> str: ...

    def has_capability(self, capability: Capability) -> bool: ...


@dataclass(frozen=True, eq=False)
class SystemActor:
    """A named actor that is not a person: the system (CLI, demo, imports), the public, the scheduler.

    ``name`` is what audit rows and run records store (stable, not translated); ``label`` is
    how the pages show it. System actors act for the whole city.
    """

    name: str
    title: str | Promise
    capabilities: frozenset[Capability] = field(default_factory=frozenset)
    area_code: str = CITY_CODE
    is_authenticated: bool = True
    pk: None = None
    is_active: bool = True
    is_superuser: bool = False

    @property
    def label(self) -> str:
        return str(self.title)

    @property
    def username(self) -> str:
        return self.name

    def has_capability(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<SystemActor {self.name}>"


C = Capability

# The CLI, the demo generator and imports run without a named user: whatever an operator does on
# the machine, but neither a full view of PII nor approving and paying money: those are a
# person's acts, audited as theirs (the commands take --user).
SYSTEM = SystemActor("system", _("系统"), frozenset({
    C.VIEW_REGISTRY, C.IMPORT_REGISTRY, C.EDIT_REGISTRY, C.MANAGE_USERS, C.MANAGE_POLICIES,
    C.IMPORT_MONITORING, C.MANAGE_JOBS, C.RECORD_SERVICES, C.HANDLE_ARREARS,
}))

# Scheduled tasks (core.schedule): the KPI fill, job pushes and expiries, arrears escalation.
SCHEDULER = SystemActor("scheduler", _("定时任务"), frozenset({
    C.IMPORT_MONITORING, C.MANAGE_JOBS, C.HANDLE_ARREARS,
}))
# A worker or a member of the public at the public doors (the arrears complaint form): no capability.
PUBLIC = SystemActor("public", _("公众"), frozenset(), is_authenticated=False)

SYSTEM_ACTORS: dict[str, SystemActor] = {a.name: a for a in (SYSTEM, SCHEDULER, PUBLIC)}


class Forbidden(PermissionDenied):
    """The actor lacks a capability; ``message`` is Chinese and safe to show."""

    def __init__(self, message: str | Promise | None = None, *, capability: Capability | None = None):
        if message is None:
            message = gettext(ERR_FORBIDDEN) % {"capability": capability.label if capability else ""}
        self.message = str(message)
        self.capability = capability
        super().__init__(self.message)


def require(actor: Actor, capability: Capability, message: str | Promise | None = None) -> None:
    """Pass when ``actor`` has ``capability``; otherwise raise ``Forbidden`` (403)."""
    if not isinstance(capability, Capability):
        raise TypeError(f"not a Capability: {capability!r}")
    if not actor.has_capability(capability):
        raise Forbidden(message, capability=capability)


def require_area(actor: Actor, area_code: str) -> None:
    """Pass when ``area_code`` lies in ``actor``'s area (system actors act for the whole city);
    otherwise raise ``Forbidden`` (403): a write of another area's record."""
    from bangfu.core.scoping import area_contains

    if not area_contains(actor.area_code, area_code):
        raise Forbidden(ERR_OUTSIDE)


def system_actor(name: str) -> SystemActor:
    """The system actor of that name (background tasks receive names, which serialise)."""
    try:
        return SYSTEM_ACTORS[name]
    except KeyError:
        raise ValueError(f"not a system actor: {name!r}") from None


def is_system(actor: Actor) -> bool:

    return isinstance(actor, SystemActor)


def actor_user(actor: Actor) -> Any:
    """The user behind ``actor`` for a foreign key, or None for a system actor."""
    return None if isinstance(actor, SystemActor) else actor


def actor_name(actor: Actor) -> str:
    """What a record stores as the actor's name: a username, or the system actor's name."""
    return actor.name if isinstance(actor, SystemActor) else actor.get_username()


def actor_label(name: str) -> str:
    """How a stored actor name reads on a page: the system actors' Chinese labels, else the name."""
    system = SYSTEM_ACTORS.get(name)
    return system.label if system else name
