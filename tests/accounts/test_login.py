import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import UserFactory

from .signin import code_for, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGIN_CODE = reverse("accounts:login-code")
PASSWORD = "mat-khau-dung-1"


def make_user():
    return UserFactory()


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_is_in_vietnamese(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert "Tên đăng nhập" in response.text
    assert "Mật khẩu" in response.text


def test_login_with_password_signs_in_and_follows_a_local_next(client):
    user = make_user()

    response = sign_in(client, user.username, next="/tai-khoan/")

    assert response.status_code == 302
    assert response.url == "/tai-khoan/"
    assert signed_in_user_id(client) == str(user.pk)


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "http:/\\evil.example"]
)
def test_login_refuses_to_redirect_to_another_site(client, target):
    user = make_user()

    response = sign_in(client, user.username, next=target)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_login_refuses_a_wrong_password_with_a_vietnamese_message(client):
    user = make_user()

    response = sign_in(client, user.username, password="sai")

    assert response.status_code == 200
    assert "không đúng" in response.text
    assert signed_in_user_id(client) is None


def test_login_locks_out_after_five_failures_even_for_the_right_password(client):
    user = make_user()
    for _ in range(4):
        assert sign_in(client, user.username, password="sai").status_code == 200

    fifth = sign_in(client, user.username, password="sai")
    right = sign_in(client, user.username)

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert "tạm khóa" in right.text
    assert "15 phút" in right.text
    assert signed_in_user_id(client) is None


def test_login_lockout_is_per_username(client):
    locked, other = make_user(), make_user()
    for _ in range(5):
        sign_in(client, locked.username, password="sai")

    response = sign_in(client, other.username)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(other.pk)


def test_logout_needs_post(client):
    client.force_login(UserFactory())

    refused = client.get(reverse("accounts:logout"))
    response = client.post(reverse("accounts:logout"))

    assert refused.status_code == 405
    assert response.status_code == 302
    assert signed_in_user_id(client) is None


def test_login_with_a_device_asks_for_a_code_before_signing_in(
    client, district_admin, admin_device
):
    response = sign_in(client, "quantri", next="/tai-khoan/")

    assert response.status_code == 302
    assert response.url == LOGIN_CODE
    assert signed_in_user_id(client) is None
    page = client.get(LOGIN_CODE)
    assert "Mã xác thực 6 số" in page.text


def test_login_code_signs_in_and_verifies_the_session(
    client, district_admin, admin_device
):
    sign_in(client, "quantri", next="/tai-khoan/")

    response = client.post(LOGIN_CODE, {"token": code_for(admin_device)})

    assert response.status_code == 302
    assert response.url == "/tai-khoan/"
    assert signed_in_user_id(client) == str(district_admin.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == admin_device.persistent_id
    assert client.get(reverse("home")).status_code == 200


def test_login_code_refuses_a_wrong_code(client, district_admin, admin_device):
    sign_in(client, "quantri")

    response = client.post(LOGIN_CODE, {"token": wrong_code(admin_device)})

    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.text
    assert signed_in_user_id(client) is None


def test_login_code_refuses_letters(client, district_admin, admin_device):
    sign_in(client, "quantri")

    response = client.post(LOGIN_CODE, {"token": "abcdef"})

    assert response.status_code == 200
    assert "chỉ gồm 6 chữ số" in response.text
    assert signed_in_user_id(client) is None


def test_login_code_failures_lock_the_account_out(client, district_admin, admin_device):
    sign_in(client, "quantri")
    for _ in range(4):
        client.post(LOGIN_CODE, {"token": wrong_code(admin_device)})

    fifth = client.post(LOGIN_CODE, {"token": wrong_code(admin_device)})
    again = sign_in(client, "quantri")

    assert fifth.status_code == 429
    assert again.status_code == 429
    assert signed_in_user_id(client) is None


def test_login_code_without_a_password_step_goes_back_to_login(client):
    response = client.post(LOGIN_CODE, {"token": "123456"})

    assert response.status_code == 302
    assert response.url == LOGIN
