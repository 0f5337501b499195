"""Distances on the WGS 84 ellipsoid for the nearby-report search."""

import math

from pyproj import Geod

GEOD = Geod(ellps="WGS84")
# Metres per degree of latitude, rounded down: the box is never too small.
METRES_PER_DEGREE = 110_500


def box(lat, lon, metres):
    """(south, north, west, east) of a box holding the circle of ``metres``."""
    lat, lon = float(lat), float(lon)
    dlat = metres / METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(abs(lat) + dlat)), 0.01)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def distance_m(lat1, lon1, lat2, lon2):
    _fwd, _back, metres = GEOD.inv(float(lon1), float(lat1), float(lon2), float(lat2))
    return metres
