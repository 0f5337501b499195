import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.models import Membership, Office, Role, User
from ntm.accounts.services import (
    AccountError,
    create_account,
    create_totp_device,
    delete_totp_device,
    grant_role,
    revoke_role,
)
from ntm.core.models import ActionLog
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db

KEY = "3132333435363738393031323334353637383930"


def account_logs():
    # The reference units are loaded through audited services too.
    return ActionLog.objects.filter(action__startswith="accounts.").order_by("id")


def actions():
    return list(account_logs().values_list("action", flat=True))


def test_create_account_sets_a_usable_password_and_logs_it():
    admin = UserFactory()

    user = create_account(
        username="nguyenvana",
        password="mot-mat-khau-dai",
        full_name="Nguyễn Văn A",
        by=admin,
    )

    user.refresh_from_db()
    assert user.full_name == "Nguyễn Văn A"
    assert user.check_password("mot-mat-khau-dai")
    assert actions() == ["accounts.user.created"]
    assert account_logs().get().actor == admin


def test_create_account_refuses_a_taken_username_whatever_the_case():
    UserFactory(username="nguyenvana")

    with pytest.raises(AccountError):
        create_account(username="NguyenVanA", password="x", full_name="A", by=None)

    assert User.objects.count() == 1


def test_grant_role_creates_the_membership_and_logs_it(units, district_admin):
    user = UserFactory()

    membership = grant_role(
        user, unit=units["ha_nha"], role=Role.COMMUNE_OFFICER, by=district_admin
    )

    assert list(user.memberships.all()) == [membership]
    log = account_logs().get()
    assert log.action == "accounts.membership.granted"
    assert log.actor == district_admin
    assert log.data == {
        "user": user.username,
        "unit": "20515",
        "role": "commune_officer",
        "office": "",
        "chairs_council": False,
    }


def test_only_a_council_member_chairs_the_council(units, district_admin):
    user = UserFactory()

    with pytest.raises(AccountError, match="Chỉ thành viên hội đồng"):
        grant_role(
            user,
            unit=units["city"],
            role=Role.COMMUNE_OFFICER,
            chairs_council=True,
            by=district_admin,
        )
    chair = grant_role(
        user,
        unit=units["city"],
        role=Role.COUNCIL_MEMBER,
        chairs_council=True,
        by=district_admin,
    )

    assert chair.chairs_council
    assert account_logs().get().data["chairs_council"] is True


def test_grant_role_works_from_code_without_an_actor(units):
    user = UserFactory()

    grant_role(user, unit=units["city"], role=Role.DISTRICT_ADMIN, by=None)

    assert account_logs().get().actor is None


def test_grant_role_gives_office_staff_their_office(units):
    user = UserFactory()

    membership = grant_role(
        user, unit=units["city"], role=Role.OFFICE_STAFF, office=Office.CULTURE, by=None
    )

    assert membership.office == Office.CULTURE


@pytest.mark.parametrize(
    ("role", "office"),
    [(Role.OFFICE_STAFF, ""), (Role.COMMUNE_OFFICER, Office.CULTURE)],
)
def test_grant_role_refuses_an_office_that_does_not_fit_the_role(units, role, office):
    user = UserFactory()

    with pytest.raises(AccountError):
        grant_role(user, unit=units["ha_nha"], role=role, office=office, by=None)

    assert not Membership.objects.exists()


def test_grant_role_refuses_a_unit_that_no_longer_exists(units):
    user = UserFactory()

    with pytest.raises(AccountError):
        grant_role(user, unit=units["dai_dong"], role=Role.COMMUNE_OFFICER, by=None)

    assert not Membership.objects.exists()


def test_grant_role_refuses_the_same_role_twice(units, commune_officer):
    with pytest.raises(AccountError):
        grant_role(
            commune_officer, unit=units["ha_nha"], role=Role.COMMUNE_OFFICER, by=None
        )

    assert commune_officer.memberships.count() == 1
    assert actions() == []


def test_revoke_role_deletes_the_membership_and_logs_it(
    district_admin, commune_officer
):
    membership = commune_officer.memberships.get()
    pk = membership.pk

    revoke_role(membership, by=district_admin)

    assert not commune_officer.memberships.exists()
    log = account_logs().get()
    assert log.action == "accounts.membership.revoked"
    assert log.object_id == str(pk)
    assert log.data["unit"] == "20515"


def test_revoke_role_refuses_an_admin_revoking_their_own_admin_role(district_admin):
    membership = district_admin.memberships.get()

    with pytest.raises(AccountError):
        revoke_role(membership, by=district_admin)

    assert district_admin.memberships.count() == 1


def test_revoke_role_lets_an_admin_above_remove_an_admin(units):
    top = make_member(units["city"], Role.DISTRICT_ADMIN)
    below = make_member(units["ha_nha"], Role.DISTRICT_ADMIN)

    revoke_role(below.memberships.get(), by=top)

    assert not below.memberships.exists()


def test_create_totp_device_replaces_earlier_devices_and_logs_it(commune_officer):
    TOTPDevice.objects.create(user=commune_officer, name="Cũ", confirmed=False)

    device = create_totp_device(commune_officer, key=KEY, by=commune_officer)

    assert list(TOTPDevice.objects.filter(user=commune_officer)) == [device]
    assert device.confirmed
    assert device.key == KEY
    assert actions() == ["accounts.device.created"]


def test_delete_totp_device_removes_it_and_logs_it(commune_officer):
    device = create_totp_device(commune_officer, key=KEY, by=commune_officer)

    delete_totp_device(device, by=commune_officer)

    assert not TOTPDevice.objects.exists()
    assert actions() == ["accounts.device.created", "accounts.device.deleted"]


def test_delete_totp_device_refuses_district_admins(admin_device, district_admin):
    with pytest.raises(AccountError):
        delete_totp_device(admin_device, by=district_admin)

    assert TOTPDevice.objects.count() == 1
