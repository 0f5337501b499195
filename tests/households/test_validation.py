"""The household form, the API (through the form) and the Excel import refuse
the same facts with the same message (households/validation.py)."""

import json
from decimal import Decimal

import pytest

from ntm.households.forms import HouseholdForm
from ntm.households.imports import HouseholdImportError, import_households
from ntm.households.models import Household
from ntm.households.validation import clean_phone

from .workbooks import row, xlsx

pytestmark = pytest.mark.django_db
# A point inside Xã Hà Nha's (approximate) boundary, and one in Paris.
HA_NHA = {"lat": Decimal("15.86"), "lon": Decimal("107.99")}
PARIS = {"lat": Decimal("48.8566"), "lon": Decimal("2.3522")}
REFUSED = [
    ({"phone": "12345"}, "Số điện thoại “12345” không đúng"),
    ({"phone": "0905 123 45"}, "không đúng: số di động có 10 chữ số"),
    ({"head_name": "<b>An</b>"}, "không được chứa các ký tự < >"),
    ({"address": "Thôn 1 <script>"}, "không được chứa các ký tự < >"),
    ({"members": 9223372036854775807}, "phải là số nguyên từ 1 đến 50"),
    ({"members": 0}, "phải là số nguyên từ 1 đến 50"),
    ({"smartphones": 51}, "phải là số nguyên từ 0 đến 50"),
    ({"health_app_members": 5, "members": 4}, "lớn hơn số nhân khẩu"),
    (PARIS, "nằm ngoài Xã Hà Nha"),
    ({"lat": Decimal("15.86")}, "Nhập cả vĩ độ và kinh độ"),
]


def _form(village, user, **facts):
    data = {
        "code": "HN1",
        "village": village.pk,
        "head_name": "Trần Thị Bình",
        "members": 4,
        "smartphones": 0,
        "health_app_members": 0,
        **facts,
    }
    return HouseholdForm({k: v for k, v in data.items() if v is not None}, user=user)


def _form_messages(form):
    assert not form.is_valid()
    return " ".join(str(m) for messages in form.errors.values() for m in messages)


def _import_messages(village, user, **facts):
    with pytest.raises(HouseholdImportError) as refused:
        import_households(xlsx([row("HN1", village.code, **facts)]), by=user)
    [error] = refused.value.errors
    return error.message


@pytest.mark.parametrize(("facts", "message"), REFUSED)
def test_form_and_import_refuse_alike(villages, village_head, facts, message):
    village = villages["hn1"]

    in_form = _form_messages(_form(village, village_head, **facts))
    in_import = _import_messages(village, village_head, **facts)

    assert message in in_form
    assert message in in_import
    assert not Household.objects.exists()


def test_api_refuses_a_point_in_paris_with_the_same_message(
    login, villages, village_head
):
    payload = {
        "code": "API-1",
        "village": villages["hn1"].code,
        "head_name": "Đặng Văn Hải",
        "members": 4,
        "lat": "48.8566",
        "lon": "2.3522",
    }

    response = login(village_head).post(
        "/api/v1/households", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 422
    assert "nằm ngoài Xã Hà Nha" in json.dumps(response.json(), ensure_ascii=False)


def test_form_and_import_accept_a_point_in_the_commune_and_tidy_the_phone(
    villages, village_head
):
    village = villages["hn1"]
    form = _form(village, village_head, phone="+84 905.123.456", **HA_NHA)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "0905123456"
    import_households(
        xlsx([row("HN1", village.code, phone="+84 905.123.456", **HA_NHA)]),
        by=village_head,
    )
    assert Household.objects.get().phone == "0905123456"


def test_without_a_commune_boundary_the_point_must_be_in_viet_nam(
    units, villages, village_head
):
    commune = units["ha_nha"]
    commune.boundary = None
    commune.save(update_fields=["boundary"])
    village = villages["hn1"]
    hanoi = {"lat": Decimal("21.03"), "lon": Decimal("105.85")}

    paris = _form_messages(_form(village, village_head, **PARIS))

    assert "nằm ngoài lãnh thổ Việt Nam" in paris
    assert _form(village, village_head, **hanoi).is_valid()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0905123456", "0905123456"),
        ("0905 123 456", "0905123456"),
        ("(0235) 3812 345", "02353812345"),
        ("84905123456", "0905123456"),
        ("", ""),
    ],
)
def test_clean_phone_writes_vietnamese_numbers_with_digits_only(typed, stored):
    assert clean_phone(typed) == stored
