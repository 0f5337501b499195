"""Who may do what with a recognition dossier.

The unit's own officers build and submit it; the district (or, after 2025,
the city) receives it; council members covering the unit appraise it, but
never the dossier of a unit where they hold another role, nor one they built
or submitted; district admins decide and revoke.
"""

from ntm.accounts.models import Role
from ntm.accounts.permissions import holds_role_on
from ntm.units.models import Unit

READERS = (
    Role.DISTRICT_ADMIN,
    Role.OFFICE_STAFF,
    Role.COMMUNE_OFFICER,
    Role.COUNCIL_MEMBER,
)
RECEIVERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF)


def builder_roles(unit):
    """Commune officers build a commune's dossier; district admins a district's."""
    if unit.level == Unit.Level.DISTRICT:
        return (Role.DISTRICT_ADMIN,)
    return (Role.COMMUNE_OFFICER,)


def reader_paths(user):
    if not user.is_authenticated:
        return []
    return user.paths(*READERS)


def can_view_dossiers(user):
    return bool(reader_paths(user))


def can_view_dossier(user, dossier):
    return holds_role_on(user, dossier.unit, *READERS)


def can_create_dossier(user, unit):
    return unit is not None and holds_role_on(user, unit, *builder_roles(unit))


def can_edit_dossier(user, dossier):
    """Self-assess, attach evidence, record postings, submit."""
    return can_create_dossier(user, dossier.unit)


def can_receive_dossier(user, dossier):
    return holds_role_on(user, dossier.unit, *RECEIVERS)


def has_conflict(user, dossier):
    """True when ``user`` built or submitted the dossier, or holds a role
    other than council member on the unit or any unit inside it."""
    if user.pk in (dossier.created_by_id, dossier.submitted_by_id):
        return True
    return (
        user.memberships.exclude(role=Role.COUNCIL_MEMBER).within(dossier.unit).exists()
    )


def can_appraise_dossier(user, dossier):
    return holds_role_on(user, dossier.unit, Role.COUNCIL_MEMBER) and not has_conflict(
        user, dossier
    )


def can_conclude_appraisal(user, dossier):
    """The council's chair on a unit covering the dossier's concludes it."""
    return (
        user.is_authenticated
        and user.memberships.covering(dossier.unit)
        .filter(role=Role.COUNCIL_MEMBER, chairs_council=True)
        .exists()
        and not has_conflict(user, dossier)
    )


def can_decide_dossier(user, dossier):
    return holds_role_on(user, dossier.unit, Role.DISTRICT_ADMIN)


def can_revoke_dossier(user, dossier):
    return can_decide_dossier(user, dossier)


def can_view_evidence(user, dossier):
    return can_view_dossier(user, dossier)
