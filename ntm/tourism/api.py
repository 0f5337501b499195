"""The public API of rural tourism: sites as GeoJSON, no personal data."""

from django.http import JsonResponse
from ninja import Router
from ninja.decorators import decorate_view

from ntm.accounts.apiauth import api_auth
from ntm.core.publiccache import shared_page

from .models import Site
from .queries import collection, site_features

router = Router(tags=["tourism"])


@router.get("/sites", auth=api_auth(optional=True), summary="Điểm du lịch (GeoJSON)")
@decorate_view(shared_page)
def sites(request, kind: str = ""):
    """Published, located sites: name, kind, unit, opening hours, price and
    the business that runs them (never a household's personal data)."""
    queryset = Site.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    return JsonResponse(
        collection(site_features(queryset)), content_type="application/geo+json"
    )
