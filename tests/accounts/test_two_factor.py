from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.views import SETUP_KEY
from ntm.core.models import ActionLog

from .signin import code_for, wrong_code

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("accounts:two-factor")
HOME = reverse("home")


def account_actions():
    logs = ActionLog.objects.filter(action__startswith="accounts.").order_by("id")
    return list(logs.values_list("action", flat=True))


def test_district_admin_without_a_device_is_sent_to_set_one_up(client, district_admin):
    client.post(
        reverse("accounts:login"),
        {"username": "quantri", "password": "mat-khau-dung-1"},
    )

    blocked = client.get(HOME)
    page = client.get(blocked.url)

    assert blocked.status_code == 302
    assert blocked.url == f"{TWO_FACTOR}?next=%2F"
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "bắt buộc" in page.text


def test_district_admin_can_work_after_confirming_a_code(client, district_admin):
    client.force_login(district_admin)
    client.get(TWO_FACTOR)
    key = client.session[SETUP_KEY]

    response = client.post(TWO_FACTOR, {"token": code_for(key), "next": "/"})

    assert response.status_code == 302
    assert response.url == "/"
    device = TOTPDevice.objects.get(user=district_admin)
    assert device.confirmed
    assert device.key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(HOME).status_code == 200
    assert account_actions() == ["accounts.device.created"]


def test_setup_page_shows_the_qr_and_the_secret_for_manual_entry(
    client, commune_officer
):
    client.force_login(commune_officer)

    response = client.get(TWO_FACTOR)

    key = client.session[SETUP_KEY]
    secret = response.context["secret"]
    assert bytes.fromhex(key) == b32decode(secret)
    assert secret in response.text
    assert "<svg" in response.text
    assert not TOTPDevice.objects.exists()


def test_setup_refuses_a_wrong_code(client, commune_officer):
    client.force_login(commune_officer)
    client.get(TWO_FACTOR)
    key = client.session[SETUP_KEY]

    response = client.post(TWO_FACTOR, {"token": wrong_code(key)})

    assert response.status_code == 200
    assert "Mã chưa khớp" in response.text
    assert not TOTPDevice.objects.exists()
    assert account_actions() == []


def test_two_factor_page_is_for_staff_roles_only(client, village_head):
    client.force_login(village_head)

    response = client.get(TWO_FACTOR)

    assert response.status_code == 403


def test_two_factor_page_needs_a_signed_in_user(client):
    response = client.get(TWO_FACTOR)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_district_admin_with_a_device_but_no_code_must_enter_one(
    client, district_admin, admin_device
):
    client.force_login(district_admin)

    blocked = client.get(HOME)
    page = client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"token": code_for(admin_device), "next": "/"})

    assert blocked.status_code == 302
    assert "Xác nhận bằng mã xác thực" in page.text
    assert response.url == "/"
    assert client.get(HOME).status_code == 200


def test_commune_officer_can_switch_codes_off(client, commune_officer):
    client.force_login(commune_officer)
    client.get(TWO_FACTOR)
    client.post(TWO_FACTOR, {"token": code_for(client.session[SETUP_KEY])})

    response = client.post(reverse("accounts:device-delete"))

    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    assert account_actions() == ["accounts.device.created", "accounts.device.deleted"]


def test_district_admin_cannot_switch_codes_off(client, district_admin, admin_device):
    client.force_login(district_admin)
    client.post(TWO_FACTOR, {"token": code_for(admin_device)})

    page = client.get(TWO_FACTOR)
    response = client.post(reverse("accounts:device-delete"))

    assert "Tắt mã xác thực" not in page.text
    assert response.status_code == 403
    assert TOTPDevice.objects.count() == 1
    assert account_actions() == []
