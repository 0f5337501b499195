"""Who may do what where. A role on a unit covers the unit and all below it."""

from .models import Role, STAFF_ROLES

# Roles that keep the household register of the units they hold.
REGISTER_KEEPERS = (Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD)


def holds_role_on(user, unit, *roles):
    """True when ``user`` holds one of ``roles`` on ``unit`` or above it."""
    if not user.is_authenticated or unit is None:
        return False
    return any(unit.path.startswith(path) for path in _paths(user, roles))


def can_manage_units(user):
    return user.is_authenticated and user.memberships.filter(
        role=Role.DISTRICT_ADMIN
    ).exists()


def can_manage_memberships(user, unit):
    return holds_role_on(user, unit, Role.DISTRICT_ADMIN)


def can_view_households(user, unit):
    return holds_role_on(user, unit, *REGISTER_KEEPERS, Role.OFFICE_STAFF)


def can_edit_households(user, unit):
    return holds_role_on(user, unit, *REGISTER_KEEPERS)


def is_staff_role_holder(user):
    return user.is_authenticated and user.memberships.filter(role__in=STAFF_ROLES).exists()


def must_use_two_factor(user):
    return user.is_authenticated and user.memberships.filter(
        role=Role.DISTRICT_ADMIN
    ).exists()


def _paths(user, roles):
    # One query per request and role set: views ask several questions in a row.
    cache = user.__dict__.setdefault("_role_paths", {})
    key = tuple(sorted(roles))
    if key not in cache:
        cache[key] = user.paths(*roles)
    return cache[key]
