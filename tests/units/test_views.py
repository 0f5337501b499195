import re

import pytest
from django.urls import reverse

from ntm.units.panels import register_panel, unregister_panel
from tests.factories import BEFORE_2025, make_village

pytestmark = pytest.mark.django_db


def text_of(response):
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" ,", ",")


def detail(code, day=None):
    url = reverse("units:unit-detail", args=[code])
    return f"{url}?ngay={day.isoformat()}" if day else url


# --- unit list ---------------------------------------------------------------


def test_unit_list_shows_current_units_without_login(client, units):
    response = client.get(reverse("units:unit-list"))

    assert response.status_code == 200
    names = [unit.name for unit in response.context["units"]]
    assert names[0] == "Thành phố Đà Nẵng"
    assert "Xã Hà Nha" in names
    assert "Xã Đại Đồng" not in names
    assert "Huyện Đại Lộc" not in names


def test_unit_list_before_reorganisation_is_province_district_communes(client, units):
    response = client.get(reverse("units:unit-list"), {"ngay": "2024-12-31"})

    levels = [unit.level for unit in response.context["units"]]
    names = [unit.name for unit in response.context["units"]]
    assert levels == [1, 2] + [3] * 18
    assert names[:2] == ["Tỉnh Quảng Nam", "Huyện Đại Lộc"]
    assert "Xã Đại Đồng" in names


def test_unit_list_offers_the_before_and_now_switch(client, units):
    response = client.get(reverse("units:unit-list"), {"q": "dai"})

    page = text_of(response)
    assert "Trước sắp xếp (31/12/2024)" in page
    assert "Hiện nay" in page
    html = response.content.decode()
    assert 'href="/don-vi/?q=dai&amp;ngay=2024-12-31"' in html
    assert 'href="/don-vi/?q=dai"' in html


def test_unit_list_search_ignores_diacritics(client, units):
    response = client.get(
        reverse("units:unit-list"), {"q": "dai dong", "ngay": "2024-12-31"}
    )

    assert [unit.name for unit in response.context["units"]] == ["Xã Đại Đồng"]


def test_unit_list_search_points_to_other_dates_when_nothing_matches(client, units):
    response = client.get(reverse("units:unit-list"), {"q": "dai dong"})

    assert list(response.context["units"]) == []
    assert [unit.name for unit in response.context["elsewhere"]] == ["Xã Đại Đồng"]
    assert "/don-vi/20515/?ngay=2025-06-30" in response.content.decode()


def test_unit_list_htmx_renders_only_the_results(client, units):
    response = client.get(
        reverse("units:unit-list"), {"q": "ha nha"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="unit-results"')
    assert "<html" not in html
    assert "Xã Hà Nha" in html


def test_unit_list_bad_date_falls_back_to_today_with_an_error(client, units):
    response = client.get(reverse("units:unit-list"), {"ngay": "31-31-2024"})

    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()
    assert "Xã Hà Nha" in [unit.name for unit in response.context["units"]]


@pytest.mark.parametrize("village_count", [1, 4])
def test_unit_list_query_count_does_not_grow(
    client, units, django_assert_num_queries, village_count
):
    for number in range(village_count):
        make_village(units["ha_nha"], number + 1)

    # latest reorganisation date; units with their parents
    with django_assert_num_queries(2):
        response = client.get(reverse("units:unit-list"), {"q": "thon"})

    assert len(response.context["units"]) == village_count


# --- unit page ---------------------------------------------------------------


def test_unit_detail_of_a_new_commune_shows_where_it_came_from(client, units):
    response = client.get(detail("20515"))

    page = text_of(response)
    assert response.status_code == 200
    assert (
        "Hình thành từ Xã Đại Hồng, Xã Đại Đồng, Xã Đại Quang (sáp nhập, 01/07/2025)"
        in page
    )
    assert "Hiệu lực: từ 01/07/2025" in page
    assert "Đã giải thể/sáp nhập" not in page
    assert "Thành phố Đà Nẵng" in page  # breadcrumbs
    assert 'href="/don-vi/20515/?ngay=2025-06-30">Xã Đại Đồng</a>' in (
        response.content.decode()
    )


def test_unit_detail_of_a_former_commune_shows_where_it_went(client, units):
    response = client.get(detail("20515", BEFORE_2025))

    page = text_of(response)
    assert response.context["unit"] == units["dai_dong"]
    assert "Sáp nhập vào Xã Hà Nha từ 01/07/2025" in page
    assert "Hiệu lực: đến 30/06/2025" in page
    assert "Đã giải thể/sáp nhập" in page
    assert "Tỉnh Quảng Nam › Huyện Đại Lộc › Xã Đại Đồng" in page
    assert 'href="/don-vi/20515/">Xã Hà Nha</a>' in response.content.decode()


def test_unit_detail_shows_facts_in_vietnamese_formats(client, units):
    response = client.get(detail("506", BEFORE_2025))

    page = text_of(response)
    assert "578,99 km²" in page
    assert "15,84300° vĩ Bắc, 107,97423° kinh Đông" in page
    assert "Huyện" in page
    assert "Giải thể từ 01/07/2025" in page
    assert len(response.context["children"]) == 18


def test_unit_detail_children_are_those_valid_on_the_day(client, units):
    response = client.get(detail("48"))

    assert [child.name for child in response.context["children"]] == [
        "Xã Đại Lộc",
        "Xã Thượng Đức",
        "Xã Hà Nha",
        "Xã Vu Gia",
        "Xã Phú Thuận",
    ]


def test_unit_detail_map_reads_data_attributes_and_has_no_inline_code(
    client, units, settings
):
    settings.MAP_TILE_URL = ""

    response = client.get(detail("20515"))

    html = response.content.decode()
    assert 'data-geojson-url="/don-vi/20515/ranh-gioi.geojson?ngay=' in html
    assert 'data-tile-url=""' in html
    assert 'data-lat="15.' in html
    assert "leaflet/leaflet.js" in html
    assert "js/unit_map.js" in html
    assert "Ranh giới gần đúng (minh họa), không dùng cho mục đích pháp lý" in html
    assert "style=" not in html
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


def test_unit_detail_shows_the_audit_history(client, units):
    response = client.get(detail("20515", BEFORE_2025))

    assert "Lịch sử thay đổi" in response.content.decode()
    actions = [entry.action for entry in response.context["history"]]
    assert actions == ["units.unit.boundary_set", "units.unit.created"]


def test_unit_detail_unknown_code_is_404_in_vietnamese(client, units):
    response = client.get(detail("99999"))

    assert response.status_code == 404
    assert "Không có đơn vị hành chính nào mang mã 99999." in text_of(response)


def test_unit_detail_code_valid_at_other_dates_lists_them(client, units):
    response = client.get(detail("506"))

    html = response.content.decode()
    assert response.status_code == 404
    assert "Mã 506 không ứng với đơn vị nào vào ngày" in text_of(response)
    assert 'href="/don-vi/506/?ngay=2025-06-30">Huyện Đại Lộc</a>' in html


def test_unit_detail_shows_registered_panels(client, units):
    def households(unit, request):
        return {"title": "Hộ gia đình", "value": 1234, "url": f"/ho/{unit.code}/"}

    def hidden(unit, request):
        return None

    register_panel(households)
    register_panel(hidden)
    try:
        response = client.get(detail("20515"))
    finally:
        unregister_panel(households)
        unregister_panel(hidden)

    assert response.context["panels"] == [
        {"title": "Hộ gia đình", "value": 1234, "url": "/ho/20515/"}
    ]
    assert "Hộ gia đình 1.234" in text_of(response)
    assert 'href="/ho/20515/"' in response.content.decode()


@pytest.mark.parametrize("village_count", [1, 4])
def test_unit_detail_query_count_does_not_grow(
    client, units, django_assert_num_queries, village_count
):
    for number in range(village_count):
        make_village(units["ha_nha"], number + 1)

    # unit with its ancestors; events it came from, with their units; events
    # it went into (none, so no prefetch); children; history
    with django_assert_num_queries(6):
        response = client.get(detail("20515"))

    assert len(response.context["children"]) == village_count


# --- boundary GeoJSON ------------------------------------------------------


def test_unit_boundary_is_a_geojson_feature(client, units):
    response = client.get(
        reverse("units:unit-boundary", args=["20515"]), {"ngay": "2024-12-31"}
    )

    feature = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"] == {
        "code": "20515",
        "name": "Xã Đại Đồng",
        "level": "commune",
        "valid_from": None,
        "valid_to": "2025-06-30",
        "approximate": True,
    }


def test_unit_boundary_of_unknown_code_is_404(client, units):
    response = client.get(
        reverse("units:unit-boundary", args=["506"]),
        headers={"accept": "application/geo+json"},
    )

    assert response.status_code == 404
    assert (
        "Mã này dùng cho: Huyện Đại Lộc (đến 30/06/2025)." in response.json()["detail"]
    )


def test_unit_boundary_with_bad_date_is_422(client, units):
    response = client.get(
        reverse("units:unit-boundary", args=["20515"]), {"ngay": "hom-qua"}
    )

    assert response.status_code == 422
    assert "Ngày không hợp lệ" in response.json()["detail"]
