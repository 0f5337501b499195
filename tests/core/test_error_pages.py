"""Error pages and the admin in Vietnamese, as a production server shows them."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from ntm.accounts.models import Role

from ..factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("ntm.urls")]


@override_settings(DEBUG=False)
def test_unknown_page_answers_a_vietnamese_404(client):
    response = client.get("/khong-co-trang-nay/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html
    assert "Resolver404" not in html
    assert 'lang="vi"' in html


@override_settings(DEBUG=False)
def test_404_shows_the_apps_own_reason_but_not_djangos_english_one(client, units):
    ours = client.get(
        reverse("indicators:criteriaset-detail", args=["KHONG_CO"])
    ).content.decode()
    django_default = client.get(
        reverse("surveys:public-start", args=["khong-co"])
    ).content.decode()

    assert "Không có bộ tiêu chí KHONG_CO." in ours
    assert "Không tìm thấy trang" in django_default
    assert "matches the given query" not in django_default


@override_settings(DEBUG=False)
def test_refused_page_answers_a_vietnamese_403(client, villages):
    client.force_login(make_member(villages["hn1"], Role.VILLAGE_HEAD))

    response = client.get(reverse("accounts:membership-list"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Không có quyền truy cập" in html
    assert "Đang đăng nhập:" in html


def test_500_page_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống đang gặp lỗi" in html
    assert 'href="/"' in html


def test_admin_speaks_vietnamese(client):
    html = client.get("/quan-tri/login/").content.decode()

    assert "Quản trị NTM Số" in html
    assert "Tên đăng nhập" in html
    assert "Mã xác thực 6 số" in html
    assert "OTP Token" not in html
