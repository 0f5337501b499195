"""Who fills, who reviews. Offices report through their staff on the district;
communes through their officers; the Culture office (the plan's focal office)
and district admins review and consolidate."""

from collections import defaultdict

from ntm.accounts.models import Membership, Office, Role
from ntm.accounts.permissions import holds_role_on
from ntm.units.scope import covers


def _holds_office(user, unit, office):
    return (
        user.is_authenticated
        and Membership.objects.covering(unit)
        .filter(user=user, role=Role.OFFICE_STAFF, office=office)
        .exists()
    )


def can_fill_assignment(user, assignment):
    if assignment.office:
        return _holds_office(user, assignment.unit, assignment.office)
    return holds_role_on(user, assignment.unit, Role.COMMUNE_OFFICER)


def can_review_form(user, form):
    """The focal office: Culture office staff or a district admin."""
    return can_open_year(user, form.unit)


def can_open_year(user, unit):
    """The focal office starts a year's reporting for its district."""
    return holds_role_on(user, unit, Role.DISTRICT_ADMIN) or _holds_office(
        user, unit, Office.CULTURE
    )


def can_view_assignment(user, assignment):
    return can_fill_assignment(user, assignment) or can_review_form(
        user, assignment.form
    )


def fillable_assignments(user, assignments):
    """The assignments among ``assignments`` that ``user`` fills (two queries,
    whatever the number of assignments)."""
    if not user.is_authenticated:
        return []
    commune_paths = user.paths(Role.COMMUNE_OFFICER)
    office_paths = defaultdict(list)
    for path, office in user.memberships.filter(role=Role.OFFICE_STAFF).values_list(
        "unit__path", "office"
    ):
        office_paths[office].append(path)
    return [
        a
        for a in assignments
        if covers(office_paths[a.office] if a.office else commune_paths, a.unit)
    ]
