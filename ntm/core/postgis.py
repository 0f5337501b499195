"""Whether PostgreSQL has PostGIS: available on the server, enabled here.

Apps that use it (``ntm.units.spatial``) enable it after ``migrate`` when
the server has the package, and fall back on shapely when not;
``make prod-check`` reports which.
"""

import logging

from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)


def available(using="default"):
    """Whether this database server could enable PostGIS."""
    return _found(using, "SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")


def enabled(using="default"):
    """Whether PostGIS is enabled in this database."""
    return _found(using, "SELECT 1 FROM pg_extension WHERE extname = 'postgis'")


def _found(using, sql):
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone() is not None


def enable(using="default"):
    """Enable PostGIS when the server has it; whether it is enabled.

    Creating the extension takes a superuser: a production role that owns
    only its database gets False (and the shapely fallback) until a
    database administrator runs ``CREATE EXTENSION postgis`` once; migrate
    must not fail for it.
    """
    if enabled(using):
        return True
    if not available(using):
        return False
    try:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except DatabaseError as error:
        logger.warning("PostGIS not enabled: %s", error)
        return False
    return True
