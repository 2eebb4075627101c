"""The actor and the one capability gate (core.actors): every kind of actor, the audit row it
leaves, the 403 page and the API's 403 JSON, and the source rules that keep it the only gate."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

import bangfu
from bangfu.accounts import choices as account_choices
from bangfu.accounts.tokens import token_create
from bangfu.core.actors import PUBLIC, SCHEDULER, SYSTEM, Actor, Forbidden, actor_label, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.models import AuditLog

PACKAGE = Path(bangfu.__file__).parent


# ---------------------------------------------------------------------------- the gate


@pytest.mark.django_db
def test_a_user_passes_the_gate_only_for_the_capabilities_of_their_role(make_user):
    officer = make_user("district_officer", "500230")
    require(officer, Capability.APPROVE_PAYMENTS)
    with pytest.raises(Forbidden) as refused:
        require(officer, Capability.MANAGE_USERS)
    assert "管理用户" in refused.value.message


@pytest.mark.django_db
def test_an_inactive_user_passes_no_gate(make_user):
    admin = make_user("city_admin", "50", is_active=False)
    with pytest.raises(Forbidden):
        require(admin, Capability.VIEW_AUDIT)


def test_the_system_actor_passes_only_for_its_explicit_capabilities():
    require(SYSTEM, Capability.IMPORT_REGISTRY)
    require(SYSTEM, Capability.MANAGE_POLICIES)
    for never in (Capability.VIEW_FULL_PII, Capability.APPROVE_PAYMENTS, Capability.VIEW_AUDIT):
        with pytest.raises(Forbidden):
            require(SYSTEM, never)


def test_the_scheduler_may_fill_kpis_and_escalate_but_not_manage_users():
    require(SCHEDULER, Capability.IMPORT_MONITORING)
    require(SCHEDULER, Capability.HANDLE_ARREARS)
    with pytest.raises(Forbidden):
        require(SCHEDULER, Capability.MANAGE_USERS)


@pytest.mark.parametrize("capability", list(Capability))
def test_the_public_passes_no_gate(capability):
    with pytest.raises(Forbidden):
        require(PUBLIC, capability)


def test_a_refusal_is_a_permission_denied_with_the_given_chinese_message():
    with pytest.raises(PermissionDenied) as refused:
        require(PUBLIC, Capability.HANDLE_ARREARS, "您无权办理该案件")
    assert isinstance(refused.value, Forbidden) and str(refused.value) == "您无权办理该案件"


def test_the_gate_takes_a_capability_not_a_string():
    with pytest.raises(TypeError):
        require(SYSTEM, "registry.import")


@pytest.mark.django_db
def test_users_and_system_actors_answer_the_same_questions(make_user):
    user = make_user("township_officer", "500230100")
    for actor in (user, SYSTEM, SCHEDULER, PUBLIC):
        assert isinstance(actor, Actor)
        assert actor.label and actor.area_code
    assert (SYSTEM.area_code, SCHEDULER.area_code, PUBLIC.area_code) == ("50", "50", "50")
    assert (SYSTEM.pk, PUBLIC.is_authenticated, user.is_authenticated) == (None, False, True)
    assert str(SYSTEM.label) == "系统" and str(PUBLIC.label) == "公众"


def test_accounts_re_exports_the_one_capability_enum():
    assert account_choices.Capability is Capability
    assert all(set(caps) <= set(Capability) for caps in account_choices.ROLE_CAPABILITIES.values())


# ---------------------------------------------------------------------------- audit


@pytest.mark.django_db
def test_the_audit_row_keeps_the_user_or_the_system_actors_name(make_user):
    user = make_user("city_admin", "50")
    by_user = audit_record(actor=user, action="test.user")
    by_system = audit_record(actor=SCHEDULER, action="test.system")
    assert (by_user.actor_id, by_user.actor_name) == (user.pk, user.username)
    assert (by_system.actor_id, by_system.actor_name) == (None, "scheduler")
    assert actor_label(by_system.actor_name) == "定时任务" and actor_label(user.username) == user.username


@pytest.mark.django_db
@pytest.mark.parametrize("stray", [None, "system"])
def test_the_audit_refuses_what_is_not_an_actor(stray):
    with pytest.raises(TypeError):
        audit_record(actor=stray, action="test.stray")
    assert not AuditLog.objects.exists()


# ---------------------------------------------------------------------------- 403 page and JSON


@pytest.mark.django_db
def test_a_refused_page_is_a_chinese_403_inside_the_navigation(client, make_user):
    client.force_login(make_user("district_officer", "500230"))
    response = client.get(reverse("core:audit_log"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "您没有进行此操作的权限：查看操作日志" in page
    assert f'href="{reverse("registry:person_list")}"' in page and "人员花名册" in page  # the side navigation
    assert 'class="sidenav"' in page


@pytest.mark.django_db
def test_a_refused_api_call_is_a_403_with_the_chinese_detail(client, make_user):
    key = token_create(user=make_user("broker", "500230"))
    response = client.post("/api/v1/jobs/postings/1/close", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有进行此操作的权限：管理岗位和推送"}


# ---------------------------------------------------------------------------- source rules


def _services_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.glob("*/services.py")) + sorted(PACKAGE.glob("*/services/*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_services_module_is_found():
    modules = _services_modules()
    assert "bangfu.accounts.services" in modules and "bangfu.payments.services.batches" in modules
    assert len(modules) >= 20


@pytest.mark.parametrize("module_name", _services_modules())
def test_every_service_takes_a_typed_actor(module_name):
    module = importlib.import_module(module_name)
    untyped = []
    for name, func in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or func.__module__ != module_name:
            continue
        parameter = inspect.signature(func).parameters.get("actor")
        if parameter is None:
            continue
        if parameter.annotation not in ("Actor", Actor) or isinstance(parameter.default, str) \
                or parameter.default is None:
            untyped.append(f"{name}(actor: {parameter.annotation}, default {parameter.default!r})")
    assert untyped == []


LITERAL_GATE = re.compile(r"""has_capability\(\s*["']|require\(\s*[\w.]+\s*,\s*["']""")


def test_no_capability_is_checked_by_a_string_literal():
    found = []
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LITERAL_GATE.search(line) and path.name != "test_actors.py":
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []


def test_no_service_probes_its_actor_with_getattr():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and node.args
                    and isinstance(node.args[0], ast.Name) and node.args[0].id == "actor"):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []
