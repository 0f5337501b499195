"""Who handles feedback: the commune's officers and the district admin on
their units, the staff of the category's office on theirs; village heads
see their village's reports. Reports, statuses and history are public;
the reporter's contact only for those who handle the report."""

from ntm.accounts.models import Role
from ntm.units.scope import covers

HANDLERS = (Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER)
VILLAGE_FOLLOWERS = (Role.VILLAGE_HEAD,)
STAFF = (
    Role.DISTRICT_ADMIN,
    Role.COMMUNE_OFFICER,
    Role.VILLAGE_HEAD,
    Role.OFFICE_STAFF,
)


def can_see_inbox(user):
    return user.is_authenticated and bool(user.paths(*STAFF))


def can_handle_report(user, report):
    """Assign, progress and resolve ``report``, and read the reporter's contact."""
    if not user.is_authenticated:
        return False
    return covers(user.paths(*HANDLERS), report.commune) or covers(
        user.paths(office=report.category.office), report.commune
    )
