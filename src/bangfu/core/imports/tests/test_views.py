"""The upload page: template, upload, progress, result, error report, confirm, privacy, and
the addresses it had under /registry/import/ (redirects)."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.core.imports.tests.files import REGISTRY_HEADERS, registry_rows, xlsx_bytes
from bangfu.core.models import ImportJob
from bangfu.core.imports.jobs import import_job_progress
from bangfu.registry.models import Person

pytestmark = pytest.mark.django_db
COL = {header: index for index, header in enumerate(REGISTRY_HEADERS)}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    settings.BANGFU = {**settings.BANGFU, "IMPORT_RUNNER": "task"}
    return settings.MEDIA_ROOT


@pytest.fixture
def officer(client, make_user, test_password):
    user = make_user("district_officer", "500230")
    client.force_login(user)
    return user


def upload(client, rows, *, mode="dry_run", commit_valid=False, name="花名册.xlsx", kind="registry"):
    data = {"kind": kind, "mode": mode, "file": SimpleUploadedFile(name, xlsx_bytes([REGISTRY_HEADERS, *rows]))}
    if commit_valid:
        data["commit_valid"] = "on"
    return client.post(reverse("imports:index"), data)


def fengdu_rows(n):
    return [r for r in registry_rows(n * 3) if r[COL["区县代码"]] == "500230"][:n]


def test_the_page_lists_the_importers_with_their_templates(client, officer):
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "花名册" in text and reverse("imports:template", args=["registry"]) in text


def test_the_template_downloads_as_xlsx_with_the_chinese_headers(client, officer):
    response = client.get(reverse("imports:template", args=["registry"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["户编号", "姓名", "证件号码"]


def test_an_unknown_template_kind_is_404(client, officer):
    assert client.get(reverse("imports:template", args=["nope"])).status_code == 404


def test_a_user_without_the_import_capability_gets_403(client, make_user, test_password):
    broker = make_user("broker", "500230")
    client.force_login(broker)
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:template", args=["registry"])).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_dry_run_then_import_with_errors_report_and_confirm(client, officer, media):
    rows = fengdu_rows(6)
    rows[2][COL["证件号码"]] = rows[2][COL["证件号码"]][:17]
    rows[4][COL["劳动技能"]] = "很能干"
    response = upload(client, rows)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == "done" and job.dry_run and job.rows == 6 and job.error_count == 2

    page = client.get(response["Location"]).content.decode()
    assert re.search(r"6 行，2 个错误", page)
    assert "证件号码应为18位" in page and "很能干" in page
    assert Person.objects.count() == 0

    report = client.get(reverse("imports:error_report", args=[job.pk]))
    assert report.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    assert book.worksheets[0].max_row == 3  # header + the two rows to correct

    # "只导入无错误的行" imports the stored file for real
    response = client.post(reverse("imports:job_commit", args=[job.pk]), {"commit_valid": "1"})
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("imports:job", args=[real.pk])
    assert real.status == "done" and real.result["committed"] and real.result["created"] == 4
    assert Person.objects.count() == 4
    assert not real.file and not ImportJob.objects.get(pk=job.pk).file  # the upload is gone
    assert not list((media / "imports").rglob("*.xlsx")) or all("reports" in str(p) for p in (media / "imports").rglob("*.xlsx"))


def test_an_import_with_errors_is_refused_whole(client, officer):
    rows = fengdu_rows(3)
    rows[1][COL["姓名"]] = ""
    upload(client, rows, mode="import")
    job = ImportJob.objects.get()
    assert job.status == "done" and not job.result["committed"]
    assert Person.objects.count() == 0
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "未导入任何数据" in page


def test_an_unusable_file_shows_the_reason(client, officer):
    data = {"kind": "registry", "mode": "import", "file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)}
    client.post(reverse("imports:index"), data)
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "不支持旧版 .xls 文件" in page and "文件无法导入" in page


def test_the_result_is_kept_for_later_and_listed_on_the_page(client, officer):
    upload(client, fengdu_rows(2), mode="import")
    job = ImportJob.objects.get()
    listing = client.get(reverse("imports:index")).content.decode()
    assert job.filename in listing and reverse("imports:job", args=[job.pk]) in listing
    status = client.get(reverse("imports:job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in status and "2 行，0 个错误" in status


def test_another_users_job_is_404(client, officer, make_user, test_password):
    upload(client, fengdu_rows(1))
    job = ImportJob.objects.get()
    other = make_user("district_officer", "500230")
    client.force_login(other)
    for name in ("imports:job", "imports:job_status", "imports:error_report"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:job_commit", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_a_queued_job_polls_its_progress_until_a_worker_runs_it(client, officer, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload(client, fengdu_rows(3), mode="import")
    job = ImportJob.objects.get()
    assert job.status == "queued" and job.task_id
    status = client.get(reverse("imports:job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in status and "排队中" in status
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 3
    assert Person.objects.count() == 3


def test_progress_combines_the_stages_into_one_percentage(officer):
    job = ImportJob(user=officer, kind="registry", filename="a.xlsx", status="running", stage="parse",
                    done=500, total=1000)
    job.save()
    progress = import_job_progress(job)
    assert progress["percent"] == 25 and progress["label"] == "解析数据"


def test_small_files_run_inline_by_default(client, officer, settings):
    settings.BANGFU = {**settings.BANGFU, "IMPORT_RUNNER": "auto"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload(client, fengdu_rows(2), mode="import")
    assert ImportJob.objects.get().status == "done"
    assert Person.objects.count() == 2


def test_the_monthly_close_reads_1204_rows_3_errors(client, make_user):
    client.force_login(make_user("city_admin", "50"))
    rows = registry_rows(1204)
    for index in (10, 500, 1203):
        rows[index][COL["与户主关系"]] = "邻居"
    upload(client, rows)
    page = client.get(reverse("imports:job", args=[ImportJob.objects.get().pk])).content.decode()
    assert "1,204 行，3 个错误" in page
    assert page.count("“邻居”不是有效的选项") == 3


def test_a_job_without_progress_for_ten_minutes_is_reported_as_interrupted(client, officer):
    job = ImportJob.objects.create(user=officer, kind="registry", filename="a.xlsx", status="running",
                                   stage="parse", done=10, total=100)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=job.updated_at - dt.timedelta(minutes=11))
    page = client.get(reverse("imports:job_status", args=[job.pk])).content.decode()
    assert "可能已中断" in page


def test_an_upload_without_a_file_shows_the_form_again(client, officer):
    response = client.post(reverse("imports:index"), {"kind": "registry", "mode": "dry_run"})
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert "这个字段是必填项" in response.content.decode() or "required" in response.content.decode()


def test_a_committed_registry_import_links_to_the_person_list(client, officer):
    upload(client, fengdu_rows(1), mode="import")
    status = client.get(reverse("imports:job_status", args=[ImportJob.objects.get().pk])).content.decode()
    assert reverse("registry:person_list") in status and "查看人员花名册" in status


def test_the_old_registry_addresses_redirect_to_the_import_page_keeping_the_query(client, officer):
    response = client.get(reverse("registry:import") + "?kind=registry")
    assert response.status_code == 308
    assert response["Location"] == reverse("imports:index") + "?kind=registry"
    assert client.get(reverse("registry:import_template", args=["registry"]))["Location"] == reverse(
        "imports:template", args=["registry"])
    assert reverse("registry:import_job", args=[7]) == "/registry/import/jobs/7/"


def test_an_upload_posted_to_the_old_address_is_sent_on_with_a_redirect_that_keeps_the_post(client, officer):
    data = {"kind": "registry", "mode": "dry_run",
            "file": SimpleUploadedFile("花名册.xlsx", xlsx_bytes([REGISTRY_HEADERS, *fengdu_rows(1)]))}
    response = client.post(reverse("registry:import"), data)
    assert response.status_code == 308  # unlike 301/302, a browser repeats the POST with its body
    assert response["Location"] == reverse("imports:index") and not ImportJob.objects.exists()
