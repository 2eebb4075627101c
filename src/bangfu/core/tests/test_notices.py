"""通知公告: written by the administrators, shown on the home page while they run, to their area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import AccessRole
from bangfu.core.models import AuditLog, Notice
from bangfu.core.scoping import DataScope

pytestmark = pytest.mark.django_db

FENGDU, WANZHOU = "500230", "500101"
FMT = "%Y-%m-%dT%H:%M"


def _post(client, **values):
    now = timezone.localtime()
    data = {"title": "春风行动", "body": "招聘会安排", "area_code": "50", "published": "on",
            "publish_at": (now - dt.timedelta(hours=1)).strftime(FMT), "expires_at": ""}
    data.update(values)
    return client.post(reverse("core:notice_create"), data)


def _home(client) -> str:
    return client.get(reverse("home")).content.decode()


def test_a_notice_written_on_the_page_shows_on_the_home_page_and_is_audited(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("core:notice_list")).status_code == 200
    assert _post(client).status_code == 302
    notice = Notice.objects.get(title="春风行动")
    assert AuditLog.objects.get(action="notice.create").detail["title"] == "春风行动"
    client.force_login(make_user("township_officer", "500230001"))
    assert "春风行动" in _home(client)


def test_a_notice_shows_between_publish_and_expiry_only(client, make_user):
    now = timezone.localtime()
    client.force_login(make_user())
    _post(client, title="将来的通知", publish_at=(now + dt.timedelta(days=1)).strftime(FMT))
    _post(client, title="过期的通知", publish_at=(now - dt.timedelta(days=3)).strftime(FMT),
          expires_at=(now - dt.timedelta(days=1)).strftime(FMT))
    _post(client, title="草稿通知", published="")
    _post(client, title="正在显示", expires_at=(now + dt.timedelta(days=1)).strftime(FMT))
    html = _home(client)
    assert "正在显示" in html
    assert "将来的通知" not in html and "过期的通知" not in html and "草稿通知" not in html
    bad = _post(client, title="倒置", expires_at=(now - dt.timedelta(days=2)).strftime(FMT))
    assert bad.status_code == 200 and "截止时间须晚于发布时间" in bad.content.decode()


def test_a_district_notice_reaches_its_district_only(client, make_user):
    client.force_login(make_user())
    _post(client, title="丰都县通知", area_code=FENGDU)
    client.force_login(make_user("district_officer", FENGDU))
    assert "丰都县通知" in _home(client)
    client.force_login(make_user("district_officer", WANZHOU))
    assert "丰都县通知" not in _home(client)


def test_a_district_administrator_writes_and_edits_notices_of_their_district_only(client, make_user):
    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage"],
                              data_scope=DataScope.AREA, area_level="district")
    city = Notice.objects.create(title="全市通知", area_code="50")
    client.force_login(make_user("district_admin", FENGDU))
    assert _post(client, area_code="50").status_code == 200  # not an option of their form
    assert _post(client, title="丰都通知", area_code=FENGDU).status_code == 302
    assert client.get(reverse("core:notice_edit", args=[city.pk])).status_code == 404
    assert client.post(reverse("core:notice_delete", args=[city.pk])).status_code == 404
    assert Notice.objects.filter(pk=city.pk).exists()
    own = Notice.objects.get(title="丰都通知")
    assert client.post(reverse("core:notice_delete", args=[own.pk])).status_code == 302
    assert AuditLog.objects.filter(action="notice.delete", detail__title="丰都通知").exists()


@pytest.mark.parametrize("role, area", [("district_officer", FENGDU), ("auditor", "50"), ("broker", FENGDU)])
def test_officers_without_user_management_cannot_write_notices(client, make_user, role, area):
    notice = Notice.objects.create(title="全市通知", area_code="50")
    client.force_login(make_user(role, area))
    assert client.get(reverse("core:notice_list")).status_code == 403
    assert _post(client).status_code == 403
    assert client.post(reverse("core:notice_delete", args=[notice.pk])).status_code == 403
    assert Notice.objects.count() == 1


def test_editing_a_notice_records_old_and_new(client, make_user):
    client.force_login(make_user())
    _post(client)
    notice = Notice.objects.get()
    data = {"title": "春风行动（更正）", "body": "", "area_code": "50", "published": "on",
            "publish_at": timezone.localtime(notice.publish_at).strftime(FMT), "expires_at": ""}
    assert client.post(reverse("core:notice_edit", args=[notice.pk]), data).status_code == 302
    changes = AuditLog.objects.get(action="notice.update").detail["changes"]
    assert changes["title"] == {"before": "春风行动", "after": "春风行动（更正）"}
