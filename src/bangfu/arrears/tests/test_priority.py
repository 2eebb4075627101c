"""The order of work: registry persons first, then amount band, workers at the employer, age."""

import datetime as dt

import pytest

from bangfu.arrears.models import ArrearsCase
from bangfu.arrears.priority import priority_reasons, queue_position
from bangfu.arrears.tests.factories import file_case
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def cases(offices):
    """Six cases at the Shenzhen office, received over a week, built to test each rule."""
    made = {}
    made["big_old"] = file_case(received=D(2026, 10, 8), amount_owed_fen=5_000_000, employer_name="甲公司").case
    made["small_single"] = file_case(received=D(2026, 10, 9), amount_owed_fen=800_000, employer_name="乙公司").case
    # Three workers against 丙公司 (same band as small_single): their employer has 3 complainants.
    made["shared_1"] = file_case(received=D(2026, 10, 12), amount_owed_fen=900_000, employer_name="丙公司").case
    made["shared_2"] = file_case(received=D(2026, 10, 13), amount_owed_fen=700_000, employer_name="丙公司").case
    file_case(received=D(2026, 10, 14), amount_owed_fen=50_000, employer_name="丙公司")
    person = PersonFactory(category="alleviated")
    made["registry_small_new"] = file_case(received=D(2026, 10, 15), amount_owed_fen=60_000,
                                           employer_name="丁公司", id_number=person.id_number).case
    return made


def test_registry_person_goes_first_then_amount_band_then_workers_then_age(cases):
    order = list(ArrearsCase.objects.open().by_priority().values_list("number", flat=True))
    named = {case.number: name for name, case in cases.items()}
    assert [named.get(n, "shared_3") for n in order] == [
        "registry_small_new",  # 脱贫人口, even with the smallest amount and the newest lead
        "big_old",  # band 2万-10万
        "shared_1",  # band 5千-2万, employer with 3 workers, older than shared_2
        "shared_2",
        "small_single",  # same band, but alone against its employer
        "shared_3",  # band under 1千
    ]


def test_a_complaint_naming_many_workers_counts_them_for_its_employer(offices):
    lone = file_case(received=D(2026, 10, 8), amount_owed_fen=800_000, employer_name="戊公司").case
    group = file_case(received=D(2026, 10, 9), amount_owed_fen=800_000, employer_name="己公司",
                      workers_affected=12).case
    order = list(ArrearsCase.objects.open().by_priority())
    assert order == [group, lone]
    assert order[0].employer_workers == 12


def test_the_order_is_explained_on_the_case(cases):
    case = cases["registry_small_new"]
    reasons = priority_reasons(case, today=D(2026, 10, 19))
    assert reasons == [
        "花名册中的脱贫人口，优先办理",
        "欠薪 600 元（1千元以下）",
        "同一用人单位涉及 1 名工人",
        "已登记 2 个工作日",
    ]
    assert queue_position(case) == (1, 6)


def test_the_workers_sharing_an_employer_are_named_in_the_reasons(cases):
    reasons = priority_reasons(cases["shared_2"], today=D(2026, 10, 14))
    assert "同一用人单位涉及 3 名工人" in reasons


def test_a_monitored_person_is_explained_as_such(offices):
    person = PersonFactory(category="monitored")
    case = file_case(id_number=person.id_number).case
    assert priority_reasons(case, today=D(2026, 10, 19))[0] == "花名册中的防返贫监测对象，优先办理"
