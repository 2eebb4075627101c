"""Finding the importers: every ``bangfu.<app>.importers`` module offers an ``IMPORTERS`` dict."""

from __future__ import annotations

import importlib
from functools import lru_cache

from django.apps import apps

from bangfu.core.imports.spec import Importer


@lru_cache(maxsize=1)
def discover_importers() -> dict[str, Importer]:
    """kind -> importer, from each installed bangfu app's ``importers`` module, in app order."""
    found: dict[str, Importer] = {}
    for app in apps.get_app_configs():
        if not app.name.startswith("bangfu."):
            continue
        module_name = f"{app.name}.importers"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # the app has no importers; an error inside one is real
                continue
            raise
        for kind, importer in getattr(module, "IMPORTERS", {}).items():
            if kind in found:
                raise RuntimeError(f"import kind {kind!r} is offered by two apps")
            found[kind] = importer
    return found


def get_importer(kind: str) -> Importer | None:
    return discover_importers().get(kind)
