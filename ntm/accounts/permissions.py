"""Who may do what where. A role on a unit covers the unit and all below it."""

from ntm.units.scope import covers

from .models import STAFF_ROLES, Role

# Roles that keep the household register of the units they hold.
REGISTER_KEEPERS = (Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD)


def holds_role_on(user, unit, *roles):
    """True when ``user`` holds one of ``roles`` on ``unit`` or above it."""
    return user.is_authenticated and covers(user.paths(*roles), unit)


def can_manage_units(user):
    return (
        user.is_authenticated
        and user.memberships.filter(role=Role.DISTRICT_ADMIN).exists()
    )


def can_grant_membership(user, unit):
    """District admins grant roles on the units they hold and those below."""
    return holds_role_on(user, unit, Role.DISTRICT_ADMIN)


def can_revoke_membership(user, membership):
    return holds_role_on(user, membership.unit, Role.DISTRICT_ADMIN)


def can_view_households(user, unit):
    return holds_role_on(user, unit, *REGISTER_KEEPERS, Role.OFFICE_STAFF)


def can_edit_households(user, unit):
    return holds_role_on(user, unit, *REGISTER_KEEPERS)


def is_staff_role_holder(user):
    return (
        user.is_authenticated and user.memberships.filter(role__in=STAFF_ROLES).exists()
    )


def must_use_two_factor(user):
    return (
        user.is_authenticated
        and user.memberships.filter(role=Role.DISTRICT_ADMIN).exists()
    )


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
