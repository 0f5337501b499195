"""Who may see and keep the roster and the trainings: staff, within their units.

Names of managers are personal data: every page of this app needs one of the
staff roles, and a commune officer sees and keeps only their commune.
"""

from ntm.accounts.models import Role
from ntm.accounts.permissions import can_export_personal_data
from ntm.units.scope import covers

KEEPERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def keeper_paths(user):
    """Unit paths under which ``user`` keeps the roster and trainings."""
    if not user.is_authenticated:
        return []
    return user.paths(*KEEPERS)


def can_view_roster(user):
    return bool(keeper_paths(user))


def can_export_roster(user):
    """The roster file names managers: keepers who may also export personal
    data (accounts' rule: not every office, not the police)."""
    return can_view_roster(user) and can_export_personal_data(user)


def can_edit_staff(user, unit):
    # The officer of Xã Hà Nha keeps the 2024 roster of Xã Đại Đồng.
    return covers(keeper_paths(user), unit, lineage=True)


def can_view_training(user, training):
    """Keepers of the organiser see a training; other keepers see it when
    their own staff were invited (and then only those: ``visible_participations``)."""
    return can_edit_training(user, training) or (
        training.participations.within_any(keeper_paths(user)).exists()
    )


def visible_participations(user, training):
    """The participants of ``training`` that ``user`` may see by name."""
    if can_edit_training(user, training):
        return training.participations.all()
    return training.participations.within_any(keeper_paths(user))


def can_edit_training(user, training):
    return covers(keeper_paths(user), training.organiser, lineage=True)


def can_create_training(user):
    return can_view_roster(user)


# The know-how library: anyone reads what is published; the keepers of a
# district or commune publish for their unit and see its drafts.
def can_publish_guides(user):
    return bool(keeper_paths(user))


def can_edit_guide(user, guide):
    return covers(keeper_paths(user), guide.publisher, lineage=True)


def can_read_guide(user, guide):
    return guide.is_published or can_edit_guide(user, guide)
