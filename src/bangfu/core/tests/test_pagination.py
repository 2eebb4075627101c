"""Pages and API lists slice a lazy queryset: only the rows of the page are read and converted."""

import pytest
from django.test import RequestFactory

from bangfu.core.models import Notice
from bangfu.core.pagination import Mapped, page_of, query_without_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices():
    Notice.objects.bulk_create([Notice(title=f"通知{i}", body="", published=True) for i in range(7)])
    return Notice.objects.order_by("id")


def test_mapped_converts_only_the_rows_of_the_page(notices, django_assert_num_queries):
    converted = []
    mapped = Mapped(notices, lambda n: converted.append(n.pk) or n.title)
    with django_assert_num_queries(2):  # the page and the count
        assert mapped[2:4] == ["通知2", "通知3"]
        assert len(mapped) == 7
    assert len(converted) == 2


def test_the_api_pages_a_mapped_list(notices):
    from bangfu.core.pagination import ApiPagination

    pagination = ApiPagination()
    out = pagination.paginate_queryset(Mapped(notices, lambda n: n.title),
                                       ApiPagination.Input(page=2, page_size=3), request=None)
    assert out == {"items": ["通知3", "通知4", "通知5"], "count": 7}


def test_a_page_out_of_range_is_the_last_and_the_query_keeps_the_filters(notices):
    request = RequestFactory().get("/x/", {"page": "99", "q": "通知", "empty": ""})
    page = page_of(request, notices, 3)
    assert (page.number, [n.title for n in page]) == (3, ["通知6"])
    assert query_without_page(request) == "q=%E9%80%9A%E7%9F%A5"
