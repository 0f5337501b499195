import json

import pytest

from ntm.ocop.models import Evaluation, SalesChannel

from ..factories import EntityFactory, HouseholdFactory
from .conftest import points_for

pytestmark = pytest.mark.django_db
API = "/api/v1/ocop"
PRIVATE = ("Nguyễn Văn Đại Diện", "0905111222", "02353888999", "Số 9 đường Bí Mật")


@pytest.fixture
def published(make_evaluation, product, villages):
    """A certified product, a scored one, and an entity with private data."""
    entity = product.entity
    entity.contact_phone, entity.address = "02353888999", "Số 9 đường Bí Mật"
    entity.household = HouseholdFactory(village=villages["hn1"], head_name="Bà Chủ Hộ")
    entity.kind = entity.Kind.HOUSEHOLD_BUSINESS
    entity.save()
    make_evaluation(product, total=72)
    other = EntityFactory(unit=entity.unit).products.create(name="Trà", group="do_uong")
    make_evaluation(other, total=40, until="score")
    SalesChannel.objects.create(
        entity=entity, kind="sieu_thi", name="Co.opmart", listed_from="2025-01-01"
    )
    return product


def _json(client, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 200
    return response.content.decode(), response.json()


def test_anonymous_reads_carry_no_personal_data(client, published):
    texts = []
    for path in (
        "/entities",
        f"/entities/{published.entity_id}",
        "/products",
        f"/products/{published.pk}",
        "/evaluations",
        "/sales-channels",
    ):
        text, _data = _json(client, path)
        texts.append(text)

    everything = "".join(texts)
    for private in (*PRIVATE, "Bà Chủ Hộ", "representative", "household_code"):
        assert private not in everything
    _text, product = _json(client, f"/products/{published.pk}")
    assert (product["stars"], product["certificate_valid_until"]) == (4, "2028-11-25")


def test_anonymous_sees_only_certified_results(client, published):
    _text, results = _json(client, "/evaluations")

    assert [r["status"] for r in results] == [Evaluation.Status.CERTIFIED]


def test_staff_and_the_entitys_account_read_the_representative(
    login, published, office, producer
):
    for user in (office, producer):
        _text, entity = _json(login(user), f"/entities/{published.entity_id}")
        assert entity["representative"] == "Nguyễn Văn Đại Diện"


def test_writes_need_a_session(client, entity):
    response = client.patch(
        f"{API}/entities/{entity.pk}", {"name": "X"}, content_type="application/json"
    )

    assert response.status_code == 401


def test_producer_patches_its_profile_but_not_its_unit_or_another_entity(
    login, entity, producer
):
    client = login(producer)
    other = EntityFactory(unit=entity.unit)

    ok = client.patch(
        f"{API}/entities/{entity.pk}",
        {"contact_phone": "02353777666", "contact_is_public": True},
        content_type="application/json",
    )
    moved = client.patch(
        f"{API}/entities/{entity.pk}",
        {"unit": "20539"},
        content_type="application/json",
    )
    foreign = client.patch(
        f"{API}/entities/{other.pk}", {"name": "X"}, content_type="application/json"
    )

    assert ok.status_code == 200
    assert ok.json()["contact_phone"] == "02353777666"
    assert (moved.status_code, foreign.status_code) == (403, 403)


def test_office_creates_an_entity_on_its_units_only(login, office, commune_officer):
    data = {"code": "4009", "name": "HTX Nấm", "kind": "htx", "unit": "20515",
            "address": "Thôn 1"}  # fmt: skip

    created = login(office).post(
        f"{API}/entities", data, content_type="application/json"
    )
    outside = login(commune_officer).post(
        f"{API}/entities",
        {**data, "code": "4010", "unit": "20539"},
        content_type="application/json",
    )

    assert created.status_code == 201
    assert created.json()["unit"] == {"code": "20515", "name": "Xã Hà Nha"}
    assert outside.status_code == 403


def test_producer_records_a_listing_through_the_api(login, entity, producer):
    client = login(producer)
    url = f"{API}/entities/{entity.pk}/sales-channels"

    missing = client.post(
        url,
        {"kind": "san_tmdt", "name": "Gian hàng", "listed_from": "2026-01-01"},
        content_type="application/json",
    )
    created = client.post(
        url,
        {"kind": "san_tmdt", "name": "Gian hàng", "url": "https://voso.vn/g",
         "listed_from": "2026-01-01"},
        content_type="application/json",
    )  # fmt: skip

    assert missing.status_code == 422
    assert "url" in missing.json()["errors"]
    assert created.status_code == 201
    assert created.json()["is_live"] is True


def test_the_workflow_through_the_api_respects_roles(
    login, make_evaluation, product, council, office
):
    evaluation = make_evaluation(product, until="enter")
    points = {str(pk): str(value) for pk, value in points_for(evaluation, 65).items()}
    base = f"{API}/evaluations/{evaluation.pk}"

    assert (
        login(office)
        .post(f"{base}/score", {"points": points}, content_type="application/json")
        .status_code
        == 403
    )
    scored = login(council).post(
        f"{base}/score", {"points": points}, content_type="application/json"
    )
    assert (scored.status_code, scored.json()["stars"]) == (200, 3)
    assert login(council).post(f"{base}/approve").status_code == 403
    assert login(office).post(f"{base}/approve").status_code == 200
    skipped = login(office).post(f"{base}/approve")
    assert skipped.status_code == 422
    certified = login(office).post(
        f"{base}/certify",
        {"number": "9/QĐ-UBND", "certificate_date": "2025-12-01"},
        content_type="application/json",
    )
    assert certified.json()["valid_until"] == "2028-12-01"


def test_openapi_document_lists_the_ocop_paths(client):
    document = json.loads(client.get("/api/openapi.json").content)

    paths = document["paths"]
    for path in (
        "/api/v1/ocop/entities",
        "/api/v1/ocop/products/{product_id}",
        "/api/v1/ocop/evaluations/{evaluation_id}/certify",
        "/api/v1/ocop/sales-channels",
    ):
        assert path in paths
    assert document["openapi"].startswith("3.")


def test_openapi_document_is_consistent(client):
    """Every $ref resolves and every operation has its own id (a validator's
    first checks, without a validator package)."""
    document = json.loads(client.get("/api/openapi.json").content)
    refs, operations = [], []

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    for path_item in document["paths"].values():
        operations += [op["operationId"] for op in path_item.values()]

    schemas = document["components"]["schemas"]
    assert all(ref.removeprefix("#/components/schemas/") in schemas for ref in refs)
    assert len(operations) == len(set(operations))
