"""OGC API - Features, read by OWSLib as any GIS client would."""

import pytest
from django.urls import reverse
from openapi_spec_validator import validate
from owslib.ogcapi.features import Features

from ntm.households.models import Facility

from ..factories import FacilityFactory

pytestmark = pytest.mark.django_db(transaction=True)

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
# Around Hà Nha's first village, where the growing area and the cultural
# house of the `records` fixture are; the Wi-Fi point is further north-east.
NEAR_HA_NHA = [108.015, 15.855, 108.025, 15.865]


@pytest.fixture
def service(live_server, records):
    return Features(live_server.url + reverse("opendata:ogc-landing"))


def test_owslib_lists_the_spatial_collections(service):
    assert CORE in service.conformance()["conformsTo"]
    found = {c["id"]: c for c in service.collections()["collections"]}
    assert set(found) == {
        "danh-gia-xa-ntm",
        "danh-gia-thon",
        "vung-trong",
        "diem-wifi",
        "nha-van-hoa",
        "diem-du-lich",
    }
    assert "hop-tac-xa" not in found
    area = service.collection("vung-trong")
    west, south, east, north = area["extent"]["spatial"]["bbox"][0]
    assert (west, south, east, north) == pytest.approx((108.02, 15.86, 108.023, 15.863))


def test_owslib_reads_items_within_a_bbox(service):
    everything = service.collection_items("diem-wifi")
    assert everything["numberMatched"] == 2
    near = service.collection_items("diem-wifi", bbox=NEAR_HA_NHA)
    assert near["numberMatched"] == near["numberReturned"] == 1
    (feature,) = near["features"]
    assert feature["properties"]["name"] == "Nhà văn hóa Thôn 1"
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [108.021234, 15.861234],
    }
    areas = service.collection_items("vung-trong", bbox=NEAR_HA_NHA)
    assert [f["id"] for f in areas["features"]] == ["VN-48-20515-01-01"]
    item = service.collection_item("vung-trong", "VN-48-20515-01-01")
    assert item["properties"]["code"] == "VN-48-20515-01-01"


def test_items_page_with_limit_offset_and_next_links(service, villages):
    for number in range(3, 8):
        FacilityFactory(
            village=villages["hn1"],
            kind=Facility.Kind.WIFI_POINT,
            name=f"Điểm Wi-Fi chợ {number}",
            lat=15.86,
            lon=108.02,
        )
    first = service.collection_items("diem-wifi", limit=3)
    assert first["numberMatched"] == 7
    assert first["numberReturned"] == 3
    (next_link,) = [link for link in first["links"] if link["rel"] == "next"]
    assert "offset=3" in next_link["href"]
    last = service.collection_items("diem-wifi", limit=3, offset=6)
    assert last["numberReturned"] == 1
    assert not [link for link in last["links"] if link["rel"] == "next"]
    ids = {
        f["id"]
        for offset in (0, 3, 6)
        for f in service.collection_items("diem-wifi", limit=3, offset=offset)[
            "features"
        ]
    }
    assert len(ids) == 7


def test_the_service_describes_itself_in_valid_openapi(service):
    document = service.api()
    validate(document)
    assert "/collections/{collectionId}/items" in document["paths"]


def test_bad_parameters_answer_400_and_missing_items_404(client, records):
    items = reverse("opendata:ogc-items", args=["diem-wifi"])
    assert client.get(items, {"bbox": "1,2,3"}).status_code == 400
    assert client.get(items, {"limit": "0"}).status_code == 400
    assert client.get(items, {"colour": "red"}).status_code == 400
    # Over the maximum is lowered to it, not refused.
    assert client.get(items, {"limit": "100000"}).status_code == 200
    missing = reverse("opendata:ogc-item", args=["diem-wifi", "999999"])
    assert client.get(missing).status_code == 404
    assert (
        client.get(reverse("opendata:ogc-items", args=["hop-tac-xa"])).status_code
        == 404
    )
