import pytest

from ntm.units.models import Unit
from ntm.units.scope import narrowest, prefixes, within_paths

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
