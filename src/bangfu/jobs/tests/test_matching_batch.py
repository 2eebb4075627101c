"""The batched matcher (the helper's "my people" page) gives each person the list the
one-person call gives, on a world with many equal scores and a person with several hires."""
import datetime as dt
import random

import pytest
from django.utils import timezone

from bangfu.jobs.matching import recommendations_for, recommendations_for_many
from bangfu.jobs.models import Application
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.registry.tests.factories import PersonFactory

TODAY = timezone.localdate()
OCC = ["6-29-01-01", "6-29-01-04", "6-29-01-03", "4-01-02-03"]


@pytest.mark.django_db
@pytest.mark.parametrize("hires", [0, 6])
def test_batch_equals_one_by_one_on_a_varied_world(hires):
    rnd = random.Random(7)
    postings = []
    for i in range(120):
        lo = rnd.choice([250_000, 350_000, 450_000, 600_000])
        postings.append(JobPostingFactory(
            title=f"p{i}", occupation_code=rnd.choice(OCC), headcount=5, filled_count=0,
            wage_min_fen=lo, wage_max_fen=lo + rnd.choice([50_000, 150_000]),
            age_min=rnd.choice([18, 30]), age_max=rnd.choice([45, 60])))
    people = []
    for i in range(30):
        people.append(PersonFactory(
            skills=",".join(rnd.sample(OCC, rnd.choice([1, 2]))),
            birth_date=dt.date(rnd.choice([1970, 1985, 1998]), 6, 1),
            expected_wage_fen=rnd.choice([None, 400_000, 550_000, 700_000]),
            accepted_places=rnd.choice(["in_county", "in_county,in_city", ""])))
    hirer = people[0]
    for p in postings[:hires]:
        Application.objects.create(person=hirer, posting=p, referred_on=TODAY, status="hired",
                                   district_code=hirer.district_code, township_code=hirer.township_code)
    batch = recommendations_for_many(people, k=3)
    diffs = []
    for p in people:
        one = [(r["posting"].pk, r["score"]) for r in recommendations_for(p, k=3)]
        again = [(r["posting"].pk, r["score"]) for r in recommendations_for(p, k=3)]
        assert one == again  # the one-person call is deterministic
        many = [(r["posting"].pk, r["score"]) for r in batch[p.pk]]
        if one != many:
            diffs.append((p.pk, one, many))
    assert sum(len(batch[p.pk]) for p in people) > 30  # the world does recommend
    assert not diffs, diffs
