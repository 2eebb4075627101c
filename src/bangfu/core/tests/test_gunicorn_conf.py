"""How many web workers ``bangfu serve`` starts by default (``core.gunicorn_conf``)."""

import pytest

from bangfu.core.gunicorn_conf import default_workers


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 3), (8, 9), (16, 17), (64, 17)])
def test_one_worker_per_core_and_one_more_within_bounds(cores, workers):
    assert default_workers(cores) == workers
