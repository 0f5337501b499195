"""catalog.jsonld is DCAT-AP 3: the SEMIC shapes accept it (pyshacl)."""

import json
from pathlib import Path

from django.urls import reverse
from pyshacl import validate
from rdflib import Graph

SHAPES = Path(__file__).parent / "data" / "dcat-ap-3.0.0-SHACL.ttl"


def catalogue(client):
    response = client.get(reverse("opendata:catalogue-jsonld"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return response.content


def test_catalogue_conforms_to_dcat_ap_3(client, records):
    data = Graph().parse(data=catalogue(client), format="json-ld")
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _graph, report = validate(data, shacl_graph=shapes)
    assert conforms, report


def test_catalogue_names_publisher_licence_themes_and_files(client, records):
    document = json.loads(catalogue(client))
    assert document["@type"] == "dcat:Catalog"
    assert document["dct:publisher"]["@type"] == "foaf:Agent"
    assert document["dct:publisher"]["foaf:name"]["@value"] == (
        "Ủy ban nhân dân huyện Đại Lộc"
    )
    datasets = {d["dct:identifier"]: d for d in document["dcat:dataset"]}
    area = datasets["vung-trong"]
    assert area["dcat:theme"]["@id"] == (
        "http://publications.europa.eu/resource/authority/data-theme/AGRI"
    )
    files = {
        d["dct:format"]["@id"].rsplit("/", 1)[1]
        for d in area["dcat:distribution"]
        if "dct:format" in d
    }
    assert files == {"CSV", "XLSX", "GEOJSON"}
    for distribution in area["dcat:distribution"]:
        assert distribution["dct:license"]["@id"] == (
            "https://creativecommons.org/licenses/by/4.0/"
        )
    (service,) = document["dcat:service"]
    assert service["dcat:endpointURL"]["@id"].endswith("/du-lieu-mo/ogc/")


def test_catalogue_and_dataset_pages(client, records):
    page = client.get(reverse("opendata:catalogue"))
    assert page.status_code == 200
    text = page.content.decode()
    for title in ("Vùng trồng được cấp mã số", "Hợp tác xã và ứng dụng công nghệ số"):
        assert title in text
    detail = client.get(reverse("opendata:dataset-detail", args=["vung-trong"]))
    text = detail.content.decode()
    assert "Ủy ban nhân dân huyện Đại Lộc" in text
    assert "CC BY 4.0" in text
    assert reverse("opendata:dataset-file", args=["vung-trong", "geojson"]) in text
    assert client.get("/du-lieu-mo/khong-co/").status_code == 404


def test_open_data_is_read_only(client, records):
    assert client.post(reverse("opendata:catalogue")).status_code == 405
    url = reverse("opendata:dataset-file", args=["diem-wifi", "csv"])
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200
