"""A masked ID number cannot be rebuilt from what a user without the full view receives.

For a sample of persons, a broker and a district officer (who has not pressed "show the full
number") fetch each person through every channel that shows persons: the API (list, detail,
search), the pages (list, search results, detail, household members of another member's page,
the worker's job page, an arrears case), and the Excel export. Every field is collected
(id_candidates.Observed) and the ID numbers consistent with all of them that pass the
GB 11643 checksum are counted: at least 1,000 must remain for each person (core/pii.py).
The person's real number must be among them, or the fields were misread.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from bangfu.core.models import AuditLog
from bangfu.registry.tests import id_candidates as ic
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db

REQUIRED = 1_000
PERSONS = "/api/v1/registry/persons"
# Birthdays at the edges (1 January, 31 December, 29 February, a worker turning 16 or 66)
# and a few drawn at random (seeded).
EDGE_BIRTHDAYS = [dt.date(1990, 1, 1), dt.date(1972, 12, 31), dt.date(1988, 2, 29)]


def _sample_birthdays(today: dt.date) -> list[dt.date]:
    rng = random.Random(20261)
    drawn = [today - dt.timedelta(days=rng.randint(16 * 365, 80 * 365)) for _ in range(4)]
    turning = [ic._years_before(today, 16) + dt.timedelta(days=3), ic._years_before(today, 66) - dt.timedelta(days=2)]
    return EDGE_BIRTHDAYS + drawn + turning


@pytest.fixture
def sample(db):
    """Persons in two households, both sexes, with phones; one has filed an arrears complaint."""
    today = timezone.localdate()
    persons = []
    for i, birth in enumerate(_sample_birthdays(today)):
        household = persons[0].household if i in (1, 2) else None  # three members share a household
        extra = {"household": household} if household else {}
        persons.append(PersonFactory(name=f"样本{i}", birth_date=birth, sex="MF"[i % 2],
                                     phone=f"1390000{i:04d}", relation="head" if not household else "child",
                                     **extra))
    from bangfu.arrears.tests.factories import file_case

    case = file_case(worker_name=persons[0].name, id_number=persons[0].id_number,
                     phone=persons[0].phone, work_place_code=FENGDU).case
    return persons, case.number


def _observe(client, person, members, case_number, *, today) -> tuple[ic.Observed, list[str]]:
    """Everything ``client`` is shown about ``person``; and the channels that refused it."""
    obs = ic.Observed(today=today, district_code=person.district_code)
    refused = []

    def net(text: str) -> None:
        obs.anywhere(text, id_number=person.id_number, birth=person.birth_date)

    def api(response, source):
        if response.status_code != 200:
            refused.append(source)
            return
        for item in ic.json_objects(response.content, person.pk):
            obs.fields(item)
            net(str(item))
        obs.sources.append(source)

    def page(response, source, *, about_person: bool):
        if response.status_code != 200:
            refused.append(source)
            return
        for row in ic.html_rows(response.content, person.name):
            obs.fields(row)
        if about_person:
            obs.fields(ic.html_definitions(response.content))
            net(ic.html_text(response.content))
        obs.sources.append(source)

    api(client.get(PERSONS, {"page_size": 200}), "api list")
    api(client.get(f"{PERSONS}/{person.pk}"), "api detail")
    api(client.post(f"{PERSONS}/search", {"phone": person.phone}, content_type="application/json"),
        "api search")
    page(client.get(reverse("registry:person_list")), "page list", about_person=False)
    searched = client.post(reverse("registry:person_list"), {"q": person.phone})
    if searched.status_code == 302:
        page(client.get(searched["Location"]), "page search", about_person=True)
    else:
        refused.append("page search")
    page(client.get(reverse("registry:person_detail", args=[person.pk])), "page detail", about_person=True)
    for other in members:
        if other.pk != person.pk:
            page(client.get(reverse("registry:person_detail", args=[other.pk])), "household page",
                 about_person=False)
    page(client.get(reverse("jobs:worker", args=[person.pk])), "jobs worker page", about_person=True)
    if case_number and person.name == "样本0":
        page(client.get(reverse("arrears:case_detail", args=[case_number])), "arrears case page",
             about_person=True)
        response = client.get(f"/api/v1/arrears/cases/{case_number}")
        if response.status_code == 200:
            obs.fields(response.json())
            net(response.content.decode())
            obs.sources.append("arrears api")
    export = client.get(reverse("registry:person_export"))
    if export.status_code == 200:
        for row in ic.xlsx_rows(export.content, person.name):
            obs.fields({str(k): v for k, v in row.items()})
            net(" ".join(str(v) for v in row.values() if v is not None))
        obs.sources.append("export")
    else:
        refused.append("export")
    return obs, refused


@pytest.mark.parametrize("role, area", [("broker", FENGDU), ("district_officer", FENGDU)])
def test_every_sampled_id_number_still_fits_a_thousand_numbers(client, make_user, sample, role, area):
    persons, case_number = sample
    client.force_login(make_user(role=role, area_code=area))
    today = timezone.localdate()
    counts, refused_any, cache, sources = {}, set(), {}, set()
    for person in persons:
        members = [p for p in persons if p.household_id == person.household_id]
        obs, refused = _observe(client, person, members, case_number, today=today)
        refused_any.update(refused)
        sources.update(obs.sources)
        assert obs.fits(person.id_number), f"{person.name}: the fields were misread ({obs})"
        if obs.key() not in cache:
            cache[obs.key()] = ic.count_candidates(obs)
        counts[person.name] = cache[obs.key()]
    too_few = {name: n for name, n in counts.items() if n < REQUIRED}
    assert not too_few, f"ID numbers left for a {role}: {counts}"
    # every channel answered this role (a refused channel would make the count pass for nothing)
    assert not refused_any, refused_any
    assert {"arrears case page", "arrears api", "household page", "export", "api search"} <= sources
    assert not AuditLog.objects.filter(action="person.view_full_pii").exists()


def test_the_count_is_the_age_window_times_the_sequences_of_one_sex():
    today = dt.date(2026, 11, 2)
    obs = ic.Observed(today=today, district_code=FENGDU)
    obs.masked("500230************")
    obs.age(40)
    obs.sex_word("女")
    assert ic.count_candidates(obs) == 365 * 500
    # the year's age is the birth year: a birth year shown elsewhere narrows nothing
    obs.birth_year(1986)
    assert ic.count_candidates(obs) == 365 * 500
    # read again on another day of the year: the same age, the same window (a 周岁 would move)
    later = ic.Observed(today=dt.date(2026, 3, 1), district_code=FENGDU)
    later.masked("500230************")
    later.age(40)
    later.sex_word("女")
    assert (later.earliest, later.latest) == (obs.earliest, obs.latest)


def test_the_former_mask_beside_a_birth_date_leaves_one_number():
    number = "500230198506010413"
    number = number[:17] + ric.calc_check_digit(number)
    obs = ic.Observed(today=dt.date(2026, 11, 2), district_code=FENGDU)
    obs.masked(number[:3] + "*" * 11 + number[-4:])
    obs.birth_date(dt.date(1985, 6, 1))
    obs.sex_word("男")
    assert ic.count_candidates(obs) == 1 and obs.fits(number)


def test_every_counted_candidate_passes_the_stdnum_checksum():
    obs = ic.Observed(today=dt.date(2026, 11, 2), district_code=FENGDU)
    obs.birth_date(dt.date(1985, 6, 1))
    obs.masked("************" + "*" * 5 + "7")
    numbers = [f"{FENGDU}19850601{n:03d}7" for n in range(1000)]
    valid = [n for n in numbers if n[-1] == ric.calc_check_digit(n)]
    assert ic.count_candidates(obs) == len(valid) > 0
    assert all(ric.get_birth_date(n) == dt.date(1985, 6, 1) for n in valid)
