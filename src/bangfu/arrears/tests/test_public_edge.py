"""Issue 9, finding 5: the public desk's doors refuse from the headers, and count in the database.

A body over the cap is refused 413 from its Content-Length and a request over a door's limit
429, both before anything reads the body (proved with a WSGI input that fails if read). The
counters live in the database cache: two processes share them, a restart keeps them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

MB = 1024 * 1024


def test_a_200_mb_complaint_is_refused_413_from_its_header_without_reading_the_body(raw_wsgi):
    code, content_type, body = raw_wsgi(reverse("arrears:complaint"), length=200 * MB)
    assert code == 413
    assert "提交的内容超过" in body and "MB" in body and content_type.startswith("text/plain")


def test_a_200_mb_api_complaint_is_refused_413_in_json(raw_wsgi):
    code, content_type, body = raw_wsgi("/api/v1/arrears/public/complaints", length=200 * MB,
                                    content_type="application/json")
    assert (code, content_type) == (413, "application/json")
    assert "提交的内容超过" in json.loads(body)["detail"]


def test_a_public_door_has_its_own_smaller_cap(raw_wsgi, settings):
    # Five evidence files of 5 MB and the form: 26 MB, far below the 42 MB of staff imports.
    assert settings.BANGFU["MAX_BODY_BYTES"] > 30 * MB
    code, _, body = raw_wsgi(reverse("arrears:complaint"), length=30 * MB)
    assert code == 413 and "26 MB" in body
    code, _, _ = raw_wsgi(reverse("arrears:status"), length=MB)
    assert code == 413


def test_over_the_limit_a_door_answers_429_before_reading_the_body(raw_wsgi, settings):
    settings.BANGFU = {**settings.BANGFU, "ARREARS_RATE_LIMITS": {"complaint_ip": (1, 3600)}}
    first = Client(REMOTE_ADDR="10.8.0.2").post(reverse("arrears:complaint"), {"agree": ""})
    assert first.status_code == 200  # counted (an invalid form, shown again)
    code, _, body = raw_wsgi(reverse("arrears:complaint"), length=1000, address="10.8.0.2")
    assert code == 429 and "提交过于频繁" in body
    code, _, body = raw_wsgi("/api/v1/arrears/public/complaints", length=100, address="10.8.0.2",
                         content_type="application/json")
    assert code == 429 and "提交过于频繁" in json.loads(body)["detail"]  # one counter for both doors


def test_the_counters_are_rows_of_the_database_cache_table(db):
    assert "bangfu_cache" in connection.introspection.table_names()  # made by `migrate`
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bangfu_cache")
        before = cursor.fetchone()[0]
        Client(REMOTE_ADDR="10.8.0.3").post(reverse("arrears:status"), {"number": "QX202601010001", "phone": "1"})
        cursor.execute("SELECT COUNT(*) FROM bangfu_cache")
        assert cursor.fetchone()[0] > before


# ---------------------------------------------------------------- two processes, one restart
LOOKUPS = r"""
import json, os
from bangfu.testing.races import child_django
with child_django({"NAME": os.environ["EDGE_DB"]}):
    from django.conf import settings
    settings.BANGFU["ARREARS_RATE_LIMITS"] = {"status_ip": (int(os.environ["EDGE_LIMIT"]), 3600),
                                              "status_miss_ip": (10_000, 3600)}
    from django.test import Client
    from django.urls import reverse
    client = Client(REMOTE_ADDR="10.7.7.7")
    codes = [client.post(reverse("arrears:status"), {"number": "QX202601010001", "phone": "13900000000"}).status_code
             for _ in range(int(os.environ["EDGE_REQUESTS"]))]
print(json.dumps(codes))
"""


def _lookups(requests: int, limit: int) -> subprocess.Popen:
    env = {**os.environ, "EDGE_DB": str(connection.settings_dict["NAME"]), "EDGE_LIMIT": str(limit),
           "EDGE_REQUESTS": str(requests)}
    return subprocess.Popen([sys.executable, "-c", LOOKUPS], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _codes(process: subprocess.Popen) -> list[int]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_two_processes_and_a_restart():
    # Two web processes at once, one address, 5 look-ups each against a limit of 6.
    first, second = _lookups(5, 6), _lookups(5, 6)
    codes = _codes(first) + _codes(second)
    assert sum(code != 429 for code in codes) == 6 and codes.count(429) == 4
    # Both processes gone; a new one starts: the address is still over its limit.
    assert _codes(_lookups(1, 6)) == [429]
