"""The ranker's pair tables against ``score_pairs``, and string columns encoded by integer keys.
No Django."""

from __future__ import annotations

import dataclasses

import numpy as np

from bangfu.engine.matching import PairSet, Weights, WorkerGroups, score_pairs
from bangfu.engine.matching import data
from bangfu.engine.matching.data import _factorize, workers_from_columns
from bangfu.engine.matching.pairs import PairTables
from bangfu.engine.tests.test_matching import random_market, vocab  # noqa: F401 - the fixture


def test_pair_tables_give_the_scores_and_vetoes_of_score_pairs(vocab):  # noqa: F811
    W, J, _ = random_market(vocab, np.random.default_rng(7), 120, 300)
    weights = Weights()
    pushed = PairSet(W.id[:40], J.id[:40])
    groups = WorkerGroups.of(W, vocab)
    tables = PairTables.build(W, groups, J, vocab, weights, pushed)
    widx = np.arange(len(W))
    cand = np.tile(np.arange(len(J), dtype=np.int32), (len(W), 1))
    partial = tables.scores(widx, cand)
    ok = np.isfinite(partial) & ~tables.vetoed(widx, cand)
    score, vetoes = score_pairs(W, groups, J, np.repeat(widx, len(J)), cand.ravel().astype(np.int64),
                                weights, pushed)
    np.testing.assert_array_equal(ok.ravel(), vetoes == 0)
    assert ok.sum() > 1000 and (~ok).sum() > 1000
    full = (partial + tables.w_const[:, None]).ravel()
    np.testing.assert_allclose(full[vetoes == 0], score[vetoes == 0], atol=1e-5)


def test_fixed_width_string_columns_encode_like_python_strings(vocab):  # noqa: F811
    W, _, certs = random_market(vocab, np.random.default_rng(8), 200, 50)
    codes = [",".join(vocab.occupation_codes[c] for c in row if c >= 0) for row in W.codes]
    columns = dict(id=W.id, district_code=[vocab.district_codes[d] for d in W.district],
                   township_code=[vocab.township_codes[t] if t >= 0 else "" for t in W.township],
                   age=W.age, labour_ability=["weak", "ordinary", "skilled", "ordinary"] * 50,
                   expected_wage_fen=W.expected_wage, place_mask=W.accepted, skills=codes,
                   certificates=["电工证", "", "焊工证,叉车证", ""] * 50)
    as_objects = workers_from_columns(vocab=vocab, certs=certs, **{
        k: np.array(v, dtype=object) if isinstance(v, list) else v for k, v in columns.items()})
    as_fixed = workers_from_columns(vocab=vocab, certs=certs, **{
        k: np.array(v) if isinstance(v, list) else v for k, v in columns.items()})
    for f in dataclasses.fields(as_objects):
        np.testing.assert_array_equal(getattr(as_fixed, f.name), getattr(as_objects, f.name))


def test_a_hash_collision_falls_back_to_sorting_the_strings(monkeypatch):
    values = np.array(["b" * 9, "a" * 9, "b" * 9, "c"])
    inverse, distinct = _factorize(values)
    assert [distinct[i] for i in inverse] == values.tolist() and len(distinct) == 3
    # every string gets the same hashed key: the check sees it and sorts the strings instead
    monkeypatch.setattr(data, "_string_keys", lambda arr: (np.zeros(len(arr), np.uint64), False))
    inverse, distinct = _factorize(values)
    assert [distinct[i] for i in inverse] == values.tolist() and sorted(distinct) == distinct
