"""OGC API - Features, Part 1: Core, over the spatial datasets.

The service is small on purpose (docs/decisions.md says why pygeoapi is
not embedded): landing page, conformance, collections, one collection,
items (bbox, limit, offset, next/prev links, numberMatched/Returned) and
one item, in GeoJSON, described by an OpenAPI 3.0 document. The query side
is shaped like pygeoapi's provider interface (``query`` with bbox, limit
and offset; ``get`` by identifier), so the registry can be served by
pygeoapi through a provider when the platform moves to a Python it
supports.

Features come from the same cached rows as the downloadable files, so the
service and the files always agree; the datasets are district-sized
(hundreds of features), so filtering by bbox is done on the cached
features with shapely.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from shapely.geometry import box, shape

from .files import dataset_rows, feature
from .versions import data_version

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
ITEM_PARAMETERS = {"bbox", "limit", "offset", "f"}


class QueryError(ValueError):
    """A parameter the standard says answers 400 Bad Request."""


@dataclass
class Query:
    bbox: tuple | None
    limit: int
    offset: int


def parse_query(params):
    """The items request's parameters, checked as Core requires.

    An unknown parameter is refused (/req/core/query-param-unknown); a limit
    over the maximum is lowered to it, not refused (/req/core/fc-limit-response-1).
    """
    unknown = set(params) - ITEM_PARAMETERS
    if unknown:
        raise QueryError(f"Unknown parameter: {', '.join(sorted(unknown))}")
    if params.get("f", "json") not in ("json", "geojson"):
        raise QueryError("Only f=json is offered.")
    return Query(
        bbox=_bbox(params.get("bbox")),
        limit=min(_whole(params.get("limit"), DEFAULT_LIMIT, "limit", 1), MAX_LIMIT),
        offset=_whole(params.get("offset"), 0, "offset", 0),
    )


def _whole(text, default, name, smallest):
    if text is None or text == "":
        return default
    try:
        number = int(text)
    except ValueError:
        raise QueryError(f"{name} must be a whole number.") from None
    if number < smallest:
        raise QueryError(f"{name} must be at least {smallest}.")
    return number


def _bbox(text):
    if not text:
        return None
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        raise QueryError("bbox must be four or six numbers.") from None
    if len(numbers) == 6:
        # A 3D box: the heights do not matter for these 2D features.
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4:
        raise QueryError("bbox must be four or six numbers.")
    west, south, east, north = numbers
    if south > north or not (-90 <= south <= 90 and -90 <= north <= 90):
        raise QueryError("bbox latitudes are out of order or range.")
    return west, south, east, north


class DatasetFeatures:
    """A spatial dataset's features, queried as a pygeoapi provider is."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.version = data_version(dataset)
        self.rows = dataset_rows(dataset, self.version)

    def query(self, *, bbox=None, limit=DEFAULT_LIMIT, offset=0):
        """(features of the page, number matched)."""
        rows = self.rows
        if bbox is not None:
            rows = [row for row in rows if _within(row.get("geometry"), bbox)]
        page = rows[offset : offset + limit]
        return [feature(self.dataset, row) for row in page], len(rows)

    def get(self, identifier):
        for row in self.rows:
            if str(row["id"]) == identifier:
                return feature(self.dataset, row)
        return None

    def extent(self):
        """[west, south, east, north] of every located feature, or None."""
        bounds = [
            shape(row["geometry"]).bounds for row in self.rows if row.get("geometry")
        ]
        if not bounds:
            return None
        return [
            min(b[0] for b in bounds),
            min(b[1] for b in bounds),
            max(b[2] for b in bounds),
            max(b[3] for b in bounds),
        ]


def _within(geometry, bbox):
    """Whether the feature's geometry meets the box (a box across the
    antimeridian, west > east, is two boxes)."""
    if not geometry:
        return False
    west, south, east, north = bbox
    found = shape(geometry)
    if west > east:
        return found.intersects(box(west, south, 180, north)) or found.intersects(
            box(-180, south, east, north)
        )
    return found.intersects(box(west, south, east, north))


# -- documents -----------------------------------------------------------------


def landing(absolute):
    return {
        "title": "NTM Số — OGC API Features",
        "description": "Dữ liệu mở có vị trí của NTM Số (Open data with location).",
        "links": [
            _link(absolute(reverse("opendata:ogc-landing")), "self", JSON, "Trang này"),
            _link(
                absolute(reverse("opendata:ogc-openapi")),
                "service-desc",
                OPENAPI,
                "OpenAPI",
            ),
            _link(
                absolute(reverse("opendata:catalogue")),
                "service-doc",
                "text/html",
                "Danh mục dữ liệu mở",
            ),
            _link(
                absolute(reverse("opendata:ogc-conformance")),
                "conformance",
                JSON,
                "Conformance",
            ),
            _link(
                absolute(reverse("opendata:ogc-collections")),
                "data",
                JSON,
                "Collections",
            ),
        ],
    }


def conformance():
    return {"conformsTo": CONFORMANCE}


def collections(datasets, absolute):
    return {
        "links": [
            _link(absolute(reverse("opendata:ogc-collections")), "self", JSON, "")
        ],
        "collections": [collection(dataset, absolute) for dataset in datasets],
    }


def collection(dataset, absolute):
    items = absolute(reverse("opendata:ogc-items", args=[dataset.code]))
    extent = DatasetFeatures(dataset).extent()
    document = {
        "id": dataset.code,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            _link(
                absolute(reverse("opendata:ogc-collection", args=[dataset.code])),
                "self",
                JSON,
                str(dataset.title),
            ),
            _link(items, "items", GEOJSON, str(dataset.title)),
            _link(
                absolute(reverse("opendata:dataset-detail", args=[dataset.code])),
                "describedby",
                "text/html",
                str(dataset.title),
            ),
            _link(
                "https://creativecommons.org/licenses/by/4.0/",
                "license",
                "text/html",
                "CC BY 4.0",
            ),
        ],
    }
    if extent:
        document["extent"] = {"spatial": {"bbox": [extent], "crs": CRS84}}
    return document


def items(dataset, query, absolute):
    found, matched = DatasetFeatures(dataset).query(
        bbox=query.bbox, limit=query.limit, offset=query.offset
    )
    base = absolute(reverse("opendata:ogc-items", args=[dataset.code]))

    def page_url(offset):
        params = {"limit": query.limit, "offset": offset}
        if query.bbox is not None:
            params["bbox"] = ",".join(_number(n) for n in query.bbox)
        return f"{base}?{urlencode(params)}"

    links = [
        _link(page_url(query.offset), "self", GEOJSON, ""),
        _link(
            absolute(reverse("opendata:ogc-collection", args=[dataset.code])),
            "collection",
            JSON,
            str(dataset.title),
        ),
    ]
    if query.offset + query.limit < matched:
        links.append(_link(page_url(query.offset + query.limit), "next", GEOJSON, ""))
    if query.offset > 0:
        links.append(
            _link(page_url(max(query.offset - query.limit, 0)), "prev", GEOJSON, "")
        )
    return {
        "type": "FeatureCollection",
        "features": found,
        "links": links,
        "timeStamp": timezone.now().replace(microsecond=0).isoformat(),
        "numberMatched": matched,
        "numberReturned": len(found),
    }


def item(dataset, identifier, absolute):
    found = DatasetFeatures(dataset).get(identifier)
    if found is None:
        return None
    found["links"] = [
        _link(
            absolute(reverse("opendata:ogc-item", args=[dataset.code, identifier])),
            "self",
            GEOJSON,
            "",
        ),
        _link(
            absolute(reverse("opendata:ogc-collection", args=[dataset.code])),
            "collection",
            JSON,
            str(dataset.title),
        ),
    ]
    return found


def _link(href, rel, media_type, title):
    link = {"href": href, "rel": rel, "type": media_type}
    if title:
        link["title"] = title
    return link


def _number(value):
    return f"{value:g}"
