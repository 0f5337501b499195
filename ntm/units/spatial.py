"""Spatial queries that PostgreSQL answers itself when PostGIS is installed.

Finding which of the country's 3,321 communes holds a point is the field's
own work: a GiST index on the boundaries finds the few candidates, where
Python would read and parse every boundary for every report. With PostGIS
present (Debian's ``postgresql-15-postgis-3``; ``.ci/run`` and the
production set-up install it), ``ensure_postgis`` enables the extension and
indexes the units' boundaries after every ``migrate``; without it (SQLite,
the embedded demo, a server without the package) callers fall back on
shapely, with the same answers.

Checks of many points against a few known boundaries (a household import
against its communes) stay in shapely: the boundaries are read once and
every point is checked in memory, with no round trip per point. The map's
households are read through the B-tree index on (lat, lon), which serves
both databases: ``docs/performance.md`` has the figures.
"""

from django.db import connections
from shapely.geometry import Point, shape

from ntm.core import postgis as postgis_server

# The boundary as a PostGIS geometry, or NULL for one PostGIS cannot read:
# an index on it must never refuse a save that shapely accepted.
BOUNDARY_FUNCTION = """
CREATE OR REPLACE FUNCTION ntm_boundary(boundary jsonb) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN ST_SetSRID(ST_GeomFromGeoJSON(boundary::text), 4326);
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$
"""
BOUNDARY_INDEX = (
    "CREATE INDEX IF NOT EXISTS unit_boundary_gist ON units_unit "
    "USING gist (ntm_boundary(boundary)) WHERE boundary IS NOT NULL"
)

_enabled = {}  # database name: PostGIS is enabled there


def postgis(using="default"):
    """Whether PostGIS is enabled in this database and the boundaries are
    indexed for it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    name = connection.settings_dict["NAME"]
    if name not in _enabled:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_proc WHERE proname = 'ntm_boundary' AND "
                "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')"
            )
            _enabled[name] = cursor.fetchone() is not None
    return _enabled[name]


def ensure_postgis(using="default"):
    """Enable PostGIS and index the boundaries, when the server has it."""
    if not postgis_server.enable(using):
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(BOUNDARY_FUNCTION)
        cursor.execute(BOUNDARY_INDEX)
    _enabled.pop(connection.settings_dict["NAME"], None)


def ensure_postgis_after_migrate(sender, using, **kwargs):
    ensure_postgis(using)


def shape_of(boundary):
    """The shapely geometry of a GeoJSON boundary, or None when unreadable."""
    try:
        return shape(boundary)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def units_near(units, lat, lon, tolerance):
    """[(distance from its centroid, unit)] of ``units`` (a queryset) whose
    boundary lies within ``tolerance`` degrees of the point: through the
    boundaries' index when PostGIS is enabled, else by shapely."""
    if postgis(units.db):
        return _near_by_index(units, lat, lon, tolerance)
    return near_by_shapely(units, lat, lon, tolerance)


def near_by_shapely(units, lat, lon, tolerance):
    """``units_near`` by reading and testing every boundary in Python."""
    here = Point(float(lon), float(lat))
    near = []
    for unit in units:
        geometry = shape_of(unit.boundary) if unit.boundary else None
        if geometry is not None and geometry.buffer(tolerance).covers(here):
            near.append((geometry.centroid.distance(here), unit))
    return near


def _near_by_index(units, lat, lon, tolerance):
    inner, params = units.values("pk").query.sql_with_params()
    with connections[units.db].cursor() as cursor:
        cursor.execute(
            "WITH here AS (SELECT ST_SetSRID(ST_Point(%s, %s), 4326) AS point) "
            "SELECT u.id, "
            "ST_Distance(ST_Centroid(ntm_boundary(u.boundary)), here.point) "
            "FROM units_unit u, here WHERE u.boundary IS NOT NULL "
            f"AND ST_DWithin(ntm_boundary(u.boundary), here.point, %s) "
            f"AND u.id IN ({inner})",
            [float(lon), float(lat), tolerance, *params],
        )
        distances = dict(cursor.fetchall())
    rows = units.filter(pk__in=distances).defer("boundary")
    return [(distances[unit.pk], unit) for unit in rows]
