"""catalog.jsonld is DCAT-AP 3: the SEMIC shapes accept it (pyshacl)."""

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


def test_catalogue_conforms_to_dcat_ap_3(client, demo):
    data = Graph().parse(data=catalogue(client), format="json-ld")
    shapes = Graph().parse(SHAPES, format="turtle")
    conforms, _graph, report = validate(data, shacl_graph=shapes)
    assert conforms, report
