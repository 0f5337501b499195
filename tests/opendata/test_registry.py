"""The registry: datasets declared as data, and a new one is one declaration."""

import csv
import io

import pytest
from django.urls import reverse

from ntm.core.spreadsheets import Column, Kind
from ntm.opendata import registry
from ntm.opendata.registry import Dataset, all_datasets, get_dataset, register

PUBLISHED_TODAY = {
    "danh-gia-xa-ntm",
    "danh-gia-thon",
    "tieu-chi-thon",
    "muc-tieu-ke-hoach",
    "san-pham-ocop",
    "vung-trong",
    "diem-wifi",
    "nha-van-hoa",
    "hop-tac-xa",
    "diem-du-lich",
}


def test_every_dataset_is_fully_declared():
    datasets = all_datasets()
    assert {d.code for d in datasets} == PUBLISHED_TODAY
    for dataset in datasets:
        assert dataset.title and dataset.title_en and dataset.description
        assert dataset.description_en
        assert dataset.theme_uri.startswith(registry.DATA_THEMES)
        keys = [column.key for column in dataset.columns]
        assert len(keys) == len(set(keys)), dataset.code
        assert dataset.sources, dataset.code
        assert ("geojson" in dataset.formats) == dataset.spatial


def test_spatial_rows_carry_an_id_and_a_geometry(records):
    for dataset in all_datasets():
        if dataset.spatial:
            for row in dataset.rows():
                assert {"id", "geometry"} <= set(row), dataset.code


def test_a_code_is_registered_once_and_themes_come_from_the_vocabulary():
    existing = get_dataset("hop-tac-xa")
    with pytest.raises(ValueError, match="already registered"):
        register(existing)
    with pytest.raises(ValueError, match="Unknown data theme"):
        register(toy(theme="FARM"))


def toy(theme="REGI"):
    return Dataset(
        code="luot-khach-thu",
        title="Lượt khách du lịch (thử)",
        title_en="Tourist visits (test)",
        description="Điểm du lịch của huyện.",
        description_en="The district's tourism sites.",
        theme=theme,
        spatial=True,
        columns=[
            Column("name", "Tên điểm"),
            Column("visitors", "Lượt khách", kind=Kind.INTEGER),
        ],
        rows=lambda: [
            {
                "id": "1",
                "name": "Suối khoáng nóng Thái Lai",
                "visitors": 12000,
                "geometry": {"type": "Point", "coordinates": [107.98, 15.85]},
            }
        ],
    )


@pytest.fixture
def tourism():
    dataset = register(toy())
    yield dataset
    registry._DATASETS.pop(dataset.code)


def test_a_new_dataset_is_published_everywhere_by_its_declaration(
    client, units, tourism
):
    page = client.get(reverse("opendata:catalogue")).content.decode()
    assert "Lượt khách du lịch (thử)" in page
    response = client.get(
        reverse("opendata:dataset-file", args=["luot-khach-thu", "csv"])
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [{"name": "Suối khoáng nóng Thái Lai", "visitors": "12000"}]
    catalogue = client.get(reverse("opendata:catalogue-jsonld")).json()
    assert "luot-khach-thu" in {d["dct:identifier"] for d in catalogue["dcat:dataset"]}
    collections = client.get(reverse("opendata:ogc-collections")).json()
    assert "luot-khach-thu" in {c["id"] for c in collections["collections"]}
