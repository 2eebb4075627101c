import pytest

from bangfu.arrears.importers import IMPORTERS, example_path
from bangfu.core.actors import SYSTEM
from bangfu.core.imports import run_import


@pytest.fixture
def offices(db):
    """The example set of 26 out-of-town offices, imported as an operator would.

    The city and district bureaus come from a data migration; a transactional test elsewhere
    may have flushed them, so they are put back first.
    """
    from bangfu.arrears.builtin import load_builtin_offices
    from bangfu.arrears.models import Office

    if not Office.objects.filter(code="CQ").exists():
        load_builtin_offices(Office)
    result = run_import(IMPORTERS["offices"], example_path(), actor=SYSTEM, filename="offices_example.csv")
    assert result.committed and not result.errors, result.errors
    return result


class _Outbox:
    """The arrears messages queued in the shared outbox, oldest first (read on every access)."""

    def _rows(self):
        from bangfu.outbox.models import OutboxMessage

        return list(OutboxMessage.objects.filter(kind__startswith="arrears.").order_by("id"))

    def __len__(self):
        return len(self._rows())

    def __getitem__(self, index):
        return self._rows()[index]

    def __iter__(self):
        return iter(self._rows())


@pytest.fixture
def outbox(db):
    return _Outbox()


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Rate-limit counters live in the (database) cache: every database test starts with none."""
    names = set(request.fixturenames)
    marked = request.node.get_closest_marker("django_db") is not None
    if not marked and not {"db", "transactional_db"} & names:
        yield
        return
    from django.core.cache import cache

    if not marked:  # set the database up before this autouse fixture uses it
        request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files written by tests go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
