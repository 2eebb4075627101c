"""Finding the importers: every ``bangfu.<app>.importers`` module offers an ``IMPORTERS`` dict
(found by ``bangfu.core.hooks``; an import kind offered by two apps is an error)."""

from __future__ import annotations

from bangfu.core.hooks import IMPORTERS
from bangfu.core.imports.spec import Importer


def discover_importers() -> dict[str, Importer]:
    """kind -> importer, from each installed bangfu app's ``importers`` module, in app order."""
    return IMPORTERS.mapping()


def get_importer(kind: str) -> Importer | None:
    return discover_importers().get(kind)
