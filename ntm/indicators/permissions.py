"""Who may enter, review and configure indicator values."""

from ntm.accounts.models import Role
from ntm.accounts.permissions import holds_role_on

ENTERERS = (
    Role.DISTRICT_ADMIN,
    Role.OFFICE_STAFF,
    Role.COMMUNE_OFFICER,
    Role.VILLAGE_HEAD,
)
REVIEWERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF)


def can_enter_value(user, unit):
    return holds_role_on(user, unit, *ENTERERS)


def can_review_value(user, value):
    """A district reviewer covering the unit, who did not submit the value."""
    return (
        holds_role_on(user, value.unit, *REVIEWERS) and value.submitted_by_id != user.pk
    )


def can_edit_criteria(user):
    return (
        user.is_authenticated
        and user.memberships.filter(role=Role.DISTRICT_ADMIN).exists()
    )


def can_close_period(user):
    """Closing and reopening a year is the district administrator's."""
    return user.is_authenticated and user.holds(Role.DISTRICT_ADMIN)
