"""Pages that show what other apps contribute, without importing those apps by name.

An app adds a module ``bangfu/<app>/panels.py`` with any of these functions:

* ``home_stats(*, request) -> list[dict]`` — figures on the home page, each
  ``{"label": "务工规模", "value": "81.2万", "unit": "人", "foot": "2024年9月", "order": 20}``;
* ``person_panel(*, request, person) -> dict | None`` — a card on the person page,
  ``{"title": "务工情况", "template": "monitoring/_person_panel.html", "context": {...}, "order": 50}``
  (the template is included with ``panel`` in its context: read ``panel.context.<name>``).

Return an empty list / ``None`` to show nothing (no data, or the user may not see it).
Every function must restrict its reads to ``request.user`` like any selector.
Found by ``bangfu.core.hooks`` like every other contribution.
"""

from __future__ import annotations

from bangfu.core.hooks import HOME_STATS, PERSON_PANELS, FunctionHook

PANEL_HOOKS = {hook.name: hook for hook in (HOME_STATS, PERSON_PANELS)}


def collect(hook: str, **kwargs) -> list[dict]:
    """Call ``hook`` of every app's panels module; flatten, drop empties, sort by ``order``."""
    return PANEL_HOOKS.get(hook, FunctionHook(hook, module="panels")).call(**kwargs)
