"""Django ``TextChoices`` made from the shared code lists of ``bangfu.codes``.

    LabourAbility = text_choices(codes.LABOUR_ABILITY)

gives the class an app's models and forms use (``LabourAbility.ORDINARY``, ``.choices`` with
lazily translated labels). It is built once per list, so every app that asks gets the same
class, and ``code_list_of`` finds the list a class was made from (the consistency test uses it).
"""

from __future__ import annotations

import sys

from django.db import models
from django.utils.translation import gettext_lazy

from bangfu.codes import CodeList

_BUILT: dict[int, tuple[CodeList, type[models.TextChoices]]] = {}


def text_choices(codes: CodeList) -> type[models.TextChoices]:
    """The TextChoices class of ``codes``, named after the list, living in the caller's module."""
    built = _BUILT.get(id(codes))
    if built is None:
        module = sys._getframe(1).f_globals.get("__name__", __name__)
        cls = models.TextChoices(
            codes.name, [(c.name, (c.value, gettext_lazy(c.label))) for c in codes],
            module=module, qualname=codes.name,
        )
        built = _BUILT[id(codes)] = (codes, cls)
    return built[1]


def code_list_of(choices: type[models.Choices]) -> CodeList | None:
    """The code list ``choices`` was made from, or None for a class written by hand."""
    for codes, cls in _BUILT.values():
        if cls is choices:
            return codes
    return None
