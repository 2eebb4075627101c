import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.core.models import AuditLog

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_renders_in_chinese(client):
    html = client.get(LOGIN).content.decode()
    assert "用户名" in html and "密码" in html


def test_good_password_logs_in_and_writes_an_audit_row(client, make_user, test_password):
    user = make_user(role="district_officer", area_code="500230")
    response = login(client, user.username, test_password)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditLog.objects.filter(action="user.login", actor=user).count() == 1


def test_wrong_password_shows_a_chinese_error(client, make_user):
    user = make_user()
    html = login(client, user.username, "wrong-password").content.decode()
    assert "用户名或密码错误" in html


def test_five_failures_lock_the_account_even_for_the_right_password(client, make_user, test_password):
    user = make_user()
    for _ in range(4):
        assert login(client, user.username, "wrong-password").status_code == 200
    locked = login(client, user.username, "wrong-password")
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    after = login(client, user.username, test_password)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, make_user, test_password):
    user = make_user()
    for _ in range(4):
        login(client, user.username, "wrong-password")
    assert login(client, user.username, test_password).status_code == 302


def test_password_change_needs_the_old_password_and_is_audited(client, make_user, test_password):
    user = make_user()
    client.force_login(user)
    bad = client.post(reverse("accounts:password_change"), {
        "old_password": "not-it", "new_password1": "Chongqing-2025!", "new_password2": "Chongqing-2025!"})
    assert bad.status_code == 200
    user.refresh_from_db()
    assert user.check_password(test_password)
    ok = client.post(reverse("accounts:password_change"), {
        "old_password": test_password, "new_password1": "Chongqing-2025!",
        "new_password2": "Chongqing-2025!"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Chongqing-2025!")
    assert AuditLog.objects.filter(action="user.password_change", actor=user).exists()
    # the session survives the change
    assert client.get(reverse("home")).status_code == 200


def test_password_change_rejects_a_weak_password(client, make_user, test_password):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": test_password, "new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(test_password)


def test_logout_is_a_post(client, make_user):
    client.force_login(make_user())
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_login_log_lists_successes_and_failures_for_auditors(client, make_user, test_password):
    officer = make_user(role="district_officer", area_code="500230")
    login(client, officer.username, "wrong-password")
    login(client, officer.username, test_password)
    client.post(reverse("accounts:logout"))
    client.force_login(make_user(role="auditor", area_code="50"))
    html = client.get(reverse("core:login_log"), {"actor": officer.username}).content.decode()
    assert html.count(officer.username) >= 2
    assert "成功" in html and "失败" in html
    failures = client.get(reverse("core:login_log"), {"result": "failure"}).content.decode()
    assert 'class="tag green"' not in failures


def test_login_log_of_a_district_auditor_shows_only_its_accounts(client, make_user, test_password):
    mine = make_user(role="district_officer", area_code="500230", username="fengdu_officer")
    other = make_user(role="district_officer", area_code="500101", username="wanzhou_officer")
    login(client, mine.username, "wrong")
    login(client, other.username, "wrong")
    client.force_login(make_user(role="auditor", area_code="500230"))
    html = client.get(reverse("core:login_log")).content.decode()
    assert "fengdu_officer" in html and "wanzhou_officer" not in html


def test_login_log_export_is_an_xlsx_and_is_audited(client, make_user):
    officer = make_user()
    login(client, officer.username, "wrong")
    auditor = make_user(role="auditor")
    client.force_login(auditor)
    response = client.get(reverse("core:login_log_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "账号", "结果")
    assert (officer.username, "失败") in [(r[1], r[2]) for r in rows[1:]]
    assert AuditLog.objects.filter(action="login_log.export", actor=auditor).exists()


def test_login_log_is_403_without_the_audit_capability(client, make_user):
    client.force_login(make_user(role="district_officer", area_code="500230"))
    assert client.get(reverse("core:login_log")).status_code == 403
