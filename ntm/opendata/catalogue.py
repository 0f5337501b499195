"""The catalogue as DCAT-AP 3 JSON-LD (catalog.jsonld).

Each node carries its class (foaf:Agent, dct:LicenseDocument, skos:Concept,
dct:Location…) because a harvester, and the DCAT-AP SHACL shapes, read the
classes from the document itself; the @context is inline, so the document
is read without fetching anything. Titles and descriptions are given in
Vietnamese and English, tagged with their language.
"""

from django.urls import reverse

from .files import MEDIA_TYPES, dataset_rows
from .metadata import LICENCE_TITLE, LICENCE_URL, publisher
from .registry import DATA_THEMES, all_datasets
from .versions import data_version

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
LANGUAGE = "http://publications.europa.eu/resource/authority/language/VIE"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type"
FILE_TYPE = {"csv": "CSV", "xlsx": "XLSX", "geojson": "GEOJSON"}
IANA = "https://www.iana.org/assignments/media-types"
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/IRREG"
OGC_FEATURES_CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
# The district's extent (dai_loc_units.json), for catalogues that search by
# place; datasets share it.
DISTRICT_BBOX = (107.80093, 15.72012, 108.15246, 15.94801)


def catalogue_document(absolute):
    """The catalogue; ``absolute(path)`` makes a path an absolute URL."""
    agent = _publisher(absolute)
    datasets = [_dataset(dataset, absolute, agent) for dataset in all_datasets()]
    modified = max(
        (d["dct:modified"]["@value"] for d in datasets),
        default=None,
    )
    catalogue = {
        "@context": CONTEXT,
        "@id": absolute(reverse("opendata:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": _texts("Danh mục dữ liệu mở NTM Số", "NTM Số open data catalogue"),
        "dct:description": _texts(
            "Dữ liệu mở về kết quả xây dựng nông thôn mới, nông thôn mới thông minh "
            "và chuyển đổi số của huyện.",
            "Open data on the district's New Rural (NTM) programme, smart villages "
            "and digital transformation.",
        ),
        "dct:publisher": agent,
        "foaf:homepage": {
            "@id": absolute(reverse("opendata:catalogue")),
            "@type": "foaf:Document",
        },
        "dct:language": {"@id": LANGUAGE, "@type": "dct:LinguisticSystem"},
        "dct:license": _licence(),
        "dct:spatial": _location(absolute),
        "dcat:themeTaxonomy": _theme_scheme(),
        "dcat:dataset": datasets,
        "dcat:service": [_service(absolute, agent)],
    }
    if modified:
        catalogue["dct:modified"] = {"@value": modified, "@type": "xsd:date"}
    return catalogue


def _dataset(dataset, absolute, agent):
    version = data_version(dataset)
    page = absolute(reverse("opendata:dataset-detail", args=[dataset.code]))
    node = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.code,
        "dct:title": _texts(str(dataset.title), dataset.title_en),
        "dct:description": _texts(str(dataset.description), dataset.description_en),
        "dcat:keyword": [
            {"@value": str(word), "@language": "vi"} for word in dataset.keywords
        ],
        "dcat:theme": _theme(dataset),
        "dct:publisher": {"@id": agent["@id"]},
        "dcat:contactPoint": _contact(absolute),
        "dct:spatial": {"@id": _location(absolute)["@id"]},
        "dct:language": {"@id": LANGUAGE},
        "dcat:landingPage": {"@id": page, "@type": "foaf:Document"},
        "dct:accrualPeriodicity": {"@id": FREQUENCY, "@type": "dct:Frequency"},
        "dct:modified": {"@value": version.modified.isoformat(), "@type": "xsd:date"},
        "dcat:distribution": [
            _distribution(dataset, fmt, absolute, version) for fmt in dataset.formats
        ],
    }
    if dataset.temporal:
        period = dataset.temporal(dataset_rows(dataset, version))
        if period:
            node["dct:temporal"] = {
                "@type": "dct:PeriodOfTime",
                "dcat:startDate": {
                    "@value": period[0].isoformat(),
                    "@type": "xsd:date",
                },
                "dcat:endDate": {"@value": period[1].isoformat(), "@type": "xsd:date"},
            }
    if dataset.spatial:
        node["dcat:distribution"].append(_ogc_distribution(dataset, absolute))
    return node


def _distribution(dataset, fmt, absolute, version):
    url = absolute(reverse("opendata:dataset-file", args=[dataset.code, fmt]))
    media_type = MEDIA_TYPES[fmt].split(";")[0]
    return {
        "@id": f"{url}#phan-phoi",
        "@type": "dcat:Distribution",
        "dct:title": _texts(
            f"{dataset.title} ({fmt.upper()})", f"{dataset.title_en} ({fmt.upper()})"
        ),
        "dcat:accessURL": _resource(url),
        "dcat:downloadURL": _resource(url),
        "dcat:mediaType": {"@id": f"{IANA}/{media_type}", "@type": "dct:MediaType"},
        "dct:format": {
            "@id": f"{FILE_TYPES}/{FILE_TYPE[fmt]}",
            "@type": "dct:MediaTypeOrExtent",
        },
        "dct:license": {"@id": LICENCE_URL},
        "dct:modified": {"@value": version.modified.isoformat(), "@type": "xsd:date"},
    }


def _ogc_distribution(dataset, absolute):
    url = absolute(reverse("opendata:ogc-collection", args=[dataset.code]))
    return {
        "@id": f"{url}#phan-phoi",
        "@type": "dcat:Distribution",
        "dct:title": _texts(
            f"{dataset.title} (OGC API Features)",
            f"{dataset.title_en} (OGC API Features)",
        ),
        "dcat:accessURL": _resource(url),
        "dcat:accessService": {"@id": _service_id(absolute)},
        "dct:license": {"@id": LICENCE_URL},
    }


def _service_id(absolute):
    return absolute(reverse("opendata:ogc-landing"))


def _service(absolute, agent):
    return {
        "@id": _service_id(absolute),
        "@type": "dcat:DataService",
        "dct:title": _texts(
            "Dịch vụ OGC API Features của dữ liệu mở NTM Số",
            "NTM Số open data OGC API Features service",
        ),
        "dcat:endpointURL": _resource(_service_id(absolute)),
        "dcat:endpointDescription": _resource(
            absolute(reverse("opendata:ogc-openapi"))
        ),
        "dct:conformsTo": {"@id": OGC_FEATURES_CORE, "@type": "dct:Standard"},
        "dct:publisher": {"@id": agent["@id"]},
        "dct:license": {"@id": LICENCE_URL},
        "dcat:servesDataset": [
            {"@id": absolute(reverse("opendata:dataset-detail", args=[dataset.code]))}
            for dataset in all_datasets()
            if dataset.spatial
        ],
    }


def _publisher(absolute):
    found = publisher()
    return {
        "@id": absolute(reverse("opendata:catalogue")) + "#don-vi-cong-bo",
        "@type": "foaf:Agent",
        "foaf:name": {"@value": found["name"], "@language": "vi"},
    }


def _contact(absolute):
    return {
        "@id": absolute(reverse("opendata:catalogue")) + "#lien-he",
        "@type": ["vcard:Kind", "vcard:Organization"],
        "vcard:fn": publisher()["name"],
        "vcard:hasURL": {"@id": absolute(reverse("opendata:catalogue"))},
    }


def _location(absolute):
    west, south, east, north = DISTRICT_BBOX
    polygon = (
        f"POLYGON(({west} {south},{east} {south},{east} {north},"
        f"{west} {north},{west} {south}))"
    )
    return {
        "@id": absolute(reverse("opendata:catalogue")) + "#dia-ban",
        "@type": "dct:Location",
        "skos:prefLabel": {"@value": publisher()["name"], "@language": "vi"},
        "dcat:bbox": {"@value": polygon, "@type": "gsp:wktLiteral"},
    }


def _licence():
    return {
        "@id": LICENCE_URL,
        "@type": "dct:LicenseDocument",
        "dct:title": {"@value": LICENCE_TITLE, "@language": "en"},
    }


def _theme_scheme():
    return {
        "@id": DATA_THEMES,
        "@type": "skos:ConceptScheme",
        "dct:title": {"@value": "Data theme", "@language": "en"},
    }


def _theme(dataset):
    return {
        "@id": dataset.theme_uri,
        "@type": "skos:Concept",
        "skos:prefLabel": {"@value": dataset.theme_label, "@language": "en"},
        "skos:inScheme": {"@id": DATA_THEMES},
    }


def _resource(url):
    # The shapes ask these values to be of class rdfs:Resource, and read
    # classes from the document (no RDFS inference): it is said outright.
    return {"@id": url, "@type": "rdfs:Resource"}


def _texts(vietnamese, english):
    return [
        {"@value": str(vietnamese), "@language": "vi"},
        {"@value": str(english), "@language": "en"},
    ]
