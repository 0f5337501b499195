"""Who may keep the cooperative register.

Cooperatives are organisations: their names, products and linkage models are
public. Their representative and phone are personal data, for staff only.
Keepers: district admins, the Agriculture office, and commune officers for
their commune, including cooperatives registered in a commune it replaced.
"""

from django.db.models import Q

from ntm.accounts.models import Office, Role

VIEWERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def keeper_paths(user):
    """Unit paths under which ``user`` keeps cooperatives."""
    if not user.is_authenticated:
        return []
    cache = user.__dict__.get("_cooperative_paths")
    if cache is None:
        cache = list(
            user.memberships.filter(
                Q(role__in=[Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER])
                | Q(role=Role.OFFICE_STAFF, office=Office.AGRICULTURE)
            ).values_list("unit__path", flat=True)
        )
        user.__dict__["_cooperative_paths"] = cache
    return cache


def viewer_paths(user):
    if not user.is_authenticated:
        return []
    cache = user.__dict__.get("_cooperative_viewer_paths")
    if cache is None:
        cache = user.__dict__["_cooperative_viewer_paths"] = user.paths(*VIEWERS)
    return cache


def can_create_cooperative(user):
    return bool(keeper_paths(user))


def can_keep_commune(user, commune):
    return _covers(keeper_paths(user), commune)


def can_edit_cooperative(user, cooperative):
    return can_keep_commune(user, cooperative.commune)


def can_view_private(user, cooperative):
    """Representative and phone: staff of the commune (or above) only."""
    return _covers(viewer_paths(user), cooperative.commune)


def _covers(paths, commune):
    if not paths or commune is None:
        return False
    if any(commune.path.startswith(path) for path in paths):
        return True
    # A commune that merged in 2025 is kept by those who keep its successor.
    return any(
        successor.path.startswith(path)
        for successor in commune.successors()
        for path in paths
    )
