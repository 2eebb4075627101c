"""Journey 3 in a real browser (Playwright + Debian's Chromium against the live server):
the city administrator authors a policy (a typo is refused with its position), the district
officer previews, commits, approves, makes a payment batch, downloads the bank file, uploads
the bank's return with one failure, re-batches after the account is corrected, and reconciles."""

from __future__ import annotations

import csv
import io

import pytest

from bangfu.outbox.models import OutboxMessage
from bangfu.payments.models import PaymentBatch
from bangfu.policies.models import Entitlement
from bangfu.policies.tests.factories import FENGDU, FENGDU_TOWNSHIP, traveller
from bangfu.testing.browser import shot, login, logout

pytestmark = pytest.mark.browser

CONDITION = 'category in ["alleviated", "monitored"]\n&& age >= 16\n&& has_labour_abilty\n&& worked_outside_county'


def return_file(csv_bytes: bytes, failed_line: int | None) -> bytes:
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["批次号", "序号", "收款人", "银行账号", "金额（元）", "处理结果", "失败原因"])
    for r in rows[1:]:
        if not r or not r[0].isdigit():
            continue
        failed = int(r[0]) == failed_line
        w.writerow([r[1], r[0], r[2], r[4], r[5], "失败" if failed else "成功", "户名与账号不符" if failed else ""])
    return out.getvalue().encode("utf-8")


def test_a_subsidy_goes_from_authoring_to_reconciliation_in_the_browser(live_url, page, make_user, test_password, tmp_path):
    for _ in range(2):
        traveller()
    traveller(place="in_city")
    traveller(place="in_county")  # stays home: not eligible
    make_user("city_admin", "50", username="city")
    make_user("district_officer", FENGDU, username="fengdu_officer")
    make_user("township_officer", FENGDU_TOWNSHIP, username="town_officer")
    page.on("dialog", lambda dialog: dialog.accept())

    # -- the city administrator authors the policy; a typo is refused with its position
    login(page, live_url, "city", test_password)
    page.goto(f"{live_url}/policies/new/")
    page.fill("input[name=code]", "bf_transport")
    page.fill("input[name=name]", "跨区域务工交通补助（测试）")
    page.fill("input[name=legal_basis]", "渝人社〔2022〕281号")
    page.select_option("select[name=beneficiary]", "person")
    page.fill("textarea[name=condition]", CONDITION)
    page.fill("textarea[name=amount]", "worked_outside_city ? 200 : 50")
    page.click("button[type=submit].primary")
    error = page.locator("#check-condition .error")
    assert "第3行第4列" in error.inner_text() and "has_labour_abilty" in error.inner_text()
    page.fill("textarea[name=condition]", CONDITION.replace("abilty", "ability"))
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_url}/policies/p/bf_transport/")
    logout(page)

    # -- the district officer previews and commits
    login(page, live_url, "fengdu_officer", test_password)
    page.goto(f"{live_url}/policies/p/bf_transport/")
    page.select_option("select[name=period]", "2024")
    page.click("button[value=preview]")
    page.wait_for_url("**/policies/runs/**")
    stats = page.locator(".stats").inner_text()
    assert "3" in stats and "450" in stats
    assert page.locator("table.grid").nth(1).locator("tbody tr").count() == 3  # the sample, with reasons
    page.click("button[value=commit]")
    page.wait_for_url("**/policies/runs/**")
    assert "已生成 3 条待遇" in page.locator("ul.messages").inner_text()
    assert Entitlement.objects.count() == 3

    # -- approve all pending of the policy
    page.click("text=去审核")
    page.wait_for_url("**/policies/entitlements/**")
    page.click("text=全部通过（按筛选条件）")
    page.wait_for_load_state()
    assert "已审核通过 3 条待遇" in page.locator("ul.messages").inner_text()

    # -- payment batch and the bank file
    page.goto(f"{live_url}/policies/batches/")
    page.select_option("form[action$='/batches/new/'] select[name=policy]", "bf_transport")
    page.select_option("form[action$='/batches/new/'] select[name=period]", "2024")
    page.click("form[action$='/batches/new/'] button[type=submit]")
    page.wait_for_url("**/payments/batches/*/")
    batch = PaymentBatch.objects.get()
    with page.expect_download() as info:
        page.click("text=银行文件 CSV（脱敏）")
    bank_file = tmp_path / "bank.csv"
    info.value.save_as(bank_file)
    text = bank_file.read_bytes().decode("utf-8-sig")
    assert batch.checksum in text and "***" in text

    # -- the bank's return: line 2 failed
    returned = tmp_path / "return.csv"
    returned.write_bytes(return_file(bank_file.read_bytes(), failed_line=2))
    page.set_input_files("input[type=file][name=file]", str(returned))
    page.click("text=上传并导入")
    page.wait_for_load_state()
    assert "回盘已导入" in page.locator("ul.messages").inner_text()
    batch.refresh_from_db()
    assert (batch.paid_count, batch.failed_count) == (2, 1)
    assert OutboxMessage.objects.filter(kind="policies.paid").count() == 2
    logout(page)

    # -- the township officer corrects the failed account
    login(page, live_url, "town_officer", test_password)
    page.goto(f"{live_url}/payments/failed/")
    page.click("text=更正账户")
    page.fill("input[name=bank_name]", "重庆农村商业银行")
    page.fill("input[name=account]", "6228 4800 1234 5678 901")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/payments/failed/")
    assert "已更正" in page.locator("main").inner_text()
    logout(page)

    # -- the district officer re-batches, imports that return and reconciles both batches
    login(page, live_url, "fengdu_officer", test_password)
    page.goto(f"{live_url}/policies/batches/")
    page.select_option("form[action$='/batches/new/'] select[name=policy]", "bf_transport")
    page.select_option("form[action$='/batches/new/'] select[name=period]", "2024")
    page.check("input[name=rebatch]")
    page.click("form[action$='/batches/new/'] button[type=submit]")
    page.wait_for_url("**/payments/batches/*/")
    with page.expect_download() as info:
        page.click("text=银行文件 CSV（脱敏）")
    again = tmp_path / "bank2.csv"
    info.value.save_as(again)
    returned2 = tmp_path / "return2.csv"
    returned2.write_bytes(return_file(again.read_bytes(), failed_line=None))
    page.set_input_files("input[type=file][name=file]", str(returned2))
    page.click("text=上传并导入")
    page.wait_for_load_state()
    page.click("text=核对并对账")
    page.wait_for_load_state()
    assert "对账完成" in page.locator("ul.messages").inner_text()
    page.goto(f"{live_url}/payments/batches/{batch.pk}/")
    page.click("text=核对并对账")
    page.wait_for_load_state()
    assert "已对账" in page.locator("h1").inner_text()
    shot(page, "journey3-reconciled")
    assert Entitlement.objects.filter(status="paid").count() == 3
