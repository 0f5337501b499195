"""Who may keep the cooperative register.

Cooperatives are organisations: their names, products and linkage models are
public. Their representative and phone are personal data, for staff only.
Keepers: district admins, the Agriculture office, and commune officers for
their commune, including cooperatives registered in a commune it replaced.
"""

from ntm.accounts.models import Office, Role
from ntm.accounts.permissions import can_export_personal_data
from ntm.units.scope import covers

VIEWERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)
KEEPERS = (Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER)


def keeper_paths(user):
    """Unit paths under which ``user`` keeps cooperatives."""
    if not user.is_authenticated:
        return []
    return user.paths(*KEEPERS, office=Office.AGRICULTURE)


def viewer_paths(user):
    if not user.is_authenticated:
        return []
    return user.paths(*VIEWERS)


def can_export_cooperatives(user):
    """The export carries representatives and phones: staff who see them and
    may export personal data (accounts' rule: not every office, not the
    police)."""
    return bool(viewer_paths(user)) and can_export_personal_data(user)


def can_create_cooperative(user):
    return bool(keeper_paths(user))


def can_keep_commune(user, commune):
    # A commune that merged in 2025 is kept by those who keep its successor.
    return covers(keeper_paths(user), commune, lineage=True)


def can_edit_cooperative(user, cooperative):
    return can_keep_commune(user, cooperative.commune)


def can_view_private(user, cooperative):
    """Representative and phone: staff of the commune (or above) only."""
    return covers(viewer_paths(user), cooperative.commune, lineage=True)
