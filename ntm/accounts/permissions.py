"""Who may do what where. A role on a unit covers the unit and all below it."""

from django.db.models import Q

from ntm.units.scope import covers

from .models import STAFF_ROLES, Office, Role

# Roles that keep the household register of the units they hold.
REGISTER_KEEPERS = (Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD)


def holds_role_on(user, unit, *roles):
    """True when ``user`` holds one of ``roles`` on ``unit`` or above it."""
    return user.is_authenticated and covers(user.paths(*roles), unit)


def can_manage_units(user):
    return user.is_authenticated and user.holds(Role.DISTRICT_ADMIN)


def can_grant_membership(user, unit):
    """District admins grant roles on the units they hold and those below."""
    return holds_role_on(user, unit, Role.DISTRICT_ADMIN)


def can_revoke_membership(user, membership):
    return holds_role_on(user, membership.unit, Role.DISTRICT_ADMIN)


def can_view_households(user, unit):
    return holds_role_on(user, unit, *REGISTER_KEEPERS, Role.OFFICE_STAFF)


# District offices whose work needs the register's names and phones in a file
# (digital transformation, the NTM office). The others, the police included,
# read the register on screen within their units but export no personal data
# (Decree 13/2023: processing limited to what the purpose needs).
PERSONAL_DATA_OFFICES = (Office.CULTURE, Office.AGRICULTURE)


def can_export_personal_data(user):
    """Register keepers, and the office staff of PERSONAL_DATA_OFFICES."""
    if not user.is_authenticated:
        return False
    return user.memberships.filter(
        Q(role__in=REGISTER_KEEPERS)
        | Q(role=Role.OFFICE_STAFF, office__in=PERSONAL_DATA_OFFICES)
    ).exists()


def can_edit_households(user, unit):
    return holds_role_on(user, unit, *REGISTER_KEEPERS)


def is_staff_role_holder(user):
    return user.is_authenticated and user.holds(*STAFF_ROLES)


def must_use_two_factor(user):
    return user.is_authenticated and user.holds(Role.DISTRICT_ADMIN)


def can_set_up_two_factor(user):
    return is_staff_role_holder(user)


def can_delete_device(user, device):
    """Owners may switch their code off, from a verified session, unless they
    are district admins, who must keep one."""
    return (
        user.is_authenticated
        and device.user_id == user.pk
        # Set by django_otp's middleware when the session passed a code.
        and getattr(user, "otp_device", None) is not None
        and not must_use_two_factor(user)
    )


def can_create_own_token(user):
    """Anyone holding a role may make keys for their own programs: a key
    can do no more than its owner."""
    return user.is_authenticated and user.memberships.exists()


def can_revoke_token(user, token):
    """The owner, or a district admin over a unit where the owner holds a role."""
    if not user.is_authenticated:
        return False
    if token.user_id == user.pk:
        return True
    paths = user.paths(Role.DISTRICT_ADMIN)
    return bool(paths) and token.user.memberships.within_any(paths).exists()
