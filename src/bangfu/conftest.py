"""Shared pytest fixtures: users by role and area."""

import pytest

from bangfu.accounts.tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def make_user(db):
    def _make(role: str = "city_admin", area_code: str = "50", **kwargs):
        return UserFactory(role=role, area_code=area_code, **kwargs)

    return _make


@pytest.fixture
def test_password():
    return TEST_PASSWORD


@pytest.fixture(autouse=True)
def django_db_serialized_rollback():
    """Restore the data migrations load (divisions, places, offices) after transactional tests.

    A transactional test ends by flushing every table, reference data included; without
    this, a later test that reads the divisions would pass alone and fail in the full run.
    """
    return True


@pytest.fixture(autouse=True)
def _cache_emptied_after_transactional_tests(request, django_db_blocker):
    """The cache is a database table that the flush after a transactional test leaves alone;
    its entries (rate-limit counters, cached counts) must not reach the next test."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or (
        {"transactional_db", "live_server"} & set(request.fixturenames))
    if transactional:
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()
