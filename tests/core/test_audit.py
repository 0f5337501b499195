import pytest

from ntm.core.audit import diff, log_action, log_actions, snapshot
from ntm.core.models import ActionLog
from ntm.units.models import Unit

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_action_and_object(units):
    user = UserFactory()
    unit = units["ha_nha"]

    log_action(unit, "units.unit.changed", by=user, data={"note": "x"})

    entry = ActionLog.objects.for_object(unit).first()
    assert (entry.actor, entry.action, entry.object_repr) == (
        user,
        "units.unit.changed",
        "Xã Hà Nha",
    )


def test_diff_lists_only_changed_fields_with_labels(units):
    unit = units["ha_nha"]
    before = snapshot(unit, ["name", "area_km2"])
    unit.name = "Xã Hà Nha mới"

    changes = diff(unit, before, snapshot(unit, ["name", "area_km2"]))

    assert changes == {
        "name": {"label": "Tên", "old": "Xã Hà Nha", "new": "Xã Hà Nha mới"}
    }


def test_log_actions_writes_one_row_per_object_in_bulk(units):
    communes = list(Unit.objects.valid_on().communes())
    ActionLog.objects.all().delete()

    log_actions(communes, "units.unit.checked", by=None)

    assert ActionLog.objects.filter(action="units.unit.checked").count() == 5
    assert ActionLog.objects.filter(actor__isnull=False).count() == 0
