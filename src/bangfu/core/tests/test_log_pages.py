import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bangfu.core.actors import SYSTEM
from bangfu.core.audit import audit_record
from bangfu.core.models import AuditLog

pytestmark = pytest.mark.django_db


def log_at(day: dt.date, action: str, area_code: str = "500230") -> AuditLog:
    log = audit_record(actor=SYSTEM, action=action, area_code=area_code)
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    AuditLog.objects.filter(pk=log.pk).update(at=at)
    return log


@pytest.fixture
def auditor_client(client, make_user):
    client.force_login(make_user(role="auditor", area_code="50"))
    return client


def test_audit_log_filters_by_date_range(auditor_client):
    log_at(dt.date(2024, 9, 1), "early.thing")
    log_at(dt.date(2024, 9, 15), "middle.thing")
    log_at(dt.date(2024, 9, 30), "late.thing")
    html = auditor_client.get(reverse("core:audit_log"),
                              {"date_from": "2024-09-10", "date_to": "2024-09-30"}).content.decode()
    assert "middle.thing" in html and "late.thing" in html and "early.thing" not in html


def test_audit_log_reports_a_bad_date_instead_of_failing(auditor_client):
    response = auditor_client.get(reverse("core:audit_log"), {"date_from": "2024-13-45"})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_audit_log_export_has_the_filtered_rows_and_is_itself_audited(auditor_client):
    log_at(dt.date(2024, 9, 1), "person.view_full_pii")
    log_at(dt.date(2024, 9, 2), "person.export")
    response = auditor_client.get(reverse("core:audit_log_export"), {"action": "person.view"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "时间"
    assert [r[3] for r in rows[1:]] == ["person.view_full_pii"]
    assert rows[1][2] == "查看完整证件号码"
    assert AuditLog.objects.filter(action="audit.export").count() == 1


def test_a_district_auditor_sees_only_its_districts_rows(client, make_user):
    log_at(dt.date(2024, 9, 1), "fengdu.thing", area_code="500230101")
    log_at(dt.date(2024, 9, 1), "wanzhou.thing", area_code="500101001")
    client.force_login(make_user(role="auditor", area_code="500230"))
    html = client.get(reverse("core:audit_log")).content.decode()
    assert "fengdu.thing" in html and "wanzhou.thing" not in html


def test_audit_log_is_403_for_officers(client, make_user):
    client.force_login(make_user(role="district_officer", area_code="500230"))
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.get(reverse("core:audit_log_export")).status_code == 403
