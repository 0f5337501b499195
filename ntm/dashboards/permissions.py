"""Who may read the plan's laggards: the district's admins and offices."""

from ntm.accounts.models import Role
from ntm.accounts.permissions import holds_role_on


def can_view_plan_progress(user, plan):
    """District admins and office staff holding a role on the plan's area
    (or above it) see the lagging units and why; everyone sees the summary."""
    return holds_role_on(user, plan.unit, Role.DISTRICT_ADMIN, Role.OFFICE_STAFF)
