"""Rural tourism: sites checked on the map, the Excel import, the scoring
sheet and ranking, and the public pages in Vietnamese and English."""

import datetime
import io
import json
import random

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.tourism import demo, scoring
from ntm.tourism.exports import SiteImportError, build_template, import_sites
from ntm.tourism.language import COOKIE
from ntm.tourism.models import Route, Site
from ntm.tourism.services import TourismError, create_site, record_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(units):
    demo.build(random.Random(1))
    return {site.code: site for site in Site.objects.all()}


def test_a_point_outside_the_commune_is_refused(units, commune_officer):
    ha_nha = units["ha_nha"]
    with pytest.raises(TourismError, match="nằm ngoài"):
        create_site(
            by=commune_officer,
            code="hn-paris",
            kind=Site.Kind.ATTRACTION,
            name="Tháp ở Paris",
            unit=ha_nha,
            lat=48.8584,
            lon=2.2945,
        )
    site = create_site(
        by=commune_officer,
        code="hn-ok",
        kind=Site.Kind.ATTRACTION,
        name="Bến sông",
        unit=ha_nha,
        lat=float(ha_nha.lat),
        lon=float(ha_nha.lon),
    )
    assert ActionLog.objects.for_object(site).get().action == "tourism.site.created"


def test_the_import_saves_every_row_or_none(units, commune_officer):
    ha_nha, vu_gia = units["ha_nha"], units["vu_gia"]
    workbook = load_workbook(io.BytesIO(build_template()))
    sheet = workbook.worksheets[0]
    rows = [
        ["hn-a", "Điểm tham quan", "Bến A", "", ha_nha.code, ha_nha.lat, ha_nha.lon],
        # Vu Gia is outside the officer's commune: the whole file is refused.
        ["vg-b", "Làng nghề", "Làng B", "", vu_gia.code, vu_gia.lat, vu_gia.lon],
    ]
    for row in rows:
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with pytest.raises(SiteImportError) as refused:
        import_sites(buffer, by=commune_officer)
    assert [e.row for e in refused.value.errors] == [3]
    assert "phạm vi" in refused.value.errors[0].message
    assert not Site.objects.exists()

    sheet.delete_rows(sheet.max_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_sites(buffer, by=commune_officer)
    assert result.created == 1
    assert Site.objects.get().unit == ha_nha


def test_scores_outside_an_items_range_are_refused_and_ranked_by_total(sites):
    sheet = scoring.current_sheet()
    assert sheet.max_total == 100
    assert not any(item["confirmed"] for item in sheet.items)
    site = sites["hn-dinh-lang"]
    too_much = {item["code"]: item["max_points"] + 1 for item in sheet.items}
    with pytest.raises(TourismError):
        record_assessment(site, scores=too_much, by=None)
    full = {item["code"]: item["max_points"] for item in sheet.items}
    record_assessment(site, scores=full, by=None)
    from ntm.tourism.queries import ranked_sites

    ranked = ranked_sites()
    assert ranked[0] == site and ranked[0].stars == 5
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_the_public_pages_switch_to_english_and_keep_it(client, sites):
    url = reverse("tourism:site-detail", args=["hn-homestay-vuon"])
    vietnamese = client.get(url)
    assert "Homestay Vườn Xanh" in vietnamese.content.decode()
    assert "Giờ mở cửa" in vietnamese.content.decode()
    english = client.get(url + "?lang=en")
    page = english.content.decode()
    assert "Green Garden homestay" in page and "Opening hours" in page
    assert english.cookies[COOKIE].value == "en"
    assert english["Content-Language"] == "en" and "Cookie" in english["Vary"]
    # No English opening hours: the Vietnamese ones are shown.
    assert "Nhận phòng từ 14:00" in page
    # The cookie alone gives English, not the shared Vietnamese copy.
    again = client.get(url).content.decode()
    assert "Green Garden homestay" in again
    client.cookies.pop(COOKIE)
    assert "Homestay Vườn Xanh" in client.get(url).content.decode()


def test_the_api_and_map_layer_show_sites_without_personal_data(client, sites):
    answer = client.get("/api/v1/tourism/sites")
    assert answer.status_code == 200
    features = answer.json()["features"]
    assert {f["properties"]["code"] for f in features} == set(sites)
    keys = set().union(*(f["properties"] for f in features))
    assert not keys & {"head_name", "phone", "email", "business_phone"}
    layer = client.get(reverse("maps:thematic-layer", args=["du-lich"]))
    assert len(layer.json()["features"]) == len(sites)
    route = client.get(reverse("tourism:route-detail", args=["hn-mot-ngay"]))
    stops = json.loads(
        route.content.decode()
        .split('id="tourism-features" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert len(stops["features"]) == 4


def test_an_officer_adds_a_site_from_the_form(client, units, commune_officer):
    ha_nha = units["ha_nha"]
    client.force_login(commune_officer)
    data = {
        "code": "hn-cho-que",
        "kind": Site.Kind.SERVICE,
        "name": "Chợ quê Hà Nha",
        "unit": ha_nha.pk,
        "lat": "16.0",
        "lon": "108.9",
        "business_phone": "0235 3812 345",
        "is_published": "on",
    }
    refused = client.post(reverse("tourism:site-create"), data)
    assert refused.status_code == 422
    assert "nằm ngoài" in refused.content.decode()
    data.update(lat=str(ha_nha.lat), lon=str(ha_nha.lon))
    saved = client.post(reverse("tourism:site-create"), data)
    site = Site.objects.get(code="hn-cho-que")
    assert saved.url == site.get_absolute_url()
    assert site.business_phone == "02353812345"
    assert ActionLog.objects.for_object(site).count() == 1


def test_a_tourism_pilot_commune_links_to_its_sites(client, sites, commune_officer):
    from ntm.indicators.services import load_all_criteria
    from ntm.plans.models import PilotCommune, Plan
    from ntm.plans.services import load_all_plans

    load_all_criteria()
    load_all_plans()
    plan = Plan.objects.get()
    ha_nha = sites["hn-dinh-lang"].unit
    PilotCommune.objects.create(
        unit=ha_nha,
        field=PilotCommune.Field.TOURISM,
        started_on=datetime.date(2025, 3, 1),
    )
    client.force_login(commune_officer)
    page = client.get(
        reverse("plans:pilot-list", args=[plan.code]), {"nam": 2025}
    ).content.decode()
    link = f"{reverse('tourism:site-map')}?xa={ha_nha.code}"
    assert link in page
    listed = client.get(link).content.decode()
    assert "Đình làng Hà Nha" in listed and "Làng nghề đan lát Vu Gia" not in listed


def test_the_language_switch_keeps_the_visitors_filters(client, sites):
    commune = sites["hn-dinh-lang"].unit
    url = reverse("tourism:site-map")

    page = client.get(url, {"xa": commune.code, "loai": "homestay"}).content.decode()
    english = client.get(url, {"xa": commune.code, "lang": "en"}).content.decode()

    assert f'href="{url}?xa={commune.code}&amp;loai=homestay&amp;lang=en"' in page
    # Back to Vietnamese: the language is replaced, not added a second time.
    assert f'href="{url}?xa={commune.code}&amp;lang=vi"' in english


def _sheet_answers(points):
    sheet = scoring.current_sheet()
    return {f"item_{item['code']}": points(item) for item in sheet.items}


def test_an_office_scores_a_site_and_the_ranking_shows_it(client, sites, units):
    from ntm.accounts.models import Office, Role
    from tests.factories import make_member

    office = make_member(units["city"], Role.OFFICE_STAFF, office=Office.CULTURE)
    client.force_login(office)
    site = sites["hn-dinh-lang"]
    url = reverse("tourism:assessment-create", args=[site.code])
    assert url in client.get(site.get_absolute_url()).content.decode()
    before = site.assessments.count()  # the demo's

    too_much = _sheet_answers(lambda item: item["max_points"] + 1)
    refused = client.post(url, {**too_much, "assessed_on": "01/12/2026"})
    assert refused.status_code == 422
    assert "chưa xác nhận" in refused.content.decode()  # the sheet says so
    assert 'value="01/12/2026"' in refused.content.decode()  # kept as typed
    assert site.assessments.count() == before

    full = _sheet_answers(lambda item: item["max_points"])
    response = client.post(url, {**full, "assessed_on": "01/12/2026"})

    assert response.status_code == 302
    assert site.assessments.count() == before + 1
    assessment = site.assessments.first()
    assert assessment.total == 100
    assert assessment.assessed_on == datetime.date(2026, 12, 1)
    assert (
        ActionLog.objects.for_object(site)
        .filter(action="tourism.assessment.recorded", actor=office)
        .exists()
    )
    ranking = client.get(reverse("tourism:ranking")).content.decode()
    assert site.name in ranking


def test_the_commune_that_keeps_a_site_does_not_score_it(
    client, sites, commune_officer
):
    site = sites["hn-dinh-lang"]
    client.force_login(commune_officer)
    url = reverse("tourism:assessment-create", args=[site.code])

    full = _sheet_answers(lambda item: item["max_points"])
    before = site.assessments.count()

    assert client.post(url, full).status_code == 403
    assert site.assessments.count() == before
    assert url not in client.get(site.get_absolute_url()).content.decode()


def test_an_officer_makes_a_route_through_sites_in_order(client, sites, units):
    from tests.factories import make_member

    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="tuyen")
    client.force_login(officer)
    kept = [code for code, site in sites.items() if site.unit_id == units["ha_nha"].pk]
    outside = next(c for c, s in sites.items() if s.unit_id != units["ha_nha"].pk)
    data = {
        "code": "hn-tuyen-thu",
        "name": "Một ngày ở Hà Nha",
        "unit": units["ha_nha"].pk,
        "site_codes": "\n".join([kept[1], kept[0], outside]),
    }
    assert (
        reverse("tourism:route-create")
        in client.get(reverse("tourism:site-map")).content.decode()
    )

    refused = client.post(reverse("tourism:route-create"), data)
    assert refused.status_code == 422
    assert outside in refused.content.decode()
    assert "Một ngày ở Hà Nha" in refused.content.decode()  # kept as typed

    data["site_codes"] = f"{kept[1]}\n{kept[0]}"
    response = client.post(reverse("tourism:route-create"), data)

    assert response.status_code == 302, response.context["form"].errors
    route = Route.objects.get(code="hn-tuyen-thu")
    assert [stop.site.code for stop in route.stops.order_by("order")] == kept[1::-1]
    page = client.get(route.get_absolute_url()).content.decode()
    assert page.index(sites[kept[1]].name) < page.index(sites[kept[0]].name)


def _kml(*points):
    placemarks = "".join(
        "<Placemark><ExtendedData>"
        + "".join(
            f'<Data name="{k}"><value>{v}</value></Data>' for k, v in data.items()
        )
        + f"</ExtendedData><Point><coordinates>{lon},{lat}</coordinates></Point>"
        "</Placemark>"
        for data, lat, lon in points
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"{placemarks}</Document></kml>"
    ).encode()


def test_sites_come_from_a_kml_layer_every_one_or_none(client, units, commune_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ha_nha = units["ha_nha"]
    lat, lon = float(ha_nha.lat), float(ha_nha.lon)
    inside = (
        {
            "ma": "hn-lang-det",
            "ten": "Làng dệt",
            "loai": "lang nghe",
            "ma_don_vi": ha_nha.code,
        },
        lat,
        lon,
    )
    paris = (
        {
            "ma": "hn-thap",
            "ten": "Tháp",
            "loai": "attraction",
            "ma_don_vi": ha_nha.code,
        },
        48.8584,
        2.2945,
    )
    client.force_login(commune_officer)
    url = reverse("tourism:site-layer-import")

    def upload(*points):
        file = SimpleUploadedFile("diem.kml", _kml(*points))
        return client.post(url, {"file": file})

    refused = upload(inside, paris)
    assert refused.status_code == 422
    assert "#2 (ma=hn-thap)" in refused.content.decode()
    assert "nằm ngoài" in refused.content.decode()
    assert not Site.objects.filter(code__in=["hn-lang-det", "hn-thap"]).exists()

    response = upload(inside)

    assert response.status_code == 302
    site = Site.objects.get(code="hn-lang-det")
    assert (site.kind, site.unit, site.lat, site.lon) == (
        Site.Kind.CRAFT_VILLAGE,
        ha_nha,
        round(lat, 6),
        round(lon, 6),
    )
    assert ActionLog.objects.for_object(site).get().action == "tourism.site.created"


def test_a_refused_point_is_named_as_people_write_it(units, commune_officer):
    with pytest.raises(TourismError) as error:
        create_site(
            by=commune_officer,
            code="hn-ha-noi",
            kind=Site.Kind.ATTRACTION,
            name="Hồ Gươm",
            unit=units["ha_nha"],
            lat=21.03,
            lon=105.85,
        )

    assert "(vĩ độ 21,03, kinh độ 105,85)" in str(error.value)
