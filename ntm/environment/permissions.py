"""Who keeps environmental monitoring: the district's admin and offices, and a
commune's officers for points in their commune. Readings, limits and alerts
are public (they name places, never people)."""

from ntm.accounts.models import Role
from ntm.units.scope import covers

KEEPERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def keeper_paths(user):
    if not user.is_authenticated:
        return []
    return user.paths(*KEEPERS)


def can_keep_point(user, point):
    """Enter lab results and issue sensor keys for ``point``."""
    return covers(keeper_paths(user), point.unit)
