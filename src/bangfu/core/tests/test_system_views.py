import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dictionary_page_lists_labour_abilities_with_chinese_labels(client, make_user):
    client.force_login(make_user("township_officer", "500230101"))
    html = client.get(reverse("core:dictionaries")).content.decode()
    assert "弱劳动力或半劳动力" in html and "<code>weak</code>" in html


def test_parameter_page_shows_the_weekly_push_cap(client, make_user, settings):
    settings.BANGFU = {**settings.BANGFU, "PUSH_PER_WORKER_PER_WEEK": 4}
    client.force_login(make_user())
    html = client.get(reverse("core:parameters")).content.decode()
    assert "每人每周最多推送岗位数" in html and "<td>4</td>" in html
