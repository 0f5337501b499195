"""Who keeps tourism records: the district's admin and offices, and a
commune's officers for sites and routes in their commune. Sites are public
(they name businesses and places, never people)."""

from ntm.accounts.models import Role
from ntm.units.scope import covers

KEEPERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def keeper_paths(user):
    if not user.is_authenticated:
        return []
    return user.paths(*KEEPERS)


def can_keep_unit(user, unit):
    """Create and edit sites and routes of ``unit``."""
    return covers(keeper_paths(user), unit)


def can_keep_site(user, site):
    return can_keep_unit(user, site.unit)


# Sites are scored by the district (its admin and offices), not by the
# commune that keeps them, as OCOP products are scored above the producer.
ASSESSORS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF)


def can_assess_site(user, site):
    return user.is_authenticated and covers(user.paths(*ASSESSORS), site.unit)
