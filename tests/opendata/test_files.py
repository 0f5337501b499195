"""The published files: CSV, XLSX and GeoJSON of each dataset."""

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from shapely.geometry import shape

from ntm.cooperatives.models import Cooperative
from ntm.cooperatives.services import delete_cooperative, update_cooperative
from ntm.opendata.files import dataset_file
from ntm.opendata.registry import get_dataset


def get(client, code, fmt):
    response = client.get(reverse("opendata:dataset-file", args=[code, fmt]))
    assert response.status_code == 200
    return response


def test_csv_is_utf8_with_bom_keys_and_machine_numbers(client, records):
    response = get(client, "vung-trong", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="vung-trong.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        {
            "code": "VN-48-20515-01-01",
            "name": "Vùng rau Hà Nha",
            "commune_code": "20515",
            "commune": "Xã Hà Nha",
            "crop": "Rau cải",
            "variety": "",
            "crop_kind": "Cây hằng năm",
            "season": "",
            "area_ha": "10.7125",
            "expected_yield_tonnes": "",
            "status": "Đã cấp mã",
            "status_changed_on": "",
            # A household business is not named: its name is the head's.
            "producer": "",
            "producer_kind": "Hộ sản xuất, kinh doanh có đăng ký kinh doanh",
        }
    ]


def test_csv_text_never_runs_as_a_formula(client, records):
    text = get(client, "diem-wifi", "csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\r\n=HYPERLINK" not in text


def test_xlsx_has_numbers_as_numbers_and_the_metadata(client, records):
    response = get(client, "hop-tac-xa", "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    data = book["Dữ liệu"]
    header = [cell.value for cell in data[1]]
    assert header[:2] == ["Mã số HTX / số đăng ký", "Tên hợp tác xã"]
    row = dict(zip(header, [cell.value for cell in data[2]], strict=True))
    assert row["Số thành viên"] == 1250
    assert isinstance(row["Số thành viên"], int)
    assert row["Ứng dụng công nghệ số"] == "có"
    info = {r[0].value: r[1].value for r in book["Thông tin"].iter_rows()}
    assert info["Giấy phép"].startswith("CC BY 4.0")
    assert info["Đơn vị công bố"] == "Ủy ban nhân dân huyện Đại Lộc"
    assert info["Cập nhật dữ liệu"] is not None


def test_xlsx_coordinates_are_numbers(client, records):
    book = load_workbook(io.BytesIO(get(client, "nha-van-hoa", "xlsx").content))
    data = book["Dữ liệu"]
    header = [cell.value for cell in data[1]]
    row = dict(zip(header, [cell.value for cell in data[2]], strict=True))
    assert row["Vĩ độ"] == pytest.approx(15.861234)


def test_geojson_is_a_valid_feature_collection(client, records):
    response = get(client, "vung-trong", "geojson")
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == "VN-48-20515-01-01"
    assert shape(feature["geometry"]).is_valid
    assert feature["properties"]["area_ha"] == 10.7125


def test_only_spatial_datasets_have_geojson(client, records):
    url = reverse("opendata:dataset-file", args=["hop-tac-xa", "geojson"])
    assert client.get(url).status_code == 404
    assert client.get("/du-lieu-mo/khong-co.csv").status_code == 404


def test_a_file_is_rebuilt_when_its_data_changes(client, records):
    before = get(client, "hop-tac-xa", "csv")
    cooperative = Cooperative.objects.get()
    update_cooperative(
        cooperative,
        by=None,
        name="HTX Dịch vụ Hà Nha",
        applies_digital_technology=False,
    )
    after = get(client, "hop-tac-xa", "csv")
    assert "HTX Dịch vụ Hà Nha" in after.content.decode("utf-8-sig")
    assert before["ETag"] != after["ETag"]
    delete_cooperative(Cooperative.objects.get(), by=None)
    emptied = get(client, "hop-tac-xa", "csv").content.decode("utf-8-sig")
    assert len(emptied.splitlines()) == 1


def test_an_unchanged_file_answers_not_modified(client, records):
    first = get(client, "diem-wifi", "csv")
    again = client.get(
        reverse("opendata:dataset-file", args=["diem-wifi", "csv"]),
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304


def test_a_file_is_built_once_per_data_version(records, django_assert_max_num_queries):
    dataset = get_dataset("hop-tac-xa")
    dataset_file(dataset, "csv")
    # The version is a cache read: neither the rows nor anything else.
    with django_assert_max_num_queries(0):
        dataset_file(dataset, "csv")
