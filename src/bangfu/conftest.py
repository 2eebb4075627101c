"""Shared pytest fixtures: users by role and area."""

import pytest

from bangfu.accounts.tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def make_user(db):
    def _make(role: str = "city_admin", area_code: str = "50", **kwargs):
        return UserFactory(role=role, area_code=area_code, **kwargs)

    return _make


@pytest.fixture
def test_password():
    return TEST_PASSWORD
