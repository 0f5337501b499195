import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.models import Membership, Office, Role, User
from ntm.core.models import ActionLog
from tests.factories import UserFactory, make_member

from .signin import code_for

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:membership-list")
CREATE = reverse("accounts:membership-create")


def account_actions():
    logs = ActionLog.objects.filter(action__startswith="accounts.").order_by("id")
    return list(logs.values_list("action", flat=True))


def sign_in_verified(client, user):
    """Sign in as an admin who has passed the one-time code step."""
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    client.force_login(user)
    client.post(reverse("accounts:two-factor"), {"token": code_for(device)})
    return client


@pytest.fixture
def admin_client(client, district_admin):
    return sign_in_verified(client, district_admin)


@pytest.fixture
def commune_admin(units):
    """An admin of Xã Hà Nha only."""
    user = make_member(units["ha_nha"], Role.DISTRICT_ADMIN, username="qtxa")
    return user


def test_membership_list_shows_memberships_within_the_admins_units(
    admin_client, district_admin, commune_officer, village_head
):
    response = admin_client.get(LIST)

    assert response.status_code == 200
    shown = {m.user.username for m in response.context["page"]}
    assert shown == {"quantri", "canboxa", "truongthon"}


def test_membership_list_hides_memberships_outside_the_admins_units(
    client, commune_admin, villages
):
    outsider = make_member(villages["vg1"], Role.VILLAGE_HEAD, username="vugia")
    sign_in_verified(client, commune_admin)

    response = client.get(LIST)

    shown = [m.user for m in response.context["page"]]
    assert shown == [commune_admin]
    assert outsider not in shown


def test_membership_list_is_refused_to_non_admins(client, commune_officer):
    client.force_login(commune_officer)

    response = client.get(LIST)

    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 4])
def test_membership_list_query_count_does_not_grow(
    admin_client, units, django_assert_num_queries, count
):
    for _ in range(count):
        make_member(units["ha_nha"], Role.COMMUNE_OFFICER)

    with django_assert_num_queries(6):
        response = admin_client.get(LIST)

    assert len(response.context["page"]) == count + 1


def test_grant_gives_an_existing_user_a_role_and_logs_it(admin_client, units):
    user = UserFactory(username="canbomoi")

    response = admin_client.post(
        CREATE,
        {"username": "canbomoi", "role": Role.COMMUNE_OFFICER, "unit_code": "20515"},
    )

    assert response.status_code == 302
    assert response.url == LIST
    membership = user.memberships.get()
    assert membership.unit == units["ha_nha"]
    assert membership.role == Role.COMMUNE_OFFICER
    assert account_actions() == ["accounts.membership.granted"]


def test_grant_creates_a_new_account_with_its_role(admin_client, units):
    response = admin_client.post(
        CREATE,
        {
            "username": "phongvh",
            "full_name": "Trần Thị Văn Hóa",
            "password": "mot-mat-khau-kho-doan",
            "role": Role.OFFICE_STAFF,
            "office": Office.CULTURE,
            "unit_code": "48",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="phongvh")
    assert user.check_password("mot-mat-khau-kho-doan")
    assert user.full_name == "Trần Thị Văn Hóa"
    assert user.memberships.get().office == Office.CULTURE
    assert account_actions() == ["accounts.user.created", "accounts.membership.granted"]


def test_grant_needs_an_office_for_office_staff(admin_client):
    UserFactory(username="canbomoi")

    response = admin_client.post(
        CREATE, {"username": "canbomoi", "role": Role.OFFICE_STAFF, "unit_code": "48"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["office"]
    assert not Membership.objects.filter(user__username="canbomoi").exists()


def test_grant_refuses_a_unit_code_not_valid_today(admin_client):
    UserFactory(username="canbomoi")

    response = admin_client.post(
        CREATE,
        # 506 was Huyện Đại Lộc until 30/06/2025.
        {"username": "canbomoi", "role": Role.COMMUNE_OFFICER, "unit_code": "506"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["unit_code"]
    assert account_actions() == []


def test_grant_shows_a_duplicate_as_a_form_error(admin_client, commune_officer):
    response = admin_client.post(
        CREATE,
        {"username": "canboxa", "role": Role.COMMUNE_OFFICER, "unit_code": "20515"},
    )

    assert response.status_code == 200
    assert "đã có vai trò này" in response.text
    assert commune_officer.memberships.count() == 1


def test_grant_outside_the_admins_units_is_forbidden(client, commune_admin, units):
    sign_in_verified(client, commune_admin)

    response = client.post(
        CREATE,
        {
            "username": "nguoingoai",
            "full_name": "Người Ngoài",
            "password": "mot-mat-khau-kho-doan",
            "role": Role.COMMUNE_OFFICER,
            "unit_code": "20539",
        },
    )

    assert response.status_code == 403
    assert not User.objects.filter(username="nguoingoai").exists()
    assert account_actions() == []


def test_grant_is_forbidden_to_non_admins(client, commune_officer):
    UserFactory(username="canbomoi")
    client.force_login(commune_officer)

    response = client.post(
        CREATE,
        {"username": "canbomoi", "role": Role.VILLAGE_HEAD, "unit_code": "20515"},
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(user__username="canbomoi").exists()


def test_revoke_removes_the_role_and_logs_it(admin_client, commune_officer):
    membership = commune_officer.memberships.get()

    response = admin_client.post(
        reverse("accounts:membership-revoke", args=[membership.pk])
    )

    assert response.status_code == 302
    assert not commune_officer.memberships.exists()
    assert account_actions() == ["accounts.membership.revoked"]


def test_revoke_outside_the_admins_units_is_forbidden(client, commune_admin, villages):
    outsider = make_member(villages["vg1"], Role.VILLAGE_HEAD)
    sign_in_verified(client, commune_admin)

    response = client.post(
        reverse("accounts:membership-revoke", args=[outsider.memberships.get().pk])
    )

    assert response.status_code == 403
    assert outsider.memberships.count() == 1
    assert account_actions() == []


def test_revoke_needs_post(admin_client, commune_officer):
    membership = commune_officer.memberships.get()

    response = admin_client.get(
        reverse("accounts:membership-revoke", args=[membership.pk])
    )

    assert response.status_code == 405
    assert commune_officer.memberships.count() == 1


def test_revoke_of_ones_own_admin_role_is_refused_with_a_message(
    admin_client, district_admin
):
    membership = district_admin.memberships.get()

    response = admin_client.post(
        reverse("accounts:membership-revoke", args=[membership.pk]), follow=True
    )

    assert "Không thể tự thu hồi" in response.text
    assert district_admin.memberships.count() == 1


def test_account_detail_lists_the_users_own_roles(client, units, commune_officer):
    Membership.objects.create(
        user=commune_officer, unit=units["vu_gia"], role=Role.COMMUNE_OFFICER
    )
    client.force_login(commune_officer)

    response = client.get(reverse("accounts:account-detail"))

    assert response.status_code == 200
    assert [m.unit.code for m in response.context["memberships"]] == ["20515", "20539"]
    assert "Tài khoản của tôi" in response.text
