"""Villages in the order people count them, in SQL: Thôn 1, 2, … 10."""

import django.apps
import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.households.models import Household
from ntm.units.models import Unit
from ntm.units.services import update_unit

from ..factories import HouseholdFactory, make_member, make_unit

pytestmark = pytest.mark.django_db

fill_sort_keys = __import__(
    "ntm.units.migrations.0003_unit_sort_key", fromlist=["fill_sort_keys"]
).fill_sort_keys


@pytest.fixture
def numbered(units):
    """Thôn 10, 2 and 1 of Xã Hà Nha, coded in that order (codes need not
    follow the names), and Thôn 3 of Xã Vu Gia."""
    commune = units["ha_nha"]
    made = {
        name: make_unit(
            code, name, Unit.Kind.VILLAGE, commune, valid_from=commune.valid_from
        )
        for code, name in [
            ("2051501", "Thôn 10"),
            ("2051502", "Thôn 2"),
            ("2051503", "Thôn 1"),
        ]
    }
    made["Vu Gia 3"] = make_unit(
        "2053903",
        "Thôn 3",
        Unit.Kind.VILLAGE,
        units["vu_gia"],
        valid_from=units["vu_gia"].valid_from,
    )
    return made


def names(units):
    return [unit.name for unit in units]


def test_villages_of_a_commune_sort_naturally_in_the_database(numbered, units):
    villages = Unit.objects.filter(parent=units["ha_nha"]).in_natural_order()

    assert names(villages) == ["Thôn 1", "Thôn 2", "Thôn 10"]


def test_villages_of_several_communes_stay_grouped_by_commune(numbered):
    villages = Unit.objects.villages().in_natural_order()

    assert names(villages) == ["Thôn 1", "Thôn 2", "Thôn 10", "Thôn 3"]


def test_a_renamed_village_moves_to_its_new_place(numbered, units):
    update_unit(numbered["Thôn 10"], name="Thôn 0", by=None)

    villages = Unit.objects.filter(parent=units["ha_nha"]).in_natural_order()
    assert names(villages) == ["Thôn 0", "Thôn 1", "Thôn 2"]


def test_units_above_villages_keep_the_statistics_office_order(units):
    communes = Unit.objects.valid_on().communes().in_natural_order()

    assert [unit.code for unit in communes] == sorted(unit.code for unit in communes)


def test_the_migration_fills_the_key_of_existing_units(numbered, units):
    Unit.objects.update(sort_key="")

    fill_sort_keys(django.apps.apps, None)

    villages = Unit.objects.filter(parent=units["ha_nha"]).in_natural_order()
    assert names(villages) == ["Thôn 1", "Thôn 2", "Thôn 10"]
    assert not Unit.objects.filter(sort_key="").exists()


def test_unit_page_lists_its_villages_naturally(client, numbered):
    response = client.get(reverse("units:unit-detail", args=["20515"]))

    assert names(response.context["children"]) == ["Thôn 1", "Thôn 2", "Thôn 10"]


def test_household_register_lists_villages_and_households_naturally(client, numbered):
    officer = make_member(numbered["Thôn 1"].parent, Role.COMMUNE_OFFICER)
    for name in ("Thôn 10", "Thôn 2", "Thôn 1"):
        HouseholdFactory(village=numbered[name], code=f"HH-{name[-2:].strip()}")
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(reverse("households:household-list"))
    facilities = client.get(reverse("households:facility-list"))

    villages = response.context["form"].fields["village"].queryset
    assert names(villages) == ["Thôn 1", "Thôn 2", "Thôn 10"]
    assert [h.village.name for h in response.context["page"]] == [
        "Thôn 1",
        "Thôn 2",
        "Thôn 10",
    ]
    assert [row["village"].name for row in facilities.context["rows"]] == [
        "Thôn 1",
        "Thôn 2",
        "Thôn 10",
    ]
    assert [h.village.name for h in Household.objects.all()] == [
        "Thôn 1",
        "Thôn 2",
        "Thôn 10",
    ]
