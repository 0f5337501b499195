import pytest

from ntm.core.changes import change_fields, refuse_unknown

pytestmark = pytest.mark.django_db


def test_change_fields_sets_the_values_and_says_what_changed(units):
    unit = units["ha_nha"]
    old_name = unit.name

    changes = change_fields(unit, {"name": "Xã Hà Nha mới"}, ["name", "area_km2"])

    assert unit.name == "Xã Hà Nha mới"
    assert changes == {
        "name": {"label": "Tên", "old": old_name, "new": "Xã Hà Nha mới"}
    }


def test_change_fields_gives_nothing_when_the_values_stay(units):
    unit = units["ha_nha"]

    assert change_fields(unit, {"name": unit.name}, ["name"]) == {}


def test_change_fields_compares_after_the_check_has_tidied_the_values(units):
    unit = units["ha_nha"]
    old_name = unit.name

    def tidy(record):
        record.name = record.name.strip()

    changes = change_fields(unit, {"name": f"  {old_name}  "}, ["name"], check=tidy)

    assert changes == {}


def test_change_fields_lets_the_check_refuse(units):
    unit = units["ha_nha"]

    def refuse(record):
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        change_fields(unit, {"name": "X"}, ["name"], check=refuse)


def test_refuse_unknown_names_the_fields_a_service_does_not_edit():
    refuse_unknown({"name": "x"}, ["name", "area_km2"])

    with pytest.raises(TypeError, match="Unknown fields: colour, size"):
        refuse_unknown({"name": "x", "size": 1, "colour": 2}, ["name"])
