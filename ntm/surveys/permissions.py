"""Who may build surveys, enter paper forms and read results."""

from ntm.accounts.models import Role
from ntm.accounts.permissions import can_export_personal_data, holds_role_on
from ntm.units.scope import covers

# Commune officers for their commune, district admins and office staff.
BUILDERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)
# Village heads and commune officers enter the paper forms they collect.
PAPER_CLERKS = (Role.DISTRICT_ADMIN, Role.COMMUNE_OFFICER, Role.VILLAGE_HEAD)


def can_create_survey(user, unit):
    return holds_role_on(user, unit, *BUILDERS)


def can_edit_survey(user, survey):
    return holds_role_on(user, survey.unit, *BUILDERS)


def can_view_results(user, survey):
    """Builders of the scope, and staff of any unit inside it (a commune
    officer reads the district survey's figures for the district)."""
    return _reaches(user, survey, *BUILDERS, Role.VILLAGE_HEAD)


def can_name_respondents(user):
    """Whether a responses file may name households (code, head's name):
    only for those who may export personal data (accounts' rule: not every
    office, not the police); the others get the answers unnamed."""
    return can_export_personal_data(user)


def answer_paths(user, survey):
    """Where the households live whose free-text answers ``user`` may read.

    The whole survey for whoever holds a role on its unit; otherwise only the
    units held inside it (a village head reads the commune survey's figures,
    but the words of his own village only).
    """
    if holds_role_on(user, survey.unit, *BUILDERS, Role.VILLAGE_HEAD):
        return [survey.unit.path]
    paths = user.paths(*BUILDERS, Role.VILLAGE_HEAD) if user.is_authenticated else []
    return [path for path in paths if path.startswith(survey.unit.path)]


def can_enter_paper_response(user, survey, household=None):
    """Staff of the household's village or above; without a household, anyone
    who could enter some household of the survey's scope."""
    if household is not None:
        return holds_role_on(user, household.village, *PAPER_CLERKS)
    return _reaches(user, survey, *PAPER_CLERKS)


def _reaches(user, survey, *roles):
    """A role on the survey's unit, above it or inside it."""
    return user.is_authenticated and covers(user.paths(*roles), survey.unit, above=True)
