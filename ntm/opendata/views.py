"""Public pages and files of the open data: no sign-in, nothing personal."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from ntm.core.publiccache import shared_page

from . import ogc
from .catalogue import catalogue_document
from .files import MEDIA_TYPES, dataset_rows, draws_on_demo, file_name
from .files import dataset_file as build_file
from .metadata import LICENCE_NAME, LICENCE_URL, publisher
from .openapi import openapi_document
from .registry import all_datasets, get_dataset, spatial_datasets
from .versions import data_version

# Open data is meant to be read by other sites' scripts too.
OPEN_HEADERS = {"Access-Control-Allow-Origin": "*"}
# Short: a file is rebuilt on the next request after its data changes.
PUBLIC_CACHE = "public, max-age=300"


def _absolute(request):
    return request.build_absolute_uri


def _dataset_or_404(code, *, spatial=False):
    dataset = get_dataset(code)
    if dataset is None or (spatial and not dataset.spatial):
        raise Http404
    return dataset


@require_safe
@shared_page
def catalogue(request):
    datasets = [(dataset, data_version(dataset)) for dataset in all_datasets()]
    context = {
        "datasets": datasets,
        "publisher": publisher(),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }
    return render(request, "opendata/catalogue.html", context)


@require_safe
@shared_page
def dataset_detail(request, code):
    dataset = _dataset_or_404(code)
    version = data_version(dataset)
    rows = dataset_rows(dataset, version)
    context = {
        "dataset": dataset,
        "version": version,
        "row_count": len(rows),
        "demo": draws_on_demo(dataset),
        "period": dataset.temporal(rows) if dataset.temporal else None,
        "publisher": publisher(),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }
    return render(request, "opendata/dataset_detail.html", context)


@require_safe
@shared_page
def dataset_file(request, code, fmt):
    dataset = _dataset_or_404(code)
    if fmt not in dataset.formats:
        raise Http404
    content, version = build_file(dataset, fmt)
    etag = f'"{version.key}-{fmt}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type=MEDIA_TYPES[fmt])
        response["Content-Disposition"] = (
            f'attachment; filename="{file_name(dataset, fmt)}"'
        )
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@shared_page
def catalogue_jsonld(request):
    # The Vietnamese texts are tagged "vi": they stay Vietnamese whatever
    # the visitor's language (the English ones are in the declarations).
    with translation.override("vi"):
        document = catalogue_document(_absolute(request))
    return _json(document, "application/ld+json")


# -- OGC API Features ---------------------------------------------------------


@require_safe
@shared_page
def ogc_landing(request):
    return _json(ogc.landing(_absolute(request)))


@require_safe
@shared_page
def ogc_conformance(request):
    return _json(ogc.conformance())


@require_safe
@shared_page
def ogc_openapi(request):
    return _json(openapi_document(spatial_datasets(), _absolute(request)), ogc.OPENAPI)


@require_safe
@shared_page
def ogc_collections(request):
    return _json(ogc.collections(spatial_datasets(), _absolute(request)))


@require_safe
@shared_page
def ogc_collection(request, code):
    dataset = _dataset_or_404(code, spatial=True)
    return _json(ogc.collection(dataset, _absolute(request)))


@require_safe
@shared_page
def ogc_items(request, code):
    dataset = _dataset_or_404(code, spatial=True)
    try:
        query = ogc.parse_query(request.GET)
    except ogc.QueryError as error:
        return _json(
            {"code": "InvalidParameterValue", "description": str(error)}, status=400
        )
    return _json(ogc.items(dataset, query, _absolute(request)), ogc.GEOJSON)


@require_safe
@shared_page
def ogc_item(request, code, identifier):
    dataset = _dataset_or_404(code, spatial=True)
    found = ogc.item(dataset, identifier, _absolute(request))
    if found is None:
        return _json({"code": "NotFound", "description": identifier}, status=404)
    return _json(found, ogc.GEOJSON)


def _json(document, content_type="application/json", status=200):
    response = JsonResponse(
        document,
        status=status,
        json_dumps_params={"ensure_ascii": False},
        content_type=content_type,
    )
    for header, value in OPEN_HEADERS.items():
        response[header] = value
    return response
