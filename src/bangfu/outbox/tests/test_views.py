"""The outbox page shows the messages of the user's area only, phones masked."""

from __future__ import annotations

import pytest

from bangfu.core.testing import AreaIsolationCases
from bangfu.outbox.services import outbox_enqueue
from bangfu.registry.tests.factories import FENGDU


class TestOutboxAreaIsolation(AreaIsolationCases):
    list_url = "/outbox/"
    marker_attr = "body"

    def make_object(self, district_code, township_code):
        return outbox_enqueue(kind="test", body=f"隔离测试短信{township_code}", dedup_key=f"test:{township_code}",
                              phone="13812345678", area_code=township_code)


@pytest.mark.django_db
def test_the_page_masks_the_phone_and_filters_by_status(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    outbox_enqueue(kind="test", body="您已免申领取", dedup_key="test:1", phone="13812345678", area_code=FENGDU)
    html = client.get("/outbox/").content.decode()
    assert "138****5678" in html and "13812345678" not in html
    assert "您已免申领取" not in client.get("/outbox/?status=sent").content.decode()
