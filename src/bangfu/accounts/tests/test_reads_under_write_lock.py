"""Issue 9, finding 4: API reads answer while another process holds the write lock for 10 s.

A second OS process opens the same database and holds a write transaction (SQLite:
``BEGIN IMMEDIATE`` and an insert; PostgreSQL: the token's row locked ``FOR UPDATE``, the
person updated, an insert) for 10 seconds. Meanwhile the live server answers the person
list and a person detail, with a token (whose last use is due to be recorded) and with a
session: every answer must be 200, show the committed rows only, and come within 1 s (the
one latency bound in the suite; the issue asks for it; a read that misses it is asked again at
once, still under the lock, and must then make it: a blocked read cannot, a read that only lost
the CPU on a busy machine can). On SQLite, ``bangfu token create``
started during the hold must retry and succeed once the writer commits.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import requests
from django.db import connection

from bangfu.accounts.models import ApiToken
from bangfu.accounts.tokens import token_create, user_for_token
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

HOLD_SECONDS = 10.0
READ_BOUND_SECONDS = 1.0
HELD_NAME = "未提交"
PERSONS = "/api/v1/registry/persons"

# Both writers copy the first person (a new row the readers must not see until the commit).
SQLITE_WRITER = r"""
import sqlite3, sys, time
path, hold, held_name = sys.argv[1], float(sys.argv[2]), sys.argv[3]
con = sqlite3.connect(path, isolation_level=None, timeout=0)
con.execute("BEGIN IMMEDIATE")
cols = [row[1] for row in con.execute("PRAGMA table_info(registry_person)") if row[1] != "id"]
exprs = ["?" if c == "name" else "'held' || substr(id_number_hash, 5)" if c == "id_number_hash" else c for c in cols]
con.execute(f"INSERT INTO registry_person ({', '.join(cols)}) SELECT {', '.join(exprs)} "
            "FROM registry_person ORDER BY id LIMIT 1", [held_name])
print("locked", flush=True)
time.sleep(hold)
sys.stdin.readline()  # and until the test lets go (closes stdin): a slow machine is given time
con.execute("COMMIT")
print("committed", flush=True)
"""

PG_WRITER = r"""
import sys, time
import psycopg
url, hold, held_name, token_id, person_id = sys.argv[1], float(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
with psycopg.connect(url) as conn:
    conn.execute("SELECT id FROM accounts_apitoken WHERE id = %s FOR UPDATE", [token_id])
    conn.execute("UPDATE registry_person SET name = %s WHERE id = %s", [held_name, person_id])
    cols = [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'registry_person' "
        "AND column_name <> 'id' ORDER BY ordinal_position")]
    exprs = ["%s" if c == "name" else "'held' || substr(id_number_hash, 5)" if c == "id_number_hash" else c for c in cols]
    conn.execute(f"INSERT INTO registry_person ({', '.join(cols)}) SELECT {', '.join(exprs)} "
                 "FROM registry_person WHERE id = %s", [held_name, person_id])
    print("locked", flush=True)
    time.sleep(hold)
    conn.commit()
print("committed", flush=True)
"""


@pytest.fixture
def world(live_url, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    people = [PersonFactory(name=f"丰都{i}") for i in range(3)]
    PersonFactory(name="万州", district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)  # outside the area
    key = token_create(user=officer, name="lock test")
    session = _session_cookie(officer)
    return {"url": live_url, "officer": officer, "people": people, "key": key, "session": session}


def _session_cookie(user) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


def _reads(world) -> list[tuple[str, dict, dict]]:
    """(path, headers, cookies) of the four reads: list and detail, by token and by session."""
    first = world["people"][0]
    token = {"Authorization": f"Token {world['key']}"}
    return [
        (PERSONS, token, {}),
        (f"{PERSONS}/{first.pk}", token, {}),
        (PERSONS, {}, world["session"]),
        (f"{PERSONS}/{first.pk}", {}, world["session"]),
    ]


def _check(response, path: str, world) -> None:
    """Exactly the committed rows: the three 丰都 persons, the first one by its committed name."""
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    body = response.json()
    if path == PERSONS:
        assert body["count"] == 3
        assert sorted(p["name"] for p in body["items"]) == ["丰都0", "丰都1", "丰都2"]
    else:
        assert body["id"] == world["people"][0].pk and body["name"] == "丰都0"
        assert body["township_code"] == FENGDU_TOWNSHIP


def _start_writer(world) -> subprocess.Popen:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        args = [SQLITE_WRITER, settings_dict["NAME"], str(HOLD_SECONDS), HELD_NAME]
    else:
        token = ApiToken.objects.get(user=world["officer"])
        args = [PG_WRITER, _pg_url(settings_dict), str(HOLD_SECONDS), HELD_NAME,
                str(token.pk), str(world["people"][0].pk)]
    writer = subprocess.Popen([sys.executable, "-c", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "locked", writer.stderr.read()
    return writer


def _pg_url(settings_dict) -> str:
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    return f"postgresql://{auth}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def _lock_still_held(world) -> bool:
    """Probe from a third connection, without waiting: is the writer's lock really held?"""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        finally:
            probe.close()
        return False
    import psycopg

    with psycopg.connect(_pg_url(connection.settings_dict)) as probe:
        try:
            probe.execute("SELECT id FROM accounts_apitoken WHERE user_id = %s FOR UPDATE NOWAIT",
                          [world["officer"].pk])
        except psycopg.errors.LockNotAvailable:
            return True
    return False


def _read_while_held(world, writer) -> None:
    """Run the four reads in rounds for most of the hold: each 200, right and within the bound."""
    reads = slow = 0
    started = time.monotonic()
    while time.monotonic() - started < HOLD_SECONDS - 3:
        for path, headers, cookies in _reads(world):
            seconds, response = _timed_get(world, path, headers, cookies)
            if seconds >= READ_BOUND_SECONDS:
                # make test shares two cores among four pytest processes: a read may miss its
                # turn. A read the lock blocks is slow again at once (the lock is still held); one
                # that merely missed the CPU is not, and that may happen once or twice, no more.
                slow += 1
                seconds, response = _timed_get(world, path, headers, cookies)
                assert seconds < READ_BOUND_SECONDS, f"{path} took {seconds:.1f} s under the lock, twice"
            _check(response, path, world)
            reads += 1
        time.sleep(0.2)
    assert reads >= 8 and slow <= 2, (reads, slow)
    assert writer.poll() is None and _lock_still_held(world), "the writer let go before the reads ended"


def _timed_get(world, path, headers, cookies):
    begin = time.perf_counter()
    response = requests.get(world["url"] + path, headers=headers, cookies=cookies, timeout=30)
    return time.perf_counter() - begin, response


def _warm_up(world) -> None:
    """First requests import the URLconf and build the schemas: not what is being measured."""
    for path, headers, cookies in _reads(world):
        _check(requests.get(world["url"] + path, headers=headers, cookies=cookies, timeout=30), path, world)
    # The token's last use is due again, so every read under the lock has to try to record it.
    ApiToken.objects.update(last_used_at=None)


def _line_with(stream, text: str, *, timeout: float) -> str:
    """Lines read from ``stream`` up to the first holding ``text`` (or its end, or ``timeout``)."""
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        for line in stream:
            lines.append(line)
            if text in line:
                break
        found.set()

    threading.Thread(target=read, daemon=True).start()
    found.wait(timeout)
    return "".join(lines)


def _release(writer) -> None:
    """Let the writer go (close its stdin) and wait for its commit."""
    out, err = writer.communicate(timeout=HOLD_SECONDS + 30)
    assert writer.returncode == 0 and out.strip() == "committed", err


def _after_commit(world) -> None:
    token = {"Authorization": f"Token {world['key']}"}
    body = requests.get(world["url"] + PERSONS, headers=token, timeout=30).json()
    assert body["count"] == 4 and HELD_NAME in {p["name"] for p in body["items"]}
    # The writer is gone: the use that was skipped under the lock is recorded now.
    assert ApiToken.objects.get(name="lock test").last_used_at is not None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite write lock; see the postgres variant")
def test_api_reads_answer_within_a_second_while_another_process_holds_the_write_lock(world):
    _warm_up(world)
    writer = _start_writer(world)
    # `bangfu token create` under the same lock, with a short busy timeout so it must retry.
    env = os.environ | {"DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
                        "BANGFU_SQLITE_BUSY_TIMEOUT_MS": "300"}
    cli = subprocess.Popen([sys.executable, "-m", "bangfu.cli", "token", "create",
                            world["officer"].username, "--name", "cli under lock"],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _read_while_held(world, writer)
        assert cli.poll() is None, "token create finished while the writer held the lock"
        # the SQLite writer holds on until its stdin closes: on a loaded machine the command may
        # take longer than the hold to start; it must have met the lock before the writer lets go
        first = _line_with(cli.stderr, "retrying", timeout=120)
        _release(writer)
        # token create takes the lock next; a touch tried meanwhile is skipped by design (no wait),
        # so the read that must record the use comes after the command is done
        key, err = cli.communicate(timeout=60)
        err = first + err
        _after_commit(world)
    finally:
        for process in (writer, cli):
            if process.poll() is None:
                process.kill()
    assert cli.returncode == 0, err
    assert "retrying" in err
    assert user_for_token(key.strip()) == world["officer"]


@pytest.mark.postgres
def test_api_reads_answer_within_a_second_while_another_process_holds_the_token_row(world):
    _warm_up(world)
    writer = _start_writer(world)
    try:
        _read_while_held(world, writer)
        _release(writer)
        _after_commit(world)
    finally:
        if writer.poll() is None:
            writer.kill()
