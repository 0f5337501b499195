import pytest

from ntm.core.models import ActionLog
from ntm.households.indicators import household_shares
from ntm.households.models import Facility, Household
from ntm.households.services import (
    HouseholdError,
    archive_household,
    create_facility,
    create_household,
    delete_facility,
    delete_household,
    restore_household,
    update_facility,
    update_household,
)
from ntm.indicators.providers import fraction
from ntm.surveys.models import Response
from tests.factories import BEFORE_2025, UserFactory, make_village

pytestmark = pytest.mark.django_db


def test_create_household_folds_search_text_and_logs_it(villages, platforms):
    user = UserFactory()

    household = create_household(
        village=villages["hn1"],
        by=user,
        code="HN-001",
        head_name="Nguyễn Văn An",
        members=5,
        address="Thôn Đông Hòa",
        address_code="DL.0001",
        ecommerce_platforms=[platforms["voso"]],
    )

    household.refresh_from_db()
    assert household.search_text == "hn-001 nguyen van an thon dong hoa dl.0001"
    assert list(household.ecommerce_platforms.all()) == [platforms["voso"]]
    log = ActionLog.objects.for_object(household).get()
    assert (log.action, log.actor) == ("households.household.created", user)
    assert log.data["changes"]["head_name"]["new"] == "Nguyễn Văn An"
    assert log.data["changes"]["ecommerce_platforms"]["new"] == "Voso.vn"


def test_create_household_refuses_a_commune(units):
    with pytest.raises(HouseholdError):
        create_household(
            village=units["ha_nha"], by=None, code="X1", head_name="A", members=1
        )

    assert Household.objects.count() == 0


def test_create_household_refuses_a_village_that_no_longer_exists(units):
    old_village = make_village(units["dai_dong"], 9, valid_to=BEFORE_2025)

    with pytest.raises(HouseholdError, match="không còn hiệu lực"):
        create_household(
            village=old_village, by=None, code="X1", head_name="A", members=1
        )

    assert Household.objects.count() == 0


def test_create_household_refuses_a_taken_address_code(villages, make_household):
    make_household(villages["hn1"], address_code="DL.0001")

    with pytest.raises(HouseholdError, match="DL.0001"):
        make_household(villages["hn2"], address_code="DL.0001")

    assert Household.objects.count() == 1


def test_create_household_refuses_a_taken_code(villages, make_household):
    make_household(villages["hn1"], code="HN-1")

    with pytest.raises(HouseholdError, match="HN-1"):
        make_household(villages["hn2"], code="HN-1")


def test_create_household_refuses_more_health_app_users_than_members(villages):
    with pytest.raises(HouseholdError):
        create_household(
            village=villages["hn1"],
            by=None,
            code="X1",
            head_name="A",
            members=2,
            health_app_members=3,
        )


def test_create_household_stores_a_blank_address_code_as_null(villages, make_household):
    first = make_household(villages["hn1"], address_code="")
    second = make_household(villages["hn1"], address_code="")

    assert (first.address_code, second.address_code) == (None, None)


def test_update_household_logs_changed_fields_and_platforms(
    villages, platforms, make_household
):
    household = make_household(villages["hn1"], head_name="Lê Văn Cường")
    user = UserFactory()

    update_household(
        household,
        by=user,
        head_name="Lê Thị Dung",
        has_fibre=True,
        ecommerce_platforms=[platforms["postmart"], platforms["voso"]],
    )

    household.refresh_from_db()
    assert household.search_text.startswith(f"{household.code.lower()} le thi dung")
    log = ActionLog.objects.for_object(household).first()
    assert log.action == "households.household.changed"
    assert log.actor == user
    assert log.data["changes"] == {
        "head_name": {
            "label": "Họ tên chủ hộ",
            "old": "Lê Văn Cường",
            "new": "Lê Thị Dung",
        },
        "has_fibre": {"label": "Có Internet cáp quang", "old": False, "new": True},
        "ecommerce_platforms": {
            "label": "Sàn thương mại điện tử tham gia",
            "old": "",
            "new": "PostMart.vn, Voso.vn",
        },
    }


def test_update_household_without_changes_logs_nothing(villages, make_household):
    household = make_household(villages["hn1"])

    update_household(household, by=None, members=household.members)

    assert list(
        ActionLog.objects.for_object(household).values_list("action", flat=True)
    ) == ["households.household.created"]


def test_update_household_refuses_a_clash_and_keeps_the_row(villages, make_household):
    make_household(villages["hn1"], address_code="DL.1")
    household = make_household(villages["hn1"], address_code="DL.2")

    with pytest.raises(HouseholdError):
        update_household(household, by=None, address_code="DL.1")

    household.refresh_from_db()
    assert household.address_code == "DL.2"


def test_update_household_refuses_a_new_code(villages, make_household):
    household = make_household(villages["hn1"])

    with pytest.raises(TypeError):
        update_household(household, by=None, code="NEW")


def test_delete_household_removes_it_and_keeps_an_audit_entry(villages, make_household):
    household = make_household(villages["hn1"], code="HN-9")
    pk = household.pk

    delete_household(household, by=None)

    assert not Household.objects.filter(pk=pk).exists()
    log = ActionLog.objects.filter(action="households.household.deleted").get()
    assert (log.object_id, log.data["facts"]["code"]) == (str(pk), "HN-9")


def test_create_facility_allows_one_cultural_house_per_village(villages):
    create_facility(
        village=villages["hn1"],
        by=None,
        kind=Facility.Kind.CULTURAL_HOUSE,
        name="Nhà văn hóa thôn 1",
    )

    with pytest.raises(HouseholdError):
        create_facility(
            village=villages["hn1"],
            by=None,
            kind=Facility.Kind.CULTURAL_HOUSE,
            name="Nhà văn hóa thứ hai",
        )

    assert Facility.objects.count() == 1


def test_update_facility_logs_the_wifi_change(villages):
    facility = create_facility(
        village=villages["hn1"], by=None, kind=Facility.Kind.CULTURAL_HOUSE, name="NVH"
    )
    user = UserFactory()

    update_facility(facility, by=user, has_wifi=True)

    log = ActionLog.objects.for_object(facility).first()
    assert log.action == "households.facility.changed"
    assert log.data["changes"]["has_wifi"]["new"] is True


def test_delete_facility_logs_it(villages):
    facility = create_facility(
        village=villages["hn1"], by=None, kind=Facility.Kind.WIFI_POINT, name="Chợ"
    )

    delete_facility(facility, by=None)

    assert Facility.objects.count() == 0
    assert ActionLog.objects.filter(action="households.facility.deleted").count() == 1


def test_delete_household_that_answered_a_survey_is_refused_saying_why(answered):
    with pytest.raises(HouseholdError) as refused:
        delete_household(answered, by=None)

    assert str(refused.value) == (
        f"Không thể xóa hộ gia đình “{answered}”: còn 1 phiếu trả lời gắn với nó."
        " Hãy chuyển hộ sang “ngừng theo dõi”: hộ rời sổ và các chỉ tiêu, phiếu"
        " khảo sát của hộ vẫn được giữ."
    )
    assert Household.objects.get() == answered
    assert not ActionLog.objects.filter(action="households.household.deleted")


def test_archive_household_takes_it_off_the_register_and_the_indicators(
    answered, villages, make_household
):
    followed = make_household(villages["hn1"], has_fibre=True)
    user = UserFactory()

    archive_household(answered, by=user, reason="Chuyển vào Đà Nẵng")

    answered.refresh_from_db()
    assert answered.left_reason == "Chuyển vào Đà Nẵng"
    assert list(Household.objects.all()) == [followed]
    assert list(Household.all_objects.left()) == [answered]
    fibre = household_shares()["SV.FIBRE"][villages["hn1"].pk]
    assert fibre == fraction(1, 1)
    assert Response.objects.in_unit(villages["hn1"].parent).count() == 1
    log = ActionLog.objects.for_object(answered).first()
    assert (log.action, log.actor, log.data["note"]) == (
        "households.household.archived",
        user,
        "Chuyển vào Đà Nẵng",
    )


def test_archive_household_needs_a_reason_and_a_followed_household(answered):
    with pytest.raises(HouseholdError, match="lý do"):
        archive_household(answered, by=None, reason="  ")
    archive_household(answered, by=None, reason="Chuyển đi")

    with pytest.raises(HouseholdError, match="đã ngừng theo dõi"):
        archive_household(answered, by=None, reason="Lần nữa")


def test_restore_household_brings_it_back_to_the_register(answered):
    archive_household(answered, by=None, reason="Nhầm")

    restore_household(answered, by=None)

    assert list(Household.objects.all()) == [answered]
    assert (answered.left_on, answered.left_reason) == (None, "")
    assert ActionLog.objects.for_object(answered).first().action == (
        "households.household.restored"
    )


def test_create_household_refuses_the_code_of_one_no_longer_followed(
    answered, villages
):
    archive_household(answered, by=None, reason="Chuyển đi")

    with pytest.raises(HouseholdError, match="đã được dùng"):
        create_household(
            village=villages["hn2"], by=None, code=answered.code, head_name="Mới"
        )
