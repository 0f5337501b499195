"""Whether PostgreSQL has PostGIS: available on the server, enabled here.

Apps that use it (``ntm.units.spatial``) enable it after ``migrate`` when
the server has the package, and fall back on shapely when not;
``make prod-check`` reports which.
"""

from django.db import connections


def available(using="default"):
    """Whether this database server could enable PostGIS."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
        return cursor.fetchone() is not None


def enabled(using="default"):
    """Whether PostGIS is enabled in this database."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
        return cursor.fetchone() is not None


def enable(using="default"):
    """Enable PostGIS when the server has it; whether it is enabled."""
    if not available(using):
        return False
    with connections[using].cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return True
