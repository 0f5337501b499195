from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalog.jsonld", views.catalogue_jsonld, name="catalogue-jsonld"),
    # OGC API - Features: the paths the standard names, without a slash.
    path("ogc/", views.ogc_landing, name="ogc-landing"),
    path("ogc/conformance", views.ogc_conformance, name="ogc-conformance"),
    path("ogc/api", views.ogc_openapi, name="ogc-openapi"),
    path("ogc/collections", views.ogc_collections, name="ogc-collections"),
    path("ogc/collections/<slug:code>", views.ogc_collection, name="ogc-collection"),
    path("ogc/collections/<slug:code>/items", views.ogc_items, name="ogc-items"),
    path(
        "ogc/collections/<slug:code>/items/<str:identifier>",
        views.ogc_item,
        name="ogc-item",
    ),
    path("<slug:code>/", views.dataset_detail, name="dataset-detail"),
    path("<slug:code>.<slug:fmt>", views.dataset_file, name="dataset-file"),
]
