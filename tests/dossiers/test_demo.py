import random

import pytest

from ntm.accounts.models import Role
from ntm.dossiers import demo
from ntm.dossiers.models import Dossier
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_build_makes_one_dossier_per_new_commune_at_each_step(units, commune_set):
    make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="xa.hanha")
    make_member(units["city"], Role.COUNCIL_MEMBER, chairs=True, username="hoidong")
    make_member(units["city"], Role.DISTRICT_ADMIN, username="admin")

    made = demo.build(random.Random(1))

    statuses = dict(Dossier.objects.values_list("unit__code", "status"))
    assert made == 5
    assert statuses == {
        "20542": "draft",
        "20515": "posted",
        "20539": "submitted",
        "20506": "under_appraisal",
        # No figures entered: the council finds criteria unmet and it is refused.
        "20500": "refused",
    }
    assert set(Dossier.objects.values_list("is_demo", flat=True)) == {True}


def test_build_twice_makes_nothing_more(units, commune_set):
    demo.build(random.Random(1))

    assert demo.build(random.Random(1)) == 0
    assert Dossier.objects.count() == 5
