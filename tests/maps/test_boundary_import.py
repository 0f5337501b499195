import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.units.models import Unit
from tests.accounts.signin import sign_in_verified
from tests.factories import make_member
from tests.units.test_commands import feature, square

pytestmark = pytest.mark.django_db
URL = reverse("maps:boundary-import")


def _upload(*features, name="ranh-gioi.geojson"):
    data = {"type": "FeatureCollection", "features": list(features)}
    return SimpleUploadedFile(
        name, json.dumps(data).encode(), content_type="application/geo+json"
    )


def _post(client, upload, **fields):
    return client.post(URL, {"file": upload, "code_property": "ma", **fields})


def test_district_admin_replaces_boundaries_from_a_file(client, units):
    sign_in_verified(client, make_member(units["city"], Role.DISTRICT_ADMIN))
    upload = _upload(
        feature("20515", square(108.00, 15.80)),
        feature("20539", square(107.90, 15.90)),
    )

    response = _post(client, upload, source="Sở Nông nghiệp và Môi trường")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã cập nhật ranh giới 2 đơn vị" in page
    ha_nha = Unit.objects.by_code("20515")
    assert ha_nha.boundary["coordinates"][0][0] == pytest.approx([108.00, 15.80])
    assert ha_nha.boundary_is_approximate is False
    assert ha_nha.source == "Sở Nông nghiệp và Môi trường"
    assert ActionLog.objects.for_object(ha_nha).first().data["approximate"] is False


def test_a_unit_outside_the_admins_saves_nothing_and_is_named(client, units):
    before = Unit.objects.by_code("20515").boundary
    sign_in_verified(client, make_member(units["ha_nha"], Role.DISTRICT_ADMIN))
    upload = _upload(
        feature("20515", square(108.00, 15.80)),
        feature("20539", square(107.90, 15.90)),
    )

    response = _post(client, upload, source="Thử")

    assert response.status_code == 422
    page = response.content.decode()
    assert "Bạn không quản lý các đơn vị: 20539" in page
    assert 'value="Thử"' in page  # what was typed is kept
    assert Unit.objects.by_code("20515").boundary == before


def test_a_feature_naming_no_unit_saves_nothing(client, units):
    before = Unit.objects.by_code("20515").boundary
    sign_in_verified(client, make_member(units["city"], Role.DISTRICT_ADMIN))
    upload = _upload(
        feature("20515", square(108.00, 15.80)), feature("99999", square(108, 16))
    )

    response = _post(client, upload)

    assert response.status_code == 422
    assert "Không tìm thấy đơn vị cho: #2 (ma=99999)" in response.content.decode()
    assert Unit.objects.by_code("20515").boundary == before


def test_a_file_that_is_not_a_layer_is_refused_by_its_content(client, units):
    sign_in_verified(client, make_member(units["city"], Role.DISTRICT_ADMIN))
    upload = SimpleUploadedFile("ranh-gioi.geojson", b"\x89PNG\r\n\x1a\n" + b"0" * 64)

    response = _post(client, upload)

    assert response.status_code == 422


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD])
def test_only_a_district_admin_may_import(client, units, role):
    client.force_login(make_member(units["ha_nha"], role))

    response = _post(client, _upload(feature("20515", square(108.00, 15.80))))

    assert response.status_code == 403


def test_the_map_links_the_import_for_a_district_admin_only(client, units):
    assert URL not in client.get(reverse("maps:map")).content.decode()
    sign_in_verified(client, make_member(units["city"], Role.DISTRICT_ADMIN))

    assert URL in client.get(reverse("maps:map")).content.decode()
