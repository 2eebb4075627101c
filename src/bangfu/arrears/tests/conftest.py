import pytest

from bangfu.arrears.importers import IMPORTERS, example_path
from bangfu.arrears.outbox import MemoryBackend
from bangfu.core.imports import run_import


@pytest.fixture
def offices(db):
    """The example set of 26 out-of-town offices, imported as an operator would."""
    result = run_import(IMPORTERS["offices"], example_path(), actor="test", filename="offices_example.csv")
    assert result.committed and not result.errors, result.errors
    return result


@pytest.fixture
def outbox(settings):
    """Messages to workers land in a list (after commit; use django_capture_on_commit_callbacks)."""
    settings.BANGFU = {**settings.BANGFU, "ARREARS_OUTBOX_BACKEND": "bangfu.arrears.outbox.MemoryBackend"}
    MemoryBackend.sent = []
    yield MemoryBackend.sent
    MemoryBackend.sent = []


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files written by tests go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
