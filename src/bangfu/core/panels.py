"""Pages that show what other apps contribute, without importing those apps by name.

An app adds a module ``bangfu/<app>/panels.py`` with any of these functions:

* ``home_stats(*, request) -> list[dict]`` — figures on the home page, each
  ``{"label": "务工规模", "value": "81.2万", "unit": "人", "foot": "2024年9月", "order": 20}``;
* ``person_panel(*, request, person) -> dict | None`` — a card on the person page,
  ``{"title": "务工情况", "template": "monitoring/_person_panel.html", "context": {...}, "order": 50}``
  (the template is included with ``panel`` in its context: read ``panel.context.<name>``).

Return an empty list / ``None`` to show nothing (no data, or the user may not see it).
Every function must restrict its reads to ``request.user`` like any selector.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps


def _panel_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu."):
            continue
        name = f"{config.name}.panels"
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but imports something missing: a real bug
                raise
    return modules


def collect(hook: str, **kwargs) -> list[dict]:
    """Call ``hook`` of every app's panels module; flatten, drop empties, sort by ``order``."""
    found: list[dict] = []
    for module in _panel_modules():
        build = getattr(module, hook, None)
        if build is None:
            continue
        result = build(**kwargs)
        if not result:
            continue
        found.extend(result if isinstance(result, list) else [result])
    return sorted(found, key=lambda p: p.get("order", 50))
