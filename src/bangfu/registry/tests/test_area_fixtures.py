"""The area codes that ``bangfu.core.testing`` builds its isolation tests on are real and related
as it says (core keeps them as constants so that it reads no registry data)."""

from bangfu.core import testing
from bangfu.registry import reference


def test_the_own_and_sibling_townships_are_two_townships_of_the_own_district():
    divisions = reference.divisions()
    own, sibling = divisions[testing.OWN_TOWNSHIP], divisions[testing.SIBLING_TOWNSHIP]
    assert testing.OWN_TOWNSHIP != testing.SIBLING_TOWNSHIP
    assert own["parent_code"] == sibling["parent_code"] == testing.OWN_DISTRICT


def test_the_foreign_township_lies_in_the_foreign_district_and_not_in_the_own_one():
    divisions = reference.divisions()
    assert divisions[testing.FOREIGN_TOWNSHIP]["parent_code"] == testing.FOREIGN_DISTRICT
    assert testing.FOREIGN_DISTRICT != testing.OWN_DISTRICT
    assert divisions[testing.OWN_DISTRICT]["parent_code"] == divisions[testing.FOREIGN_DISTRICT]["parent_code"] == "50"
