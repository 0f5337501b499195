import pytest

from ntm.units.models import Unit
from ntm.units.scope import covers, narrowest, prefixes, within_paths

pytestmark = pytest.mark.django_db


def test_narrowest_drops_paths_covered_by_a_shorter_one():
    assert narrowest(["49/506/20515/", "49/", "48/490/"]) == ["48/490/", "49/"]


def test_prefixes_of_a_path():
    assert prefixes("49/506/20515/") == ["49/", "49/506/", "49/506/20515/"]


def test_within_paths_matches_nothing_for_no_paths(units):
    assert Unit.objects.filter(within_paths([])).count() == 0
    assert Unit.objects.within_any([]).count() == 0


def test_within_any_with_lineage_keeps_old_communes_with_their_successor(units):
    ha_nha = units["ha_nha"]

    plain = set(Unit.objects.within_any([ha_nha.path]))
    followed = list(Unit.objects.within_any([ha_nha.path], lineage=True))

    assert units["dai_dong"] not in plain
    assert units["dai_dong"] in followed
    assert len(followed) == len(set(followed))


def test_within_any_above_adds_the_units_above_each_path(units):
    ha_nha = units["ha_nha"]

    found = set(Unit.objects.within_any([ha_nha.path], above=True))

    assert found == {ha_nha, units["city"]}


def test_covers_one_unit_as_within_paths_does(units):
    ha_nha, dai_dong = units["ha_nha"], units["dai_dong"]

    assert covers([ha_nha.path], ha_nha)
    assert not covers([ha_nha.path], units["city"])
    assert covers([ha_nha.path], units["city"], above=True)
    assert not covers([ha_nha.path], dai_dong)
    assert covers([ha_nha.path], dai_dong, lineage=True)
    assert not covers([units["vu_gia"].path], dai_dong, lineage=True)
    assert not covers([], ha_nha) and not covers([ha_nha.path], None)


def test_covers_asks_the_database_only_for_lineage_of_an_ended_unit(
    units, django_assert_num_queries
):
    ha_nha, vu_gia = units["ha_nha"], units["vu_gia"]

    with django_assert_num_queries(0):
        assert not covers([vu_gia.path], ha_nha, lineage=True)
    with django_assert_num_queries(1):
        assert covers([ha_nha.path], units["dai_dong"], lineage=True)
