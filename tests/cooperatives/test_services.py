import datetime
from decimal import Decimal

import pytest

from ntm.cooperatives.models import Cooperative, LinkageModel
from ntm.cooperatives.services import (
    CooperativeError,
    delete_cooperative,
    delete_linkage_model,
    update_cooperative,
    update_linkage_model,
)
from ntm.core.models import ActionLog

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_cooperative_logs_fields_and_technologies(old, make_cooperative):
    cooperative = make_cooperative(old["20515"], digital=True, code="HTX1")

    entry = ActionLog.objects.for_object(cooperative).get()
    assert entry.action == "cooperatives.cooperative.created"
    assert entry.data["changes"]["technologies"]["new"] == "Thương mại điện tử"


def test_cooperative_code_is_unique(old, make_cooperative):
    make_cooperative(old["20515"], code="HTX1")

    with pytest.raises(CooperativeError, match="HTX1"):
        make_cooperative(old["20512"], code="HTX1")


def test_cooperative_must_be_registered_in_a_commune(units, make_cooperative):
    with pytest.raises(CooperativeError, match="xã"):
        make_cooperative(units["district"])


def test_digital_answer_must_agree_with_the_technologies(
    old, ecommerce, make_cooperative
):
    cooperative = make_cooperative(old["20515"])

    with pytest.raises(CooperativeError, match="ít nhất một"):
        update_cooperative(cooperative, applies_digital_technology=True, by=None)
    cooperative.refresh_from_db()
    with pytest.raises(CooperativeError, match="không ứng dụng"):
        update_cooperative(cooperative, technologies=[ecommerce], by=None)


def test_founding_date_cannot_be_in_the_future(old, make_cooperative):
    with pytest.raises(CooperativeError, match="hôm nay"):
        make_cooperative(old["20515"], founded_on=datetime.date(2999, 1, 1))


def test_update_cooperative_logs_only_changes(old, make_cooperative):
    cooperative = make_cooperative(old["20515"], members=10)
    user = UserFactory()

    update_cooperative(cooperative, members=12, by=user)
    update_cooperative(cooperative, members=12, by=user)

    changed = ActionLog.objects.filter(action="cooperatives.cooperative.changed")
    assert [e.data["changes"]["members"]["new"] for e in changed] == [12]


def test_cooperative_with_linkage_models_is_not_deleted(
    old, make_cooperative, make_linkage
):
    cooperative = make_cooperative(old["20515"])
    model = make_linkage(cooperative)

    with pytest.raises(CooperativeError, match="Đang hoạt động"):
        delete_cooperative(cooperative, by=None)
    delete_linkage_model(model, by=None)
    delete_cooperative(cooperative, by=None)

    assert not Cooperative.objects.exists()
    assert ActionLog.objects.filter(action__endswith=".deleted").count() == 2


def test_linkage_raw_material_area_rules(old, make_cooperative, make_linkage):
    cooperative = make_cooperative(old["20515"])

    with pytest.raises(CooperativeError, match="vùng nguyên liệu"):
        make_linkage(cooperative, has_raw_material_area=True, raw_material_area="")
    with pytest.raises(CooperativeError, match="chưa chọn"):
        make_linkage(cooperative, area_ha=Decimal(5))
    with pytest.raises(CooperativeError, match="Năm bắt đầu"):
        make_linkage(cooperative, started_year=1980)
    assert not LinkageModel.objects.exists()


def test_update_linkage_logs_the_change(old, make_cooperative, make_linkage):
    model = make_linkage(make_cooperative(old["20515"]))

    update_linkage_model(model, tied_to_sales=True, by=None)

    entry = ActionLog.objects.get(action="cooperatives.linkage.changed")
    assert entry.data["changes"]["tied_to_sales"]["new"] is True
