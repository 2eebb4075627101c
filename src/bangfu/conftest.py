"""Shared pytest fixtures: users by role and area; bangfu's WSGI application called raw."""

import os
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from bangfu.accounts.tests.factories import TEST_PASSWORD, UserFactory

# Long work started from a page runs in the request in tests (core.background), so a test sees
# its result at once; tests of the other runners set their own.
os.environ.setdefault("BANGFU_BACKGROUND_RUNNER", "inline")


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


class UnreadableBody:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = readlines = read

    def __iter__(self):
        raise AssertionError("the request body was read")


@pytest.fixture
def raw_wsgi(db):
    """Call bangfu's WSGI application directly with a hand-made environ."""
    handler = WSGIHandler()

    def call(path: str, *, length: int, content_type: str = "multipart/form-data; boundary=x",
             address: str = "10.8.0.1") -> tuple[int, str, str]:
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
            "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": address, "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(length),
            "wsgi.input": UnreadableBody(), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        status = {}

        def start_response(line, headers, exc_info=None):
            status["code"] = int(line.split()[0])
            status["type"] = dict(headers).get("Content-Type", "")

        # As Django's test client does: a request's end must not close the test's transaction.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = b"".join(handler(environ, start_response)).decode()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return status["code"], status["type"], body

    return call


@pytest.fixture(autouse=True)
def _dashboard_cache_emptied():
    """Each process remembers dashboards per fill version; tests write KPI rows directly."""
    yield
    from bangfu.core.pagecache import pages
    from bangfu.monitoring.dashboard import dashboard_cache_clear

    dashboard_cache_clear()
    pages.clear()
