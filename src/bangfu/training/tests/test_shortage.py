"""The shortage-trade list: a trade whose open headcount the registry's skilled workers cannot
fill comes first, with the numbers behind it (candidates, who passes the vetoes, what stops the
rest); the same counts as a pair-by-pair reference; Excel out; the page per district."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.engine.matching import WorkerGroups
from bangfu.engine.matching.score import pair_vetoes
from bangfu.engine.matching.score import VETO_NAMES
from bangfu.engine.matching.shortage import BLOCKING, EVERYTHING, trade_shortages
from bangfu.jobs.matching import jobs_frame, push_scope, vocabulary, workers_frame
from bangfu.jobs.models import JobPosting
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.registry.tests.factories import FENGDU, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.training.shortage import shortage_list, shortage_workbook

pytestmark = pytest.mark.django_db
MASON, REBAR, DRIVER = "6-29-01-01", "6-29-01-04", "4-02-02-02"


@pytest.fixture
def world():
    JobPostingFactory(occupation_code=MASON, headcount=5)
    JobPostingFactory(occupation_code=MASON, headcount=2, age_max=40)
    JobPostingFactory(occupation_code=DRIVER, headcount=1)
    JobPostingFactory(occupation_code=REBAR, headcount=3, work_place_code=WANZHOU, work_district_code=WANZHOU,
                      place_name="万州区")
    skilled = dict(skills=MASON, accepted_places="in_county,in_city")
    PersonFactory(**skilled)                                             # passes
    PersonFactory(**skilled, district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)  # passes (in_city)
    PersonFactory(**skilled, birth_date=dt.date(1964, 1, 1))            # too old for both postings (a worker still)
    PersonFactory(**skilled, expected_wage_fen=900_000)                 # wants more than any mason posting pays
    for _ in range(3):
        PersonFactory(skills=DRIVER, accepted_places="in_county")       # drivers: enough for one seat
    PersonFactory(skills=REBAR, accepted_places="in_county", district_code=WANZHOU,
                  township_code=WANZHOU_TOWNSHIP)                       # a Wanzhou mason for Wanzhou only
    PersonFactory(skills=REBAR, accepted_places="out_of_city")          # wants to leave Chongqing: place veto
    PersonFactory(skills=MASON, accepted_places="in_city", certificates="电工证")  # Fengdu's postings are home


def test_the_trade_with_the_largest_gap_comes_first_with_its_numbers(world):
    rows = shortage_list(area_code="50", on=timezone.localdate())
    first = rows[0]
    assert (first.code, first.name) == (MASON, "砌筑工")
    assert (first.postings, first.headcount) == (2, 7)
    # seven with skills in group 6-29 are the candidates; two pass, one is too old, one too dear,
    # three accept no place class Fengdu's postings are in for them
    assert first.candidates == 7 and first.qualified == 2 and first.gap == 5
    assert first.blocked == {"age": 1, "wage": 1, "certificate": 0, "place": 3, "ability": 0}
    driver = next(r for r in rows if r.code == DRIVER)
    assert driver.qualified == 3 and driver.gap == 0
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_a_district_list_reads_the_postings_that_work_there(world):
    codes = [r.code for r in shortage_list(area_code=WANZHOU, on=timezone.localdate())]
    assert codes == [REBAR]


def test_the_vectorised_counts_equal_a_pair_by_pair_reference(world):
    on = timezone.localdate()
    jobs, _ids, certs = jobs_frame(JobPosting.objects.all(), on)
    vocab = vocabulary()
    jobs.derive(vocab)
    workers, _w = workers_frame(push_scope(area_code=None, on=on), on, certs)
    groups = WorkerGroups.of(workers, vocab)
    for t in trade_shortages(workers, groups, jobs, chunk_pairs=3):  # tiny chunks: the chunking is exercised
        ji = [j for j in range(len(jobs)) if jobs.occupation[j] == t.occupation and jobs.available[j]]
        cands = [w for w in range(len(workers))
                 if (int(groups.medium_bits[w]) >> int(jobs.medium[ji[0]])) & 1]
        masks = {w: [int(pair_vetoes(workers, jobs, np.array([w]), np.array([j]))[0]) & int(EVERYTHING) for j in ji]
                 for w in cands}
        ok = [w for w in cands if 0 in masks[w]]
        assert (t.candidates, t.qualified) == (len(cands), len(ok))
        stopped = [np.bitwise_and.reduce(np.array(masks[w])) for w in cands if w not in ok]
        assert t.blocked == {VETO_NAMES[bit]: sum(1 for m in stopped if m & bit) for bit in BLOCKING}


def test_the_list_exports_to_excel_and_the_page_shows_it(world, client, make_user):
    user = make_user(role="district_officer", area_code=FENGDU)
    rows = shortage_list(area_code=FENGDU, on=timezone.localdate())
    sheet = openpyxl.load_workbook(io.BytesIO(shortage_workbook(user=user, area_code=FENGDU, rows=rows))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("排名", "职业代码", "工种") and lines[1][1] == MASON and lines[1][8] == 5
    client.force_login(user)
    page = client.get(reverse("training:shortage")).content.decode()
    assert "砌筑工" in page
    response = client.get(reverse("training:shortage_export"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_page_reads_the_list_computed_minutes_ago_and_says_when(world, client, make_user, monkeypatch):
    from bangfu.training import shortage

    calls = []
    real = shortage.shortage_list
    monkeypatch.setattr(shortage, "shortage_list", lambda **kw: calls.append(kw) or real(**kw))
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    first = client.get(reverse("training:shortage")).content.decode()
    second = client.get(reverse("training:shortage")).content.decode()
    assert len(calls) == 1 and "砌筑工" in first and "砌筑工" in second
    assert "计算于" in second and "每10分钟更新" in second
