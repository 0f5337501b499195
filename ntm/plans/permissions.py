"""Who may read and write the plan's records, tasks and budget."""

from ntm.accounts.models import Membership, Office, Role
from ntm.accounts.permissions import holds_role_on, is_staff_role_holder

DISTRICT_ROLES = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF)
RECORD_KEEPERS = (*DISTRICT_ROLES, Role.COMMUNE_OFFICER)


def offices_of(user, unit):
    """The offices whose staff ``user`` is on ``unit`` or above it (a set)."""
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_plan_offices", {})
    if unit.pk not in cache:
        cache[unit.pk] = set(
            Membership.objects.covering(unit)
            .filter(user=user, role=Role.OFFICE_STAFF)
            .values_list("office", flat=True)
        )
    return cache[unit.pk]


def is_district_admin(user, plan):
    return holds_role_on(user, plan.unit, Role.DISTRICT_ADMIN)


# -- records (work dossiers, essential services, pilot communes) -------------
def can_view_records(user, plan):
    """District staff see every unit; commune officers their communes (the
    list is narrowed by ``queries.record_units``)."""
    return is_staff_role_holder(user)


def can_edit_record(user, unit, *, successors=()):
    """District staff on the unit, or its commune officers.

    The officers of a commune formed in 2025 keep the records of the old
    communes it replaced, so a unit's ``successors`` count as well.
    """
    return any(
        holds_role_on(user, target, *RECORD_KEEPERS) for target in (unit, *successors)
    )


# -- key tasks ---------------------------------------------------------------
def can_view_tasks(user, plan):
    return is_staff_role_holder(user)


def can_create_task(user, plan):
    """District admins and the Culture office, the plan's focal point (VII.2)."""
    return is_district_admin(user, plan) or Office.CULTURE in offices_of(
        user, plan.unit
    )


def can_edit_task(user, task):
    return can_create_task(user, task.plan)


def can_update_task(user, task):
    """The lead office's staff report progress; district admins may too."""
    return is_district_admin(user, task.plan) or task.lead_office in offices_of(
        user, task.plan.unit
    )


# -- budget ------------------------------------------------------------------
def can_view_budget(user, plan):
    return holds_role_on(user, plan.unit, *DISTRICT_ROLES)


def can_edit_budget(user, plan):
    """The Finance-Planning office allocates the budget (VII.4)."""
    return is_district_admin(user, plan) or Office.FINANCE in offices_of(
        user, plan.unit
    )
