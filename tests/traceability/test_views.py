import datetime
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ntm.ocop.models import Evaluation, EvaluationRound, ScoringSheet
from ntm.traceability.models import DiaryEntry, GrowingArea
from ntm.traceability.services import record_event

from .conftest import TODAY, square

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def _drawn(side=0.003):
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": json.loads(json.dumps(square(side).__geo_interface__)),
                }
            ],
        }
    )


def test_producer_declares_an_area_drawn_on_the_map(login, producer, entity, units):
    client = login(producer)

    response = client.post(
        reverse("traceability:area-declare"),
        {
            "entity": entity.pk,
            "name": "Ruộng rau Bàu Sen",
            "unit": units["ha_nha"].pk,
            "crop": "Rau cải",
            "crop_kind": "annual",
            "drawn": _drawn(),
        },
    )

    area = GrowingArea.objects.get()
    assert response.status_code == 302
    assert (area.entity, area.status) == (entity, GrowingArea.Status.DECLARED)
    assert area.area_ha > 10


def test_declare_form_keeps_input_and_explains_a_small_area(
    login, producer, entity, units
):
    client = login(producer)

    response = client.post(
        reverse("traceability:area-declare"),
        {
            "entity": entity.pk,
            "name": "Vườn nhỏ",
            "unit": units["ha_nha"].pk,
            "crop": "Bưởi",
            "crop_kind": "perennial",
            "drawn": _drawn(0.0005),
        },
    )

    assert response.status_code == 200
    assert "nhỏ hơn mức tối thiểu 1 ha" in response.content.decode()
    assert 'value="Vườn nhỏ"' in response.content.decode()


def test_producer_cannot_declare_for_another_entity(
    login, other_producer, entity, units
):
    client = login(other_producer)

    response = client.post(
        reverse("traceability:area-declare"),
        {
            "entity": entity.pk,
            "name": "X",
            "unit": units["ha_nha"].pk,
            "crop": "Rau",
            "crop_kind": "annual",
            "drawn": _drawn(),
        },
    )

    assert response.status_code == 200  # the entity is not a choice for them
    assert GrowingArea.objects.count() == 0


@pytest.mark.parametrize("action", ["inspect", "issue", "suspend", "revoke"])
def test_only_the_agriculture_office_takes_code_steps(
    login, declared, producer, commune_officer, action
):
    for user in (producer, commune_officer):
        response = login(user).post(
            reverse("traceability:area-step", args=[declared.pk, action]),
            {"on": TODAY.isoformat(), "reason": "Đạt"},
        )
        assert response.status_code == 403
    declared.refresh_from_db()
    assert declared.status == GrowingArea.Status.DECLARED


def test_office_inspects_then_issues_and_skipping_is_explained(login, declared, office):
    client = login(office)
    url = lambda action: reverse("traceability:area-step", args=[declared.pk, action])  # noqa: E731

    skipped = client.post(
        url("issue"), {"on": TODAY.isoformat(), "reason": "Đạt"}, follow=True
    )
    client.post(url("inspect"), {"on": TODAY.isoformat(), "reason": "Đạt"})
    client.post(url("issue"), {"on": TODAY.isoformat(), "reason": "Đủ điều kiện"})

    declared.refresh_from_db()
    assert "Không thể “Cấp mã số”" in skipped.content.decode()
    assert declared.status == GrowingArea.Status.ISSUED
    assert declared.code.startswith("VN-48-20515-01-")


def test_producer_records_a_spraying_and_is_refused_a_harvest_on_the_phone_form(
    login, coded, producer
):
    client = login(producer)
    url = reverse("traceability:diary-add", args=[coded.pk])

    sprayed = client.post(
        url,
        {
            "kind": "phun_thuoc",
            "on": TODAY.isoformat(),
            "input_name": "Regent 800WG",
            "dose": "1 g/bình 16 lít",
            "preharvest_days": "14",
        },
    )
    refused = client.post(
        url, {"kind": "thu_hoach", "on": TODAY.isoformat(), "quantity_kg": "120"}
    )

    assert sprayed.status_code == 302
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "lần phun Regent 800WG" in body
    assert (TODAY + datetime.timedelta(days=14)).strftime("%d/%m/%Y") in body
    assert coded.diary.filter(kind=DiaryEntry.Kind.HARVEST).count() == 0


def test_another_producer_cannot_keep_the_diary(login, coded, other_producer):
    response = login(other_producer).get(
        reverse("traceability:diary-add", args=[coded.pk])
    )

    assert response.status_code == 403


def test_lot_pages_and_labels_for_the_keeper_only(login, lot, producer, other_producer):
    client = login(producer)
    detail = client.get(lot.get_absolute_url())
    pdf = client.get(reverse("traceability:lot-labels", args=[lot.pk, "pdf"]))
    svg = client.get(
        reverse("traceability:lot-labels", args=[lot.pk, "svg"]), {"layout": "a4-2x5"}
    )
    png = client.get(reverse("traceability:lot-qr", args=[lot.pk, "png"]))

    assert detail.status_code == 200
    assert f"http://testserver/01/{lot.gtin}/10/HN-001" in detail.content.decode()
    assert pdf["Content-Type"] == "application/pdf"
    assert svg.content.decode().count('class="uri"') == 10
    assert png.content.startswith(b"\x89PNG")
    assert login(other_producer).get(lot.get_absolute_url()).status_code == 403


def test_producer_records_an_event_through_the_form(login, lot, producer):
    response = login(producer).post(
        reverse("traceability:event-add", args=[lot.pk]),
        {
            "kind": "van_chuyen",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "destination": "Chợ đầu mối Hòa Cường",
        },
    )

    assert response.status_code == 302
    assert lot.events.last().document["ntm:destination"] == "Chợ đầu mối Hòa Cường"


# -- the public scan page -------------------------------------------------------


def _certify(product):
    sheet = ScoringSheet.objects.create(
        code="thuc-pham", group="thuc_pham", name="Phiếu", file_digest="x"
    )
    round_ = EvaluationRound.objects.create(
        name="Đợt 1",
        year=TODAY.year,
        council_level="tinh",
        unit=product.entity.unit,
        held_on=TODAY - datetime.timedelta(days=30),
    )
    return Evaluation.objects.create(
        round=round_,
        product=product,
        sheet=sheet,
        status=Evaluation.Status.CERTIFIED,
        total=Decimal("75"),
        stars=4,
        certificate_number="QĐ 12/QĐ-UBND",
        certificate_date=TODAY - datetime.timedelta(days=20),
        valid_until=Evaluation.valid_until_for(TODAY - datetime.timedelta(days=20)),
    )


def test_scan_page_shows_the_lot_to_anyone_without_personal_data(
    client, lot, entity, product, producer
):
    _certify(product)

    response = client.get(lot.link_path)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Rau cải ngọt" in body
    assert "★★★★" in body and "★★★★★" not in body
    assert "QĐ 12/QĐ-UBND" in body
    assert lot.area.code in body
    assert "Radiant 60SC" in body
    assert "Chuỗi 1 sự kiện toàn vẹn" in body
    assert "02353111222" in body  # the published business contact
    for private in (
        entity.representative,
        entity.representative_phone,
        producer.username,
    ):
        assert private not in body


def test_scan_page_switches_to_english(client, lot):
    response = client.get(lot.link_path, {"lang": "en"})

    body = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in body
    assert "Traceability" in body
    assert "Production diary" in body


def test_scan_page_is_cached_until_a_write_changes_it(
    client,
    lot,
    producer,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    client.get(lot.link_path)
    with django_assert_num_queries(0):
        cached = client.get(lot.link_path)
    with django_capture_on_commit_callbacks(execute=True):
        record_event(
            lot,
            kind="van_chuyen",
            occurred_at=timezone.now(),
            destination="Siêu thị Đà Nẵng",
            by=producer,
        )

    fresh = client.get(lot.link_path)

    assert "Siêu thị Đà Nẵng" not in cached.content.decode()
    assert "Siêu thị Đà Nẵng" in fresh.content.decode()


def test_scan_page_shows_a_tampered_chain(client, lot):
    event = lot.events.get()
    event.document["quantityList"][0]["quantity"] = 9999.0
    type(event).objects.filter(pk=event.pk).update(document=event.document)

    response = client.get(lot.link_path)

    assert "không còn nguyên vẹn" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/01/08930000000018/10/HN-001",  # wrong check digit
        "/01/8930000000019/10/HN-001",  # 13 digits
        "/01/08930000000019/10/NONE",
        "/sp/LAAAAAAAAA/10/HN-001",
    ],
)
def test_scan_page_answers_404_for_unknown_or_malformed_links(client, lot, path):
    assert client.get(path).status_code == 404


def test_scan_link_serves_the_epcis_document(client, lot):
    response = client.get(lot.link_path, {"linkType": "gs1:epcis"})

    assert response["Content-Type"] == "application/ld+json"
    assert response.json()["type"] == "EPCISDocument"


def test_tracing_list_is_for_staff(login, client, producer, office):
    assert login(producer).get(reverse("traceability:tracing-list")).status_code == 403
    assert login(office).get(reverse("traceability:tracing-list")).status_code == 200


def test_area_page_shows_households_to_the_office_only(
    login, coded, producer, office, villages
):
    from ..factories import HouseholdFactory

    household = HouseholdFactory(village=villages["hn1"], head_name="Lê Thị Hoa")
    coded.households.add(household)

    for_office = login(office).get(coded.get_absolute_url())
    for_producer = login(producer).get(coded.get_absolute_url())

    assert "Lê Thị Hoa" in for_office.content.decode()
    assert for_producer.status_code == 200
    assert "Lê Thị Hoa" not in for_producer.content.decode()


def test_office_links_households_by_code_on_the_area_form(
    login, coded, office, villages
):
    from ..factories import HouseholdFactory

    household = HouseholdFactory(village=villages["hn1"], code="HN-0007")
    data = {
        "name": coded.name,
        "unit": coded.unit_id,
        "crop": coded.crop,
        "crop_kind": coded.crop_kind,
    }
    client = login(office)

    refused = client.post(
        reverse("traceability:area-edit", args=[coded.pk]),
        {**data, "household_codes": "HN-0007, KHONG-CO"},
    )
    saved = client.post(
        reverse("traceability:area-edit", args=[coded.pk]),
        {**data, "household_codes": "HN-0007"},
    )

    assert "KHONG-CO" in refused.content.decode()
    assert saved.status_code == 302
    assert list(coded.households.all()) == [household]


@pytest.mark.parametrize("count", [1, 3])
def test_trace_home_query_count_does_not_grow(
    login, entity, producer, units, django_assert_num_queries, count
):
    from ntm.traceability.services import declare_area

    for number in range(count):
        declare_area(
            entity=entity,
            name=f"Vùng {number}",
            unit=units["ha_nha"],
            crop="Rau",
            boundary=square(lon=108.0 + number * 0.01),
            by=producer,
        )
    client = login(producer)

    with django_assert_num_queries(8):
        response = client.get(reverse("traceability:home"))

    assert len(response.context["areas"]) == count


def test_trace_home_offers_the_diary_only_on_areas_the_user_keeps(
    login, declared, producer, units
):
    from ntm.accounts.models import Role

    from ..factories import make_member

    diary = reverse("traceability:diary-add", args=[declared.pk])
    commune = make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="xa")

    as_producer = login(producer).get(reverse("traceability:home"))
    as_reader = login(commune).get(reverse("traceability:home"))

    assert f'href="{diary}"' in as_producer.content.decode()
    assert declared.name in as_reader.content.decode()
    assert f'href="{diary}"' not in as_reader.content.decode()
    assert login(commune).get(diary).status_code == 403


def test_trace_home_links_the_tracing_list_only_for_staff(login, producer, office):
    tracing = reverse("traceability:tracing-list")

    as_producer = login(producer).get(reverse("traceability:home")).content.decode()
    as_office = login(office).get(reverse("traceability:home")).content.decode()

    assert f'href="{tracing}"' not in as_producer
    assert login(producer).get(tracing).status_code == 403
    assert f'href="{tracing}"' in as_office


def test_producer_declares_an_area_from_a_vn2000_shapefile(
    login, producer, entity, units
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..layers import ring, vn2000, zipped_shapefile

    corners = list(square().exterior.coords)[:4]
    upload = SimpleUploadedFile(
        "vung-trong.zip", zipped_shapefile([("V1", [ring(vn2000(corners))])])
    )
    client = login(producer)

    response = client.post(
        reverse("traceability:area-declare"),
        {
            "entity": entity.pk,
            "name": "Ruộng rau Bàu Sen",
            "unit": units["ha_nha"].pk,
            "crop": "Rau cải",
            "crop_kind": "annual",
            "boundary_file": upload,
            "boundary_crs": "vn2000-107.75",
        },
    )

    area = GrowingArea.objects.get()
    assert response.status_code == 302
    ring_back = area.boundary["coordinates"][0]
    assert ring_back[0] == pytest.approx(list(corners[0]), abs=1e-5)
