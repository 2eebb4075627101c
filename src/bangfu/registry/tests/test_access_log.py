"""A search by ID number or phone leaves neither in a real server's access log.

A web server (Django's runserver, and gunicorn when installed) runs in its own process on a
migrated SQLite database; an officer logs in through the login page and searches by full ID
number and by phone on the person list and through the API. The access log must show those
requests (so it does record query strings) without either value.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests
from lxml import html as lxml_html

PYTHON = sys.executable
SETUP = textwrap.dedent("""
    import django
    django.setup()
    from bangfu.accounts.tests.factories import TEST_PASSWORD, UserFactory
    from bangfu.accounts.tokens import token_create
    from bangfu.registry.tests.factories import PersonFactory

    officer = UserFactory(role="district_officer", area_code="500230", username="logtest")
    person = PersonFactory(name="日志测试", phone="13987654321")
    print(person.id_number, person.phone, person.household.number, TEST_PASSWORD,
          token_create(user=officer, name="log"))
""")


def _env(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BANGFU_PII_KEY", "BANGFU_SECRET_KEY")}
    env.update(BANGFU_VAR=str(var), DJANGO_SETTINGS_MODULE="bangfu.settings", PYTHONUNBUFFERED="1")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated database with one officer (and API token) and one person."""
    var = tmp_path_factory.mktemp("bangfu-log-var")
    subprocess.run([PYTHON, "-m", "bangfu.cli", "migrate", "-v", "0"], env=_env(var), check=True, timeout=300)
    done = subprocess.run([PYTHON, "-c", SETUP], env=_env(var), check=True, capture_output=True, text=True,
                          timeout=120)
    id_number, phone, household, password, token = done.stdout.split()
    return {"var": var, "id_number": id_number, "phone": phone, "household": household,
            "password": password, "token": token}


def _server_command(kind: str, port: int, log: Path) -> list[str]:
    if kind == "gunicorn":
        return [PYTHON, "-m", "gunicorn", "bangfu.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                "--access-logfile", str(log)]
    return [PYTHON, "-m", "bangfu.cli", "runserver", f"127.0.0.1:{port}", "--noreload"]


@pytest.fixture(params=["runserver", "gunicorn"])
def server(request, site, tmp_path):
    """A server in its own process; yields its base URL and the path of its access log."""
    if request.param == "gunicorn" and importlib.util.find_spec("gunicorn") is None:
        pytest.skip("gunicorn is not installed")
    var = tmp_path / "var"
    shutil.copytree(site["var"], var)
    port, log = _free_port(), tmp_path / "access.log"
    with open(tmp_path / "stderr.log", "wb") as stderr:
        proc = subprocess.Popen(_server_command(request.param, port, log), env=_env(var),
                                stdout=stderr, stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # a minute or so for the server to answer
            try:
                requests.get(base + "/accounts/login/", timeout=30)
                break
            except requests.RequestException:
                if proc.poll() is not None:
                    pytest.fail((tmp_path / "stderr.log").read_text())
                time.sleep(0.2)
        yield base, (log if request.param == "gunicorn" else tmp_path / "stderr.log")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _login(base: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/accounts/login/", timeout=10)
    response = session.post(base + "/accounts/login/", timeout=10, data={
        "username": "logtest", "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert response.ok and "/accounts/login/" not in response.url, response.text[:500]
    return session


def _submit_search_form(session: requests.Session, base: str, value: str) -> requests.Response:
    """Type ``value`` into the person list's search box and submit the form as a browser does."""
    page = session.get(base + "/registry/persons/", timeout=10)
    form = lxml_html.fromstring(page.text).xpath("//form[contains(@class, 'filters')]")[0]
    fields = {i.get("name"): i.get("value") or "" for i in form.iter("input") if i.get("name")}
    fields["q"] = value
    action = base + (form.get("action") or "/registry/persons/")
    if (form.get("method") or "get").lower() == "post":
        return session.post(action, data=fields, timeout=10)
    return session.get(action, params=fields, timeout=10)


def _log_once_it_holds(log: Path, last: str) -> str:
    """The log once its last expected line is in (a server writes it after the response)."""
    for _ in range(100):
        text = log.read_text() if log.exists() else ""
        if last in text:
            return text
        time.sleep(0.1)
    return text


def test_searching_by_id_number_or_phone_leaves_neither_in_the_access_log(site, server):
    base, log = server
    session = _login(base, site["password"])
    pages, exports, answers = [], [], []
    for value in (site["id_number"], site["phone"]):
        pages.append(_submit_search_form(session, base, value))
        query = pages[-1].url.split("?", 1)[-1]
        exports.append(session.get(base + "/registry/persons/export/?" + query, timeout=30))
    api = {"Authorization": f"Token {site['token']}"}
    for body in ({"id_number": site["id_number"]}, {"phone": site["phone"]}):
        answers.append(requests.post(base + "/api/v1/registry/persons/search", json=body, headers=api, timeout=10))
    # the control: a search by household number is a query string, and the log keeps it
    session.get(base + "/registry/persons/?q=" + site["household"], timeout=10)

    text = _log_once_it_holds(log, "q=" + site["household"])
    assert "q=" + site["household"] in text
    assert site["id_number"] not in text and site["phone"] not in text
    assert "POST /registry/persons/" in text and "POST /api/v1/registry/persons/search" in text
    assert re.search(r"GET /registry/persons/\?qh=[0-9a-f]{64}", text)
    # and the searches found the person
    for page in pages:
        assert page.ok and "日志测试" in page.text and "qh=" in page.url
    for export in exports:
        assert export.ok and export.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    for answer in answers:
        assert answer.status_code == 200 and [p["name"] for p in answer.json()] == ["日志测试"]
