"""Reads of the map page: its layers as GeoJSON, household clusters, search.

Every layer is a FeatureCollection in WGS84 built by set-based queries; the
page's script draws them. What may be shown to whom is decided here once:
households reach the public only as counts placed at their village's
centre (never a household's point, name or code); register keepers see the
points of the households of their own units. Residents' reports are shown
as the feedback app's own public map shows them, never their reporter.
"""

import math
from dataclasses import dataclass

from django.db.models import Avg, Count, FloatField, Q
from django.db.models.functions import Cast, Floor
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.accounts.models import Role
from ntm.accounts.permissions import REGISTER_KEEPERS
from ntm.cooperatives.models import Cooperative
from ntm.core.numbers import format_quantity
from ntm.core.text import fold, fold_terms
from ntm.feedback.models import Report as FeedbackReport
from ntm.households.models import Facility, Household, Place
from ntm.indicators.evaluation import MET, NO_DATA, NOT_MET, Context, evaluate
from ntm.indicators.evaluation import measure as measure_indicator
from ntm.indicators.models import CriteriaSet, Indicator, Period
from ntm.ocop.models import Entity, Evaluation
from ntm.tourism.models import Site as TourismSite
from ntm.tourism.queries import site_features as tourism_site_features
from ntm.traceability.models import GrowingArea
from ntm.units.geojson import unit_feature
from ntm.units.models import Unit
from ntm.units.scope import within_paths

STATUS_TEXT = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    NO_DATA: gettext_lazy("Chưa có số liệu"),
}
# From this zoom on, register keepers see each household's point; below it
# (and for everyone else at any zoom) households are counted in clusters.
POINT_ZOOM = 16
# From this zoom on, public clusters are single villages; below it villages
# close together on screen are merged into one cluster.
VILLAGE_ZOOM = 13
# A cluster cell is about this many screen pixels wide (a 256-pixel tile
# spans 360 / 2**zoom degrees of longitude).
CELL_PIXELS = 64
# More points than this in one view are sent as clusters, whatever the zoom.
MAX_POINTS = 3000
# Classes of an indicator's values on the map (quantiles), light to dark.
VALUE_CLASSES = 4
# Residents' reports drawn, the newest first: as many as the feedback app's
# own public map draws (feedback.views.report_geojson).
MAX_REPORTS = 2000


def cell_degrees(zoom):
    return 360 / 2**zoom * CELL_PIXELS / 256


def collection(features, **members):
    return {"type": "FeatureCollection", "features": features, **members}


def point(lon, lat):
    return {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}


# -- communes and villages coloured by the engine ------------------------------


def colouring_choices(level, year):
    """(criteria sets, indicators) a unit layer of ``level`` can be coloured by."""
    sets = {}
    for criteria_set in (
        CriteriaSet.objects.active()
        .for_year(year)
        .filter(level=level)
        .order_by("code", "-version")
    ):
        sets.setdefault(criteria_set.code, criteria_set)
    indicators = Indicator.objects.filter(level=level).order_by("code")
    return list(sets.values()), list(indicators)


def unit_layer(level, year, *, criteria_set=None, indicator=None):
    """The units of ``level`` that existed in ``year``, each with its colour.

    By a criteria set: the set's overall status (met, not met, no data). By an
    indicator: its value, in VALUE_CLASSES quantile classes whose bounds are
    returned as ``legend``. Villages without a boundary are drawn as points
    at their centre.
    """
    period = Period.year(year)
    context = Context(period)
    units = list(
        Unit.objects.valid_on(period.reference_day)
        .at_level(level)
        .select_related("parent")
        .in_natural_order()
    )
    features = []
    legend = []
    if criteria_set is not None:
        evaluations = evaluate(criteria_set, units, period, context)
        for unit in units:
            status = evaluations[unit.pk].status
            features.append(
                _unit_feature(unit, status=status, text=str(STATUS_TEXT[status]))
            )
    elif indicator is not None:
        measurements = measure_indicator(indicator, units, context)
        values = {pk: m.value for pk, m in measurements.items() if m.value is not None}
        bounds = _quantile_bounds(sorted(values.values()))
        for unit in units:
            value = values.get(unit.pk)
            klass = None if value is None else _class_of(value, bounds)
            features.append(
                _unit_feature(
                    unit,
                    status=NO_DATA if value is None else f"class{klass}",
                    text=format_quantity(value, indicator.measure)
                    if value is not None
                    else str(STATUS_TEXT[NO_DATA]),
                    value=None if value is None else float(value),
                )
            )
        legend = [
            {
                "status": f"class{index}",
                "text": _("%(low)s – %(high)s")
                % {
                    "low": format_quantity(low, indicator.measure),
                    "high": format_quantity(high, indicator.measure),
                },
            }
            for index, (low, high) in enumerate(bounds)
        ]
    else:
        features = [_unit_feature(unit, status=NO_DATA, text="") for unit in units]
    if not legend and criteria_set is not None:
        legend = [{"status": s, "text": str(t)} for s, t in STATUS_TEXT.items()]
    return collection(features, legend=legend, year=year)


def _unit_feature(unit, *, status, text, value=None):
    feature = unit_feature(unit)
    if feature["geometry"] is None and unit.lat is not None and unit.lon is not None:
        feature["geometry"] = point(float(unit.lon), float(unit.lat))
    feature["properties"].update(
        {
            "status": status,
            "status_text": text,
            "value": value,
            "parent": unit.parent.name if unit.parent else "",
            "url": unit.get_absolute_url(),
        }
    )
    return feature


def _quantile_bounds(values):
    """Up to VALUE_CLASSES (low, high) pairs splitting sorted ``values``."""
    if not values:
        return []
    classes = min(VALUE_CLASSES, len(set(values)))
    bounds = []
    for index in range(classes):
        low = values[len(values) * index // classes]
        high = values[max(len(values) * (index + 1) // classes - 1, 0)]
        bounds.append((low, high))
    return bounds


def _class_of(value, bounds):
    for index, (_low, high) in enumerate(bounds):
        if value <= high:
            return index
    return len(bounds) - 1


def base_layer():
    """Today's communes as plain outlines: the base of the no-tile mode."""
    units = Unit.objects.valid_on().communes().exclude(boundary=None)
    return collection(
        [
            {
                "type": "Feature",
                "geometry": unit.boundary,
                "properties": {"name": unit.name, "code": unit.code},
            }
            for unit in units.only("code", "name", "boundary")
        ]
    )


# -- households ----------------------------------------------------------------


def register_paths(user):
    """Units whose households' points ``user`` may see on the map."""
    if not user.is_authenticated:
        return []
    return user.paths(*REGISTER_KEEPERS, Role.OFFICE_STAFF)


@dataclass(frozen=True)
class Bbox:
    west: float
    south: float
    east: float
    north: float

    def filter(self, prefix=""):
        return Q(
            **{
                f"{prefix}lon__gte": self.west,
                f"{prefix}lon__lte": self.east,
                f"{prefix}lat__gte": self.south,
                f"{prefix}lat__lte": self.north,
            }
        )


def household_layer(bbox, zoom, *, paths):
    """Households in ``bbox`` at ``zoom``, as the caller may see them.

    Within ``paths`` (the caller's units): each household's point from
    POINT_ZOOM on, grid clusters from VILLAGE_ZOOM, village clusters below.
    Elsewhere: one cluster per village at the village's centre, merged on a
    grid below VILLAGE_ZOOM; a cluster carries a count and a village name,
    nothing about any household.

    Below VILLAGE_ZOOM a grid cell is village-sized (about 2 km at zoom 12),
    so a keeper's clusters there are their villages' counts too: measured
    over a province of a million households (bench/household_layer.py), a
    grid over every household in view took 730 ms at zoom 9, the villages'
    counts under 100 ms.
    """
    features = _village_clusters(bbox, zoom, exclude=paths)
    if paths and zoom < VILLAGE_ZOOM:
        features += _village_clusters(bbox, zoom, only=paths)
    elif paths:
        features += _register_features(bbox, zoom, paths)
    return collection(features, zoom=zoom, register=bool(paths))


def _village_clusters(bbox, zoom, *, exclude=(), only=()):
    villages = Unit.objects.villages().filter(bbox.filter())
    if exclude:
        villages = villages.exclude(within_paths(exclude))
    if only:
        villages = villages.filter(within_paths(only))
    places = {
        pk: (code, name, lat, lon)
        for pk, code, name, lat, lon in villages.values_list(
            "pk", "code", "name", "lat", "lon"
        )
    }
    # Counted on the households alone, then matched to the villages: the
    # join grouped by village took three times as long (the same benchmark).
    counts = (
        Household.objects.filter(village_id__in=places)
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [(*places[pk], n) for pk, n in counts]
    register = bool(only)
    if zoom >= VILLAGE_ZOOM:
        return [
            _cluster(
                float(lon),
                float(lat),
                count,
                label=name,
                village=code,
                register=register,
            )
            for code, name, lat, lon, count in sorted(rows)
        ]
    size = cell_degrees(zoom)
    cells = {}
    for _code, name, lat, lon, count in sorted(rows):
        key = (math.floor(float(lon) / size), math.floor(float(lat) / size))
        cell = cells.setdefault(key, [0.0, 0.0, 0, []])
        cell[0] += float(lon) * count
        cell[1] += float(lat) * count
        cell[2] += count
        cell[3].append(name)
    return [
        _cluster(
            x / n,
            y / n,
            n,
            label=names[0] if len(names) == 1 else _("%s thôn") % len(names),
            register=register,
        )
        for x, y, n, names in cells.values()
    ]


def _register_features(bbox, zoom, paths):
    households = Household.objects.within_any(paths).filter(bbox.filter())
    if zoom >= POINT_ZOOM:
        rows = list(
            households.values_list("code", "address_code", "lat", "lon")[
                : MAX_POINTS + 1
            ]
        )
        if len(rows) <= MAX_POINTS:
            return [
                {
                    "type": "Feature",
                    "geometry": point(float(lon), float(lat)),
                    "properties": {
                        "kind": "household",
                        "code": code,
                        "address_code": address_code or "",
                        "url": reverse("households:household-detail", args=[code]),
                    },
                }
                for code, address_code, lat, lon in rows
            ]
    size = cell_degrees(zoom)
    lon = Cast("lon", FloatField())
    lat = Cast("lat", FloatField())
    cells = (
        households.annotate(cx=Floor(lon / size), cy=Floor(lat / size))
        .values("cx", "cy")
        .annotate(n=Count("pk"), x=Avg(lon), y=Avg(lat))
        .order_by()
    )
    return [_cluster(c["x"], c["y"], c["n"], register=True) for c in cells]


def _cluster(lon, lat, count, *, label="", village="", register=False):
    return {
        "type": "Feature",
        "geometry": point(lon, lat),
        "properties": {
            "kind": "cluster",
            "count": count,
            "label": label,
            "village": village,
            "register": register,
        },
    }


# -- places, facilities, producers, growing areas --------------------------------


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    features: object  # () -> list of features
    exists: object  # () -> bool
    # () -> [{"status", "text"}]: the layer's points are coloured by their
    # "status" property and the page shows this legend beside the layer.
    legend: object = None


def _located(queryset):
    return queryset.filter(lat__isnull=False, lon__isnull=False)


def _point_features(records, extra):
    """Located facilities or places: name, kind, village, code, ``extra``."""
    return [
        {
            "type": "Feature",
            "geometry": point(float(r.lon), float(r.lat)),
            "properties": {
                "name": r.name,
                "kind": str(r.get_kind_display()),
                "village": r.village.name,
                "address_code": r.address_code or "",
                **extra(r),
            },
        }
        for r in _located(records).select_related("village")
    ]


def _facility_features(facilities):
    return _point_features(facilities, lambda f: {"has_wifi": f.has_wifi})


def _place_features():
    return _point_features(Place.objects.all(), lambda p: {"url": p.get_absolute_url()})


def _at_unit(unit, properties):
    """A record known only by its commune, drawn at the commune's centre."""
    if unit.lat is None or unit.lon is None:
        return None
    return {
        "type": "Feature",
        "geometry": point(float(unit.lon), float(unit.lat)),
        "properties": {**properties, "approximate": True, "unit": unit.name},
    }


def _cooperative_features():
    cooperatives = Cooperative.objects.select_related("commune").order_by("name")
    features = [
        _at_unit(
            c.commune, {"name": c.name, "kind": str(_("Hợp tác xã")), "code": c.code}
        )
        for c in cooperatives
    ]
    return [f for f in features if f]


def _ocop_features():
    entities = (
        Entity.objects.filter(products__evaluations__status=Evaluation.Status.CERTIFIED)
        .distinct()
        .select_related("unit")
        .order_by("name")
    )
    features = [
        _at_unit(
            e.unit,
            {
                # A household business is named after the head of household.
                "name": "" if e.kind == Entity.Kind.HOUSEHOLD_BUSINESS else e.name,
                "kind": str(e.get_kind_display()),
            },
        )
        for e in entities
    ]
    return [f for f in features if f]


def _area_features():
    areas = GrowingArea.objects.public().exclude(boundary=None).select_related("unit")
    return [
        {
            "type": "Feature",
            "geometry": area.boundary,
            "properties": {
                "name": area.name,
                "code": area.code,
                "crop": area.crop,
                "status": str(area.get_status_display()),
                "unit": area.unit.name,
            },
        }
        for area in areas
    ]


def _report_features():
    """Residents' reports, with what the feedback app shows the public of
    them (its list and map): code, category, status, date received, overdue,
    its public page, at the same point as its own map. The reporter's name
    and phone and the report's text are not even read."""
    reports = (
        FeedbackReport.objects.public()
        .defer("text", "address_code", "reporter_name", "reporter_phone")
        .order_by("-received_at", "-pk")[:MAX_REPORTS]
    )
    return [
        {
            "type": "Feature",
            "geometry": point(float(r.lon), float(r.lat)),
            "properties": {
                "code": r.code,
                "category": r.category.name,
                "status": r.status,
                "status_text": str(r.get_status_display()),
                "received": f"{timezone.localtime(r.received_at):%d/%m/%Y}",
                "overdue": r.is_overdue,
                "demo": r.is_demo,
                "url": r.get_absolute_url(),
            },
        }
        for r in reports
    ]


def _report_legend():
    statuses = [
        {"status": s.value, "text": str(s.label)} for s in FeedbackReport.Status
    ]
    # Overdue is not a status: the page rings an overdue point (static/js/map.js).
    return [*statuses, {"status": "overdue", "text": _("Quá hạn"), "outline": True}]


LAYERS = [
    Layer(
        "wifi",
        gettext_lazy("Điểm Wi-Fi công cộng"),
        lambda: _facility_features(Facility.objects.filter(has_wifi=True)),
        lambda: _located(Facility.objects.filter(has_wifi=True)).exists(),
    ),
    Layer(
        "nha-van-hoa",
        gettext_lazy("Nhà văn hóa thôn"),
        lambda: _facility_features(
            Facility.objects.filter(kind=Facility.Kind.CULTURAL_HOUSE)
        ),
        lambda: _located(
            Facility.objects.filter(kind=Facility.Kind.CULTURAL_HOUSE)
        ).exists(),
    ),
    Layer(
        "co-quan",
        gettext_lazy("Cơ quan, tổ chức, di tích"),
        _place_features,
        lambda: _located(Place.objects.all()).exists(),
    ),
    Layer(
        "hop-tac-xa",
        gettext_lazy("Hợp tác xã (theo xã)"),
        _cooperative_features,
        lambda: Cooperative.objects.exists(),
    ),
    Layer(
        "ocop",
        gettext_lazy("Chủ thể OCOP (theo xã)"),
        _ocop_features,
        lambda: (
            Entity.objects.filter(
                products__evaluations__status=Evaluation.Status.CERTIFIED
            )
            .distinct()
            .exists()
        ),
    ),
    Layer(
        "vung-trong",
        gettext_lazy("Vùng trồng được cấp mã"),
        _area_features,
        lambda: GrowingArea.objects.public().exclude(boundary=None).exists(),
    ),
    Layer(
        "du-lich",
        gettext_lazy("Điểm du lịch nông thôn"),
        lambda: tourism_site_features(TourismSite.objects.all()),
        lambda: TourismSite.objects.published().located().exists(),
    ),
    Layer(
        "phan-anh",
        gettext_lazy("Phản ánh của người dân"),
        _report_features,
        lambda: FeedbackReport.objects.public().exists(),
        legend=_report_legend,
    ),
]
LAYER_BY_KEY = {layer.key: layer for layer in LAYERS}


def available_layers():
    """The layers that have records to draw."""
    return [layer for layer in LAYERS if layer.exists()]


# -- search ----------------------------------------------------------------------

SEARCH_LIMIT = 10


def search(query):
    """Units and facilities matching ``query``.

    Diacritics and case do not matter ("dai loc" finds "Đại Lộc"). A
    household's digital address is found by its code and answered with its
    village's centre: its public page, never its household's point or name.
    """
    terms = fold_terms(query)
    if not terms:
        return []
    results = []
    code = query.strip()
    for household in (
        Household.objects.filter(address_code__istartswith=code)
        .exclude(address_code__isnull=True)
        .select_related("village__parent")
        .order_by("address_code")[:SEARCH_LIMIT]
    ):
        village = household.village
        results.append(
            _result(
                household.address_code,
                _("Địa chỉ số, %(village)s, %(commune)s")
                % {"village": village.name, "commune": village.parent.name},
                village.lon,
                village.lat,
                reverse("addresses:address-page", args=[household.address_code]),
            )
        )
    places = Place.objects.select_related("village")
    for term in terms:
        places = places.filter(
            Q(name_folded__contains=term) | Q(address_code__istartswith=term)
        )
    for place in _located(places)[:SEARCH_LIMIT]:
        results.append(
            _result(
                place.name,
                place.get_kind_display(),
                place.lon,
                place.lat,
                place.get_absolute_url(),
            )
        )
    for unit in (
        Unit.objects.valid_on()
        .matching(query)
        .exclude(lat=None)
        .select_related("parent")
        .in_natural_order()[:SEARCH_LIMIT]
    ):
        results.append(
            _result(
                unit.name,
                unit.parent.name if unit.parent else unit.get_kind_display(),
                unit.lon,
                unit.lat,
                unit.get_absolute_url(),
            )
        )
    # A few hundred facilities a district: folded here rather than stored.
    for facility in _located(Facility.objects.select_related("village")):
        haystack = fold(f"{facility.name} {facility.address_code}")
        if all(term in haystack for term in terms):
            results.append(
                _result(
                    facility.name,
                    facility.village.name,
                    facility.lon,
                    facility.lat,
                    "",
                )
            )
            if len(results) >= SEARCH_LIMIT * 4:
                break
    return results[: SEARCH_LIMIT * 4]


def _result(name, detail, lon, lat, url):
    return {
        "name": str(name),
        "detail": str(detail),
        "lon": float(lon) if lon is not None else None,
        "lat": float(lat) if lat is not None else None,
        "url": url,
    }
