import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts import permissions
from ntm.accounts.models import Office, Role
from ntm.accounts.services import grant_role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_can_grant_membership_covers_units_below_the_admins_unit(
    units, villages, district_admin
):
    assert permissions.can_grant_membership(district_admin, units["city"])
    assert permissions.can_grant_membership(district_admin, villages["vg1"])


def test_can_grant_membership_refuses_a_sibling_unit(units):
    admin = make_member(units["ha_nha"], Role.DISTRICT_ADMIN)

    assert not permissions.can_grant_membership(admin, units["vu_gia"])
    assert not permissions.can_grant_membership(admin, units["city"])


def test_can_grant_membership_refuses_other_roles(units, commune_officer):
    assert not permissions.can_grant_membership(commune_officer, units["ha_nha"])


def test_can_delete_device_needs_a_verified_owner_who_is_no_admin(
    commune_officer, district_admin, admin_device
):
    device = TOTPDevice.objects.create(user=commune_officer, confirmed=True)

    assert not permissions.can_delete_device(commune_officer, device)
    commune_officer.otp_device = device
    assert permissions.can_delete_device(commune_officer, device)
    assert not permissions.can_delete_device(district_admin, device)
    district_admin.otp_device = admin_device
    assert not permissions.can_delete_device(district_admin, admin_device)


def test_paths_are_asked_once_per_question_and_forgotten_on_a_new_role(
    units, django_assert_num_queries
):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)

    with django_assert_num_queries(1):
        assert officer.paths(Role.COMMUNE_OFFICER) == [units["ha_nha"].path]
        assert permissions.holds_role_on(officer, units["ha_nha"], Role.COMMUNE_OFFICER)
    grant_role(officer, unit=units["vu_gia"], role=Role.COMMUNE_OFFICER, by=None)

    assert permissions.holds_role_on(officer, units["vu_gia"], Role.COMMUNE_OFFICER)


def test_paths_with_an_office_add_that_office_staff_roles(units):
    staff = make_member(units["city"], Role.OFFICE_STAFF, office=Office.AGRICULTURE)
    make_member(units["city"], Role.OFFICE_STAFF, office=Office.CULTURE)

    assert staff.paths(Role.COMMUNE_OFFICER, office=Office.AGRICULTURE) == [
        units["city"].path
    ]
    assert staff.paths(Role.COMMUNE_OFFICER, office=Office.CULTURE) == []
