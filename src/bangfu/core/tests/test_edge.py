"""The public edge (bangfu.core.edge) and the shared cache (bangfu.core.cache).

A body over MAX_BODY_BYTES is refused 413 from its Content-Length, whatever the URL, before
anything reads it; the cache counts atomically and keeps each counter's expiry.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from bangfu.core.edge import client_ip

MB = 1024 * 1024


def test_any_url_is_capped_at_max_body_bytes(raw_wsgi, settings):
    settings.BANGFU = {**settings.BANGFU, "MAX_BODY_BYTES": 2 * MB}
    code, _, body = raw_wsgi(reverse("accounts:login"), length=2 * MB + 1)
    assert code == 413 and "2 MB" in body


def test_incr_keeps_the_entry_s_expiry_and_refuses_a_missing_or_expired_key(db):
    def expires(key):
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM bangfu_cache WHERE cache_key = %s", [cache.make_key(key)])
            return cursor.fetchone()[0]

    assert cache.add("edge:day", 1, timeout=86400)
    kept = expires("edge:day")
    assert (cache.incr("edge:day"), cache.incr("edge:day", 5)) == (2, 7)
    assert expires("edge:day") == kept and cache.get("edge:day") == 7
    with pytest.raises(ValueError):
        cache.incr("edge:missing")
    cache.set("edge:old", 1, timeout=-1)  # already expired
    with pytest.raises(ValueError):
        cache.incr("edge:old")


def test_the_client_address_is_the_socket_s_unless_a_proxy_header_is_configured(settings):
    factory = RequestFactory()
    request = factory.post("/", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="1.2.3.4")
    assert client_ip(request) == "10.0.0.9"
    settings.BANGFU = {**settings.BANGFU, "TRUSTED_PROXY_HEADER": "HTTP_X_REAL_IP"}
    assert client_ip(request) == "1.2.3.4"
    assert client_ip(factory.post("/", REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="not-an-ip")) == "10.0.0.9"
    assert client_ip(factory.post("/", REMOTE_ADDR="")) == "0.0.0.0"


