"""The generated pushes and services keep the article's proportions at a small scale."""

from __future__ import annotations

import numpy as np

from bangfu.jobs.generate_services import PUSHES_JAN_SEP, REFERENCE_PEOPLE, SERVICES_JAN_SEP, make_services
from bangfu.registry.generate.context import GenerateContext


def small_world(people: int) -> GenerateContext:
    ctx = GenerateContext(seed=7, people=people)
    ctx.persons = {"household_index": np.arange(people), "is_worker": np.arange(people) % 3 != 0}
    return ctx


def test_january_to_september_has_the_articles_pushes_and_services_scaled_to_the_population():
    ctx = small_world(19_000)  # 1/100 of the scenario
    pushes, services = make_services(ctx, ctx.rng_for("jobs-services"), posting_count=300)
    jan_sep = [p for p in pushes if p[2] <= f"{ctx.as_of.year}-09"]
    scale = 19_000 / REFERENCE_PEOPLE
    assert abs(len(jan_sep) - PUSHES_JAN_SEP * scale) <= 9  # rounding of the nine months
    assert abs(sum(1 for s in services if s[2] <= f"{ctx.as_of.year}-09") - SERVICES_JAN_SEP * scale) <= 9
    assert {p[2][:4] for p in pushes} == {str(ctx.as_of.year)}


def test_a_worker_is_never_pushed_the_same_posting_twice_and_only_workers_are_reached():
    ctx = small_world(3_000)
    pushes, services = make_services(ctx, ctx.rng_for("jobs-services"), posting_count=20)
    pairs = [(p, j) for p, j, _m, _d in pushes]
    assert len(pairs) == len(set(pairs))
    workers = set(np.flatnonzero(ctx.persons["is_worker"]).tolist())
    assert {p for p, *_ in pushes} <= workers and {s[0] for s in services} <= workers
