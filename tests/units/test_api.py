import pytest

from tests.factories import make_village

pytestmark = pytest.mark.django_db


def names(rows):
    return [row["name"] for row in rows]


def test_children_before_reorganisation_are_the_18_communes(client, units):
    response = client.get("/api/v1/units/506/children", {"on": "2024-12-31"})

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 18
    assert {row["level"] for row in rows} == {"commune"}
    assert {row["parent_code"] for row in rows} == {"506"}
    assert rows[0]["name"] == "Thị trấn Ái Nghĩa"
    assert rows[0]["type"] == "thi_tran"


def test_unit_today_is_ha_nha_with_its_three_predecessors(client, units):
    response = client.get("/api/v1/units/20515")

    unit = response.json()
    assert response.status_code == 200
    assert unit["name"] == "Xã Hà Nha"
    assert unit["level"] == "commune"
    assert unit["type"] == "xa"
    assert unit["parent_code"] == "48"
    assert unit["valid_from"] == "2025-07-01"
    assert unit["valid_to"] is None
    assert unit["boundary_approximate"] is True
    assert isinstance(unit["area_km2"], float)
    assert names(unit["predecessors"]) == ["Xã Đại Hồng", "Xã Đại Đồng", "Xã Đại Quang"]
    assert unit["predecessors"][1] == {
        "code": "20515",
        "name": "Xã Đại Đồng",
        "valid_from": None,
        "valid_to": "2025-06-30",
        "event": {"kind": "merge", "effective_date": "2025-07-01"},
    }
    assert unit["successors"] == []


def test_unit_before_reorganisation_is_dai_dong_with_successor_ha_nha(client, units):
    response = client.get("/api/v1/units/20515", {"on": "2024-12-31"})

    unit = response.json()
    assert unit["name"] == "Xã Đại Đồng"
    assert unit["parent_code"] == "506"
    assert unit["predecessors"] == []
    assert unit["successors"] == [
        {
            "code": "20515",
            "name": "Xã Hà Nha",
            "valid_from": "2025-07-01",
            "valid_to": None,
            "event": {"kind": "merge", "effective_date": "2025-07-01"},
        }
    ]


def test_dissolved_district_has_no_successors_but_the_event_is_dated(client, units):
    response = client.get("/api/v1/units/506", {"on": "2025-06-30"})

    assert response.json()["successors"] == []
    assert response.json()["valid_to"] == "2025-06-30"


def test_unknown_code_is_404_mentioning_the_dates_it_exists(client, units):
    response = client.get("/api/v1/units/506")

    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "Mã 506 không ứng với đơn vị nào vào ngày" in detail
    assert "Mã này dùng cho: Huyện Đại Lộc (đến 30/06/2025)." in detail


def test_code_that_never_existed_is_404(client, units):
    response = client.get("/api/v1/units/99999/children")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Không có đơn vị hành chính nào mang mã 99999."
    }


@pytest.mark.parametrize(
    "url", ["/api/v1/units/20515", "/api/v1/units/506/children", "/api/v1/units"]
)
def test_bad_date_is_422_in_vietnamese(client, units, url):
    response = client.get(url, {"on": "31/12/2024"})

    assert response.status_code == 422
    assert response.json()["detail"].startswith("Ngày không hợp lệ: “31/12/2024”")


def test_list_filters_by_level_and_date(client, units):
    response = client.get("/api/v1/units", {"on": "2024-12-31", "level": "district"})

    assert names(response.json()) == ["Huyện Đại Lộc"]


def test_list_today_has_the_city_and_five_communes(client, units):
    response = client.get("/api/v1/units")

    assert names(response.json()) == [
        "Thành phố Đà Nẵng",
        "Xã Đại Lộc",
        "Xã Thượng Đức",
        "Xã Hà Nha",
        "Xã Vu Gia",
        "Xã Phú Thuận",
    ]


def test_list_search_ignores_diacritics(client, units):
    response = client.get("/api/v1/units", {"q": "dai dong", "on": "2024-12-31"})

    assert names(response.json()) == ["Xã Đại Đồng"]


def test_list_with_unknown_level_is_422(client, units):
    response = client.get("/api/v1/units", {"level": "xa"})

    assert response.status_code == 422
    assert "Cấp không hợp lệ" in response.json()["detail"]


def test_api_needs_no_login(client, units):
    response = client.get("/api/v1/units/48")

    assert response.status_code == 200


@pytest.mark.parametrize("village_count", [1, 4])
def test_children_query_count_does_not_grow(
    client, units, django_assert_num_queries, village_count
):
    for number in range(village_count):
        make_village(units["ha_nha"], number + 1)

    # The unit, the events it came from and their units, the events it went
    # into (none); the children and their events both ways (none, so no
    # units to fetch for them).
    with django_assert_num_queries(7):
        response = client.get("/api/v1/units/20515/children")

    assert len(response.json()) == village_count


@pytest.mark.parametrize("village_count", [1, 4])
def test_list_query_count_does_not_grow(
    client, units, django_assert_num_queries, village_count
):
    for number in range(village_count):
        make_village(units["ha_nha"], number + 1)

    # The units with their parents, then their events both ways (none).
    with django_assert_num_queries(3):
        response = client.get("/api/v1/units", {"level": "village"})

    assert len(response.json()) == village_count


def test_list_query_count_with_lineage_is_flat(
    client, units, django_assert_num_queries
):
    # Six units, each formed by an event: one query for all their events and
    # one for all the units of those events, not one per unit.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/units")

    assert all(row["predecessors"] for row in response.json())
