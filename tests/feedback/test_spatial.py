"""Which commune holds a map point (issue 13 item 6, ntm.units.spatial): on
PostgreSQL with PostGIS the database finds it through the boundaries' GiST
index; elsewhere shapely reads every boundary. Both give the same answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shapely.geometry import Point

from ntm.core import postgis
from ntm.feedback import services
from ntm.units import spatial
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

# Inside Hà Nha, inside Vu Gia, on their shared edge, just outside Hà Nha
# within the tolerance (0.01°), and far outside both.
POINTS = [
    (15.85, 108.05),
    (15.85, 108.15),
    (15.85, 108.10),
    (15.905, 108.05),
    (15.85, 107.90),
    (16.50, 108.05),
]


def _by_shapely(lat, lon):
    found = []
    for commune in Unit.objects.valid_on().filter(
        level=Unit.Level.COMMUNE, boundary__isnull=False
    ):
        geometry = services._shape(commune.boundary)
        here = Point(lon, lat)
        if geometry.buffer(services.TOLERANCE).covers(here):
            found.append(commune.code)
    return sorted(found)


def test_postgis_is_enabled_wherever_the_server_has_it():
    assert spatial.postgis() == postgis.available()
    if connection.vendor != "postgresql":
        assert spatial.units_near(15.85, 108.05, 0.01, level=3) is None


def test_the_database_and_shapely_find_the_same_communes(area):
    for lat, lon in POINTS:
        found = spatial.units_near(
            lat, lon, services.TOLERANCE, level=Unit.Level.COMMUNE
        )
        if found is None:  # no PostGIS here: the shapely path is all there is
            assert not spatial.postgis()
            continue
        # Today's communes, as locate() keeps (the 2024 ones have boundaries).
        codes = sorted(
            Unit.objects.valid_on()
            .filter(pk__in=[pk for _d, pk in found])
            .values_list("code", flat=True)
        )
        assert codes == _by_shapely(lat, lon), (lat, lon)


def test_locating_a_report_asks_the_database_when_postgis_is_there(area):
    with CaptureQueriesContext(connection) as queries:
        village, commune = services.locate(15.85, 108.07)

    assert commune == area["ha_nha"]
    assert village == area["hn2"]  # the nearest village centre (108.08)
    asked = any("ST_DWithin" in q["sql"] for q in queries.captured_queries)
    assert asked == spatial.postgis()
    with pytest.raises(services.FeedbackError, match="ngoài địa bàn"):
        services.locate(16.50, 108.05)


def test_a_role_that_may_not_create_extensions_gets_the_fallback_not_an_error():
    if connection.vendor != "postgresql":
        assert postgis.enable() is False
        return
    # Inside the test's transaction, rolled back after it: PostGIS dropped,
    # then asked for again by a role that owns nothing on the server.
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION postgis CASCADE")
        cursor.execute("CREATE ROLE ntm_plain_owner NOLOGIN")
        cursor.execute("SET LOCAL ROLE ntm_plain_owner")
    assert postgis.enable() is False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # the transaction is still usable
        cursor.execute("RESET ROLE")
    assert postgis.enabled() is False
