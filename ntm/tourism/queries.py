"""Reads of rural tourism: the public GeoJSON of sites (no personal data)
and the ranking of sites by their latest assessment."""

from django.db.models import OuterRef, Subquery

from .models import Assessment, Site
from .scoring import stars


def site_features(sites):
    """Published, located ``sites`` as GeoJSON features: what a visitor reads.

    The contact is the business's (name, phone, e-mail, website), never a
    household's.
    """
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
            "properties": {
                "code": site.code,
                "name": site.shown_name,
                "kind": site.kind,
                "kind_label": str(site.get_kind_display()),
                "unit": site.unit.name,
                "address_code": site.address_code,
                "opening_hours": site.shown_opening_hours,
                "price": site.shown_price,
                "business": site.business_name,
                "url": site.get_absolute_url(),
                "is_demo": site.is_demo,
            },
        }
        for site in sites.published().located().select_related("unit")
    ]


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def ranked_sites():
    """Published sites with an assessment, best latest total first, with stars."""
    latest = Assessment.objects.filter(site=OuterRef("pk")).order_by(
        "-assessed_on", "-pk"
    )
    sites = (
        Site.objects.published()
        .annotate(
            score=Subquery(latest.values("total")[:1]),
            scored_on=Subquery(latest.values("assessed_on")[:1]),
        )
        .exclude(score=None)
        .select_related("unit")
        .order_by("-score", "name")
    )
    ranked = list(sites)
    for rank, site in enumerate(ranked, start=1):
        site.rank, site.stars = rank, stars(site.score)
    return ranked
