"""Which commune holds a map point (issue 13 item 6, ntm.units.spatial): on
PostgreSQL with PostGIS the database finds it through the boundaries' GiST
index; elsewhere shapely reads every boundary. Both give the same answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def _communes():
    return Unit.objects.valid_on().filter(
        level=Unit.Level.COMMUNE, boundary__isnull=False
    )


def _codes(near):
    return sorted(unit.code for _distance, unit in near)


def test_postgis_is_enabled_wherever_the_server_has_it():
    assert spatial.postgis() == postgis.available()


def test_the_database_and_shapely_find_the_same_communes(area):
    for lat, lon in POINTS:
        found = spatial.units_near(_communes(), lat, lon, services.TOLERANCE)
        by_shapely = spatial.near_by_shapely(_communes(), lat, lon, services.TOLERANCE)
        assert _codes(found) == _codes(by_shapely), (lat, lon)
        for (distance, unit), (expected, same) in zip(
            sorted(found, key=lambda pair: pair[1].code),
            sorted(by_shapely, key=lambda pair: pair[1].code),
            strict=True,
        ):
            assert unit == same and abs(distance - expected) < 1e-9
    # Inside Hà Nha; outside every commune.
    assert _codes(spatial.units_near(_communes(), 15.85, 108.05, 0)) == ["20515"]
    assert spatial.units_near(_communes(), 16.50, 108.05, services.TOLERANCE) == []


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
