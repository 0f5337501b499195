import json

import pytest
from django.test import Client

from ntm.accounts.models import Office, Role
from ntm.core.models import ActionLog
from ntm.households.models import Household
from tests.factories import make_member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/households"


def _json(client, method, url, data):
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json"
    )


def _payload(village, **extra):
    return {
        "code": "API-1",
        "village": village.code,
        "head_name": "Đặng Văn Hải",
        "members": 4,
        "has_fibre": True,
        **extra,
    }


def test_api_refuses_anonymous_users(client, villages, make_household):
    household = make_household(villages["hn1"])

    responses = [
        client.get(BASE),
        client.get(f"{BASE}/{household.code}"),
        _json(client, "post", BASE, _payload(villages["hn1"])),
        client.delete(f"{BASE}/{household.code}"),
    ]

    assert [r.status_code for r in responses] == [401, 401, 401, 401]
    assert Household.objects.count() == 1


def test_api_list_shows_only_visible_households_and_searches_without_diacritics(
    login, villages, village_head, make_household
):
    wanted = make_household(villages["hn1"], head_name="Nguyễn Văn An")
    make_household(villages["hn1"], head_name="Trần Thị Bình")
    make_household(villages["vg1"], head_name="Nguyễn Văn An")
    client = login(village_head)

    response = client.get(BASE, {"q": "nguyen van an"})

    body = response.json()
    assert (body["count"], [h["code"] for h in body["results"]]) == (1, [wanted.code])
    assert body["results"][0]["village"] == villages["hn1"].code


def test_api_list_refuses_a_village_outside_the_scope(login, villages, village_head):
    client = login(village_head)

    response = client.get(BASE, {"village": villages["vg1"].code})

    assert response.status_code == 403


def test_api_detail_hides_another_villages_household(
    login, villages, village_head, make_household
):
    household = make_household(villages["vg1"])
    client = login(village_head)

    response = client.get(f"{BASE}/{household.code}")

    assert response.status_code == 404


def test_api_create_saves_and_audits(login, villages, village_head, platforms):
    client = login(village_head)

    response = _json(
        client, "post", BASE, _payload(villages["hn1"], ecommerce_platforms=["Voso.vn"])
    )

    assert response.status_code == 201
    assert response.json()["ecommerce_platforms"] == ["Voso.vn"]
    household = Household.objects.get(code="API-1")
    assert ActionLog.objects.for_object(household).get().actor == village_head


def test_api_create_refuses_another_village(login, villages, village_head):
    client = login(village_head)

    response = _json(client, "post", BASE, _payload(villages["vg1"]))

    assert response.status_code == 403
    assert not Household.objects.exists()


def test_api_create_explains_invalid_input_in_vietnamese(login, villages, village_head):
    client = login(village_head)

    response = _json(
        client,
        "post",
        BASE,
        _payload(villages["hn1"], members=2, health_app_members=3, head_name=""),
    )

    body = response.json()
    assert response.status_code == 422
    assert body["errors"]["health_app_members"] == [
        "Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu."
    ]
    assert body["errors"]["head_name"] == ["Trường này là bắt buộc."]
    assert not Household.objects.exists()


def test_api_patch_changes_only_the_given_fields(
    login, villages, village_head, make_household, platforms
):
    household = make_household(
        villages["hn1"], address_code="DL.1", ecommerce_platforms=[platforms["voso"]]
    )
    client = login(village_head)

    response = _json(client, "patch", f"{BASE}/{household.code}", {"smartphones": 3})

    assert response.status_code == 200
    household.refresh_from_db()
    assert (household.smartphones, household.address_code) == (3, "DL.1")
    assert [p.name for p in household.ecommerce_platforms.all()] == ["Voso.vn"]
    log = ActionLog.objects.for_object(household).first()
    assert list(log.data["changes"]) == ["smartphones"]


def test_api_answers_404_for_another_villages_household_whatever_the_method(
    login, villages, village_head, make_household
):
    household = make_household(villages["hn2"], head_name="Gốc")
    client = login(village_head)
    url, missing = f"{BASE}/{household.code}", f"{BASE}/KHONG-CO"

    answers = [
        client.get(url),
        _json(client, "patch", url, {"head_name": "Đổi"}),
        client.delete(url),
    ]

    assert [r.status_code for r in answers] == [404, 404, 404]
    assert {r.json()["detail"] for r in answers} == {
        client.get(missing).json()["detail"]
    }
    household.refresh_from_db()
    assert household.head_name == "Gốc"


def test_api_patch_by_staff_who_may_only_read_is_a_403(
    login, villages, units, make_household
):
    household = make_household(villages["hn1"], head_name="Gốc")
    reader = make_member(units["ha_nha"], Role.OFFICE_STAFF, Office.CULTURE)
    client = login(reader)

    response = _json(client, "patch", f"{BASE}/{household.code}", {"head_name": "X"})

    assert client.get(f"{BASE}/{household.code}").status_code == 200
    assert response.status_code == 403


def test_api_patch_refuses_moving_a_household_out_of_scope(
    login, villages, village_head, make_household
):
    household = make_household(villages["hn1"])
    client = login(village_head)

    response = _json(
        client, "patch", f"{BASE}/{household.code}", {"village": villages["vg1"].code}
    )

    assert response.status_code == 403
    household.refresh_from_db()
    assert household.village == villages["hn1"]


def test_api_delete_removes_the_household(
    login, villages, village_head, make_household
):
    household = make_household(villages["hn1"])
    client = login(village_head)

    response = client.delete(f"{BASE}/{household.code}")

    assert response.status_code == 204
    assert not Household.objects.exists()


def test_api_delete_of_a_household_that_answered_a_survey_is_a_409(
    login, village_head, answered
):
    client = login(village_head)

    response = client.delete(f"{BASE}/{answered.code}")

    assert response.status_code == 409
    assert "ngừng theo dõi" in response.json()["detail"]
    assert Household.objects.get() == answered


def test_api_writes_need_the_csrf_token(villages, village_head):
    village_head.refresh_from_db()
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = _json(client, "post", BASE, _payload(villages["hn1"]))

    assert response.status_code == 403
    assert not Household.objects.exists()


def test_household_api_explains_wrong_types_in_vietnamese(
    client, villages, village_head
):
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.post(
        "/api/v1/households",
        data={"code": "X1", "village": "2051201", "head_name": "A", "members": "nhiều"},
        content_type="application/json",
    )

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert [e["field"] for e in body["errors"]] == ["members"]
    assert body["errors"][0]["message"] == "Giá trị không hợp lệ hoặc thiếu."
