"""The OpenAPI 3.0 document of the OGC API Features service (service-desc)."""

from django.urls import reverse

from .ogc import DEFAULT_LIMIT, MAX_LIMIT


def openapi_document(datasets, absolute):
    base = absolute(reverse("opendata:ogc-landing")).rstrip("/")
    collection_id = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "description": "Mã bộ dữ liệu (collection identifier).",
        "schema": {"type": "string", "enum": [d.code for d in datasets]},
    }
    feature_id = {
        "name": "featureId",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    json_object = {"schema": {"type": "object"}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "NTM Số — OGC API Features",
            "version": "1.0.0",
            "description": "Dữ liệu mở có vị trí của NTM Số, giấy phép CC BY 4.0.",
            "license": {
                "name": "CC BY 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
        },
        "servers": [{"url": base}],
        "paths": {
            "/": _get("Trang giới thiệu dịch vụ (landing page)", json_object),
            "/conformance": _get("Các lớp chuẩn đáp ứng (conformance)", json_object),
            "/api": _get(
                "Tài liệu OpenAPI này",
                json_object,
                media_type="application/vnd.oai.openapi+json;version=3.0",
            ),
            "/collections": _get("Danh sách tập đối tượng", json_object),
            "/collections/{collectionId}": _get(
                "Một tập đối tượng", json_object, [collection_id], missing=True
            ),
            "/collections/{collectionId}/items": _get(
                "Các đối tượng của tập (GeoJSON)",
                json_object,
                [
                    collection_id,
                    {
                        "name": "bbox",
                        "in": "query",
                        "required": False,
                        "description": "Khung: tây, nam, đông, bắc (CRS84).",
                        "style": "form",
                        "explode": False,
                        "schema": {
                            "type": "array",
                            "minItems": 4,
                            "maxItems": 6,
                            "items": {"type": "number"},
                        },
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "style": "form",
                        "explode": False,
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_LIMIT,
                            "default": DEFAULT_LIMIT,
                        },
                    },
                    {
                        "name": "offset",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer", "minimum": 0, "default": 0},
                    },
                ],
                media_type="application/geo+json",
                bad_request=True,
                missing=True,
            ),
            "/collections/{collectionId}/items/{featureId}": _get(
                "Một đối tượng (GeoJSON)",
                json_object,
                [collection_id, feature_id],
                media_type="application/geo+json",
                missing=True,
            ),
        },
    }


def _get(
    summary,
    content,
    parameters=(),
    *,
    media_type="application/json",
    bad_request=False,
    missing=False,
):
    responses = {"200": {"description": summary, "content": {media_type: content}}}
    if bad_request:
        responses["400"] = {"description": "Tham số không hợp lệ."}
    if missing:
        responses["404"] = {"description": "Không có tập hoặc đối tượng này."}
    operation = {"summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = list(parameters)
    return {"get": operation}
