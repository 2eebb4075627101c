"""参数设置 editable on the page: validated (amounts in 元, ranges, no 1e9), audited, read by the apps."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from bangfu.core import parameters
from bangfu.core.models import AuditLog, ParameterOverride

pytestmark = pytest.mark.django_db

FENGDU = "500230"


@pytest.fixture(autouse=True)
def fresh_overrides():
    parameters.forget()
    yield
    parameters.forget()


def _edit(client, key, value):
    return client.post(reverse("core:parameter_edit", args=[key]), {"value": value})


def test_the_page_lists_amounts_in_yuan_and_the_administrator_changes_a_push_cap(client, make_user):
    from bangfu.jobs.services.push import push_caps

    client.force_login(make_user())
    page = client.get(reverse("core:parameters")).content.decode()
    assert "POSTS_MIN_MONTHLY_WAGE_FEN" in page and "default = 2000" in page
    assert reverse("core:parameter_edit", args=["PUSH_PER_WORKER_PER_WEEK"]) in page
    assert reverse("core:parameter_edit", args=["ENGINE"]) not in page
    before = push_caps()[0]
    assert _edit(client, "PUSH_PER_WORKER_PER_WEEK", str(before + 2)).status_code == 302
    assert push_caps()[0] == before + 2
    row = AuditLog.objects.get(action="parameter.update")
    assert row.detail == {"key": "PUSH_PER_WORKER_PER_WEEK", "old": before, "new": before + 2}


def test_a_wage_standard_entered_in_yuan_is_stored_in_fen_and_read_by_the_posts(client, make_user):
    from bangfu.posts.params import by_district

    client.force_login(make_user())
    response = _edit(client, "POSTS_MIN_MONTHLY_WAGE_FEN", "default = 2100\n丰都县 = 2050.50")
    assert response.status_code == 302, response.content.decode()
    assert ParameterOverride.objects.get(key="POSTS_MIN_MONTHLY_WAGE_FEN").value == {
        "default": 210_000, FENGDU: 205_050}
    assert by_district("POSTS_MIN_MONTHLY_WAGE_FEN", FENGDU) == 205_050
    assert by_district("POSTS_MIN_MONTHLY_WAGE_FEN", "500101") == 210_000
    detail = AuditLog.objects.get(action="parameter.update").detail
    assert detail["old"] == "default = 2000 元" and "2050.50" in detail["new"]
    audit_page = client.get(reverse("core:audit_log")).content.decode()
    assert "修改参数" in audit_page and "2050.50" in audit_page


@pytest.mark.parametrize("value, reason", [
    ("1e9", "科学计数法"), ("99999999999999999999", "之间"), ("-5", "之间"), ("abc", "不是有效的数值"),
    ("3.5", "整数"), ("", "")])
def test_bad_values_are_refused_with_a_reason_and_nothing_changes(client, make_user, value, reason):
    client.force_login(make_user())
    response = _edit(client, "PUSH_PER_WORKER_PER_WEEK", value)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not ParameterOverride.objects.exists() and not AuditLog.objects.filter(action="parameter.update").exists()


@pytest.mark.parametrize("value, reason", [
    ("default = 1e9", "科学计数法"), ("default = 2000.001", "两位小数"), ("default = 999999999", "之间"),
    ("丰都县 = 2000", "default"), ("火星 = 2000\ndefault = 2000", "不是区县"), ("default 2000", "区县代码 = 金额")])
def test_bad_amounts_are_refused(client, make_user, value, reason):
    client.force_login(make_user())
    response = _edit(client, "POSTS_MIN_MONTHLY_WAGE_FEN", value)
    assert response.status_code == 200 and reason in response.content.decode()
    assert not ParameterOverride.objects.exists()


def test_reset_goes_back_to_the_settings_and_is_audited(client, make_user):
    client.force_login(make_user())
    _edit(client, "MONTH_CLOSE_DEADLINE_DAY", "15")
    from bangfu.monitoring.completeness import deadline_day

    assert deadline_day() == 15
    with override_settings(BANGFU={"MONTH_CLOSE_DEADLINE_DAY": 12}):
        client.post(reverse("core:parameter_edit", args=["MONTH_CLOSE_DEADLINE_DAY"]), {"reset": "1", "value": ""})
        assert deadline_day() == 12
    assert AuditLog.objects.get(action="parameter.reset").detail["old"] == 15


@pytest.mark.parametrize("role, area", [("district_officer", FENGDU), ("auditor", "50"), ("broker", FENGDU)])
def test_only_the_city_administrator_changes_parameters(client, make_user, role, area):
    client.force_login(make_user(role, area))
    assert client.get(reverse("core:parameters")).status_code == 200  # reading stays open
    assert client.get(reverse("core:parameter_edit", args=["PUSH_PER_WORKER_PER_WEEK"])).status_code == 403
    assert _edit(client, "PUSH_PER_WORKER_PER_WEEK", "5").status_code == 403
    assert _edit(client, "PUSH_PER_WORKER_PER_WEEK", "").status_code == 403
    assert not ParameterOverride.objects.exists()


def test_a_district_user_manager_cannot_change_parameters(client, make_user):
    from bangfu.accounts.models import AccessRole

    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage"],
                              data_scope="area", area_level="district")
    client.force_login(make_user("district_admin", FENGDU))
    assert _edit(client, "PUSH_PER_WORKER_PER_WEEK", "5").status_code == 403


def test_operations_settings_are_not_editable(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("core:parameter_edit", args=["ENGINE"])).status_code == 404
    assert _edit(client, "SPARK_MASTER", "spark://evil:7077").status_code == 404
    assert _edit(client, "NOT_A_PARAMETER", "1").status_code == 404


@pytest.mark.parametrize("key, text, read", [
    ("TRAINING_ALLOWANCE_MAX_DAYS", "20", lambda: __import__("bangfu.training.params", fromlist=["param"]).param(
        "TRAINING_ALLOWANCE_MAX_DAYS")),
    ("IMPORT_MAX_ROWS", "1000", lambda: parameters.get("IMPORT_MAX_ROWS")),
    ("EXPORT_BACKGROUND_ROWS", "100", lambda: __import__("bangfu.core.background", fromlist=["x"]).export_rows_threshold()),
])
def test_an_edited_parameter_is_what_its_readers_read(make_user, key, text, read):
    """A value saved on 参数设置 (and audited) must change what the code does, not only the page."""
    if key not in parameters.declared():
        pytest.skip(f"{key} is not declared")
    parameters.parameter_set(key=key, text=text, actor=make_user())
    assert int(read()) == int(text)


def test_a_change_rolled_back_is_never_served_from_the_cache(make_user):
    from django.db import transaction

    admin = make_user()
    before = parameters.get("PUSH_PER_WORKER_PER_WEEK", 3)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        parameters.parameter_set(key="PUSH_PER_WORKER_PER_WEEK", text=str(before + 5), actor=admin)
        assert parameters.get("PUSH_PER_WORKER_PER_WEEK") == before + 5  # seen inside its transaction
        raise Undo
    assert parameters.get("PUSH_PER_WORKER_PER_WEEK", 3) == before
