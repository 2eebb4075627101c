"""The matching engine on hand-built workers and jobs: vetoes, reasons, blocking. No Django."""

from __future__ import annotations

import numpy as np
import pytest

from bangfu.engine.matching import (
    JobRecord, PairSet, RankConfig, Weights, WorkerRecord, brute_force, certificate_index,
    explain_pair, jobs_from_records, recommend, workers_from_records,
)
from bangfu.core import reference
from bangfu.engine.matching.vocab import Vocabulary

FENGDU, FENGDU_TOWN = "500230", "500230101"
WANZHOU = "500101"  # north-east zone, like 丰都
YUBEI = "500112"  # main metropolitan zone
SHENZHEN = "4403"  # 珠三角
BRICKLAYER, STEELFIXER, SCAFFOLDER = "6-29-01-01", "6-29-01-04", "6-29-01-05"
ELECTRICIAN = "6-29-03-02"  # same medium group (6-29), another minor group
COURIER = "4-02-07-08"
MUSHROOM = "5-01-02-03"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_reference(reference.divisions(), reference.places(), reference.occupations())


def build(vocab, workers, jobs):
    certs = certificate_index(jobs)
    return workers_from_records(workers, vocab, certs), jobs_from_records(jobs, vocab, certs), certs


def job(id, **kw):
    base = dict(occupation_code=BRICKLAYER, work_place_code=FENGDU, wage_min_fen=450_000,
                wage_max_fen=600_000, age_min=18, age_max=60, min_labour_ability="weak", remaining=5)
    base.update(kw)
    return JobRecord(id=id, **base)


def worker(id, **kw):
    base = dict(district_code=FENGDU, township_code=FENGDU_TOWN, age=40, labour_ability="ordinary",
                expected_wage_fen=400_000, accepted_places=("in_county", "in_city"), skills=(BRICKLAYER,))
    base.update(kw)
    return WorkerRecord(id=id, **base)


def recommended_ids(rec, jobs, row=0):
    return [int(jobs.id[j]) for j in rec.job[row] if j >= 0]


# ---- vetoes -------------------------------------------------------------------------------
VETOED_JOBS = {
    2: dict(expired=True),
    3: dict(remaining=0),
    4: dict(age_max=35),
    5: dict(wage_min_fen=300_000, wage_max_fen=380_000),
    6: dict(certificates=("电工证",)),
    7: dict(work_place_code=SHENZHEN),
    8: dict(min_labour_ability="skilled"),
    9: dict(),  # already pushed to the worker
}


def test_no_recommendation_breaks_a_veto(vocab):
    jobs = [job(1)] + [job(i, **kw) for i, kw in VETOED_JOBS.items()]
    W, J, certs = build(vocab, [worker(100)], jobs)
    pushed = PairSet([100], [9])
    rec = recommend(W, J, vocab, pushed=pushed)
    assert recommended_ids(rec, J) == [1]


@pytest.mark.parametrize("job_id, code", [(2, "expired"), (3, "full"), (4, "age"), (5, "wage"),
                                          (6, "certificate"), (7, "place"), (8, "ability"), (9, "pushed")])
def test_each_veto_is_named_in_the_explanation(vocab, job_id, code):
    jobs = [job(1)] + [job(i, **kw) for i, kw in VETOED_JOBS.items()]
    W, J, certs = build(vocab, [worker(100)], jobs)
    j = list(J.id).index(job_id)
    ex = explain_pair(W, J, vocab, 0, j, certs=certs, pushed=PairSet([100], [9]))
    assert ex.veto_codes() == [code]


def test_veto_texts_give_the_values_that_decided(vocab):
    jobs = [job(4, age_max=35), job(5, wage_max_fen=380_000, wage_min_fen=300_000),
            job(6, certificates=("电工证",))]
    W, J, certs = build(vocab, [worker(100, age=58)], jobs)
    texts = [explain_pair(W, J, vocab, 0, j, certs=certs).vetoes[0].text for j in range(3)]
    assert texts[0] == "年龄 58 岁不在招聘范围 18–35 岁"
    assert "月薪最高 3,800 元，低于期望 4,000 元" in [v.text for v in explain_pair(W, J, vocab, 0, 1).vetoes]
    assert "缺少证书：电工证" in [v.text for v in explain_pair(W, J, vocab, 0, 2, certs=certs).vetoes]


def test_a_job_outside_the_workers_groups_that_needs_a_certificate_is_not_a_candidate(vocab):
    jobs = [job(1, occupation_code=COURIER, certificates=("叉车证",))]
    W, J, certs = build(vocab, [worker(100, certificates=("叉车证",))], jobs)
    ex = explain_pair(W, J, vocab, 0, 0, certs=certs)
    assert ex.veto_codes() == ["not_candidate"]
    assert recommended_ids(recommend(W, J, vocab), J) == []


# ---- reasons ------------------------------------------------------------------------------
def test_reasons_name_the_group_the_wage_and_the_place(vocab):
    jobs = [job(1, occupation_code=ELECTRICIAN, wage_min_fen=480_000, wage_max_fen=600_000)]
    W, J, _ = build(vocab, [worker(100, township_code="")], jobs)
    texts = [r.text for r in explain_pair(W, J, vocab, 0, 0).reasons]
    assert texts[:3] == ["同为建筑工种", "月薪高于期望 800 元", "县内"]


def test_reasons_for_a_weak_worker_say_the_job_takes_weak_labour(vocab):
    jobs = [job(1, occupation_code=MUSHROOM, work_place_code=FENGDU_TOWN, wage_min_fen=300_000,
                wage_max_fen=360_000, min_labour_ability="weak", accommodation=True)]
    W, J, _ = build(vocab, [worker(100, labour_ability="weak", skills=(), expected_wage_fen=300_000)], jobs)
    texts = [r.text for r in explain_pair(W, J, vocab, 0, 0).reasons]
    assert texts == ["无需技能证书，适合新手", "月薪达到期望", "本乡镇", "招聘对象含弱劳动力", "提供食宿"]


def test_an_exact_skill_from_a_past_job_is_said_so(vocab):
    jobs = [job(1, occupation_code=STEELFIXER, work_place_code=YUBEI)]
    W, J, _ = build(vocab, [worker(100, skills=(), past_occupations=(STEELFIXER,))], jobs)
    texts = [r.text for r in explain_pair(W, J, vocab, 0, 0).reasons]
    assert texts[0] == "曾从事钢筋工"
    assert texts[2] == "市内县外（主城都市区）"


def test_a_cooperation_region_job_is_described_by_its_region(vocab):
    jobs = [job(1, work_place_code=SHENZHEN)]
    W, J, _ = build(vocab, [worker(100, accepted_places=("out_of_city",))], jobs)
    assert "珠三角劳务协作" in [r.text for r in explain_pair(W, J, vocab, 0, 0).reasons]


# ---- scores -------------------------------------------------------------------------------
def test_same_code_beats_same_minor_beats_same_medium(vocab):
    jobs = [job(1, occupation_code=ELECTRICIAN), job(2, occupation_code=STEELFIXER),
            job(3, occupation_code=BRICKLAYER)]
    W, J, _ = build(vocab, [worker(100)], jobs)
    assert recommended_ids(recommend(W, J, vocab), J) == [3, 2, 1]


def test_nearer_work_ranks_higher_when_all_else_is_equal(vocab):
    jobs = [job(1, work_place_code=YUBEI), job(2, work_place_code=FENGDU_TOWN), job(3, work_place_code=WANZHOU),
            job(4, work_place_code=FENGDU)]
    W, J, _ = build(vocab, [worker(100)], jobs)
    assert recommended_ids(recommend(W, J, vocab), J) == [2, 4, 3, 1]


def test_a_worker_with_no_skills_or_preferences_gets_local_entry_level_jobs(vocab):
    jobs = [job(1, occupation_code=MUSHROOM, work_place_code=FENGDU_TOWN, min_labour_ability="weak"),
            job(2, occupation_code=COURIER, work_place_code=YUBEI),
            job(3, occupation_code=ELECTRICIAN, certificates=("电工证",)),
            job(4, occupation_code=BRICKLAYER, work_place_code=SHENZHEN)]
    newcomer = worker(100, skills=(), accepted_places=(), expected_wage_fen=None)
    W, J, _ = build(vocab, [newcomer], jobs)
    assert recommended_ids(recommend(W, J, vocab), J) == [1, 2]


def test_vectorised_scores_agree_with_the_explanation(vocab):
    rng = np.random.default_rng(7)
    W, J, certs = random_market(vocab, rng, 60, 120)
    rec = recommend(W, J, vocab)
    wi, ji, score = rec.pairs()
    assert len(wi) > 100
    for w, j, s in zip(wi, ji, score):
        ex = explain_pair(W, J, vocab, int(w), int(j), certs=certs)
        assert ex.recommendable
        assert ex.score == pytest.approx(float(s), abs=1e-4)


def test_weights_change_the_ranking_as_set(vocab):
    jobs = [job(1, occupation_code=BRICKLAYER, work_place_code=YUBEI),
            job(2, occupation_code=ELECTRICIAN, work_place_code=FENGDU_TOWN)]
    W, J, _ = build(vocab, [worker(100)], jobs)
    assert recommended_ids(recommend(W, J, vocab, Weights(occupation=1, distance=0.01)), J)[0] == 1
    assert recommended_ids(recommend(W, J, vocab, Weights(occupation=0.01, distance=1)), J)[0] == 2


def test_unknown_weight_names_are_refused():
    with pytest.raises(ValueError):
        Weights.from_mapping({"ocupation": 1})


# ---- blocking and profile sharing ---------------------------------------------------------
def random_market(vocab, rng, n_workers, n_jobs):
    codes = vocab.occupation_codes
    districts = [FENGDU, WANZHOU, YUBEI, "500233", "500101"]
    places = districts + [FENGDU_TOWN, SHENZHEN, "3205", "5101", "1101"]
    cert_names = ["电工证", "焊工证", "叉车证"]
    jobs = []
    for i in range(n_jobs):
        low = int(rng.integers(20, 80)) * 10_000
        jobs.append(JobRecord(
            id=i + 1, occupation_code=codes[rng.integers(len(codes))],
            work_place_code=places[rng.integers(len(places))],
            wage_min_fen=low, wage_max_fen=low + int(rng.integers(0, 30)) * 10_000,
            age_min=int(rng.choice([16, 18, 20])), age_max=int(rng.choice([40, 45, 50, 55, 60, 65])),
            min_labour_ability=str(rng.choice(["weak", "ordinary", "skilled"])),
            certificates=tuple(rng.choice(cert_names, int(rng.integers(0, 2)), replace=False)),
            remaining=int(rng.integers(0, 4)), expired=bool(rng.random() < 0.1),
            employer_score=float(rng.random())))
    workers = []
    for i in range(n_workers):
        d = districts[rng.integers(len(districts))]
        workers.append(WorkerRecord(
            id=1000 + i, district_code=d, township_code=FENGDU_TOWN if d == FENGDU and rng.random() < 0.5 else "",
            age=int(rng.integers(16, 66)), labour_ability=str(rng.choice(["weak", "ordinary", "skilled"])),
            expected_wage_fen=int(rng.choice([0, 300_000, 450_000, 600_000])),
            accepted_places=tuple(rng.choice(["in_county", "in_city", "out_of_city", "abroad"],
                                             int(rng.integers(0, 4)), replace=False)),
            skills=tuple(rng.choice(codes, int(rng.integers(0, 3)), replace=False)),
            certificates=tuple(rng.choice(cert_names, int(rng.integers(0, 3)), replace=False)),
            unemployed=bool(rng.random() < 0.7), monitored=bool(rng.random() < 0.2)))
    certs = certificate_index(jobs)
    return workers_from_records(workers, vocab, certs), jobs_from_records(jobs, vocab, certs), certs


DEEP = RankConfig(list_depth=512, context_depth=512, code_depth=512, depth=2000,
                  max_list_depth=512)


def test_with_lists_deeper_than_the_data_the_ranker_equals_brute_force(vocab):
    W, J, _ = random_market(vocab, np.random.default_rng(11), 80, 150)
    ranked = recommend(W, J, vocab, config=DEEP)
    brute = brute_force(W, J, vocab)
    np.testing.assert_allclose(ranked.score, brute.score, atol=1e-5)
    assert (ranked.count() == brute.count()).all()


def test_default_depths_keep_most_of_the_brute_force_top_ten(vocab):
    W, J, _ = random_market(vocab, np.random.default_rng(3), 200, 400)
    ranked, brute = recommend(W, J, vocab), brute_force(W, J, vocab)
    found = sum(len(set(ranked.job[i][ranked.job[i] >= 0]) & set(brute.job[i][brute.job[i] >= 0]))
                for i in range(len(W)))
    assert found / max(1, (brute.job >= 0).sum()) > 0.9


def test_workers_sharing_a_profile_share_one_ranking(vocab):
    twins = [worker(100 + i, township_code="") for i in range(5)]
    W, J, _ = build(vocab, twins, [job(i + 1, wage_min_fen=400_000 + i * 10_000) for i in range(8)])
    rec = recommend(W, J, vocab)
    assert rec.stats["profiles"] == 1
    assert all((rec.job[i] == rec.job[0]).all() for i in range(5))
