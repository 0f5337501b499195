"""Who may see and keep the roster and the trainings: staff, within their units.

Names of managers are personal data: every page of this app needs one of the
staff roles, and a commune officer sees and keeps only their commune.
"""

from ntm.accounts.models import Role

KEEPERS = (Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER)


def keeper_paths(user):
    """Unit paths under which ``user`` keeps the roster and trainings."""
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_knowledge_paths", None)
    if cache is None:
        cache = user.__dict__["_knowledge_paths"] = user.paths(*KEEPERS)
    return cache


def can_view_roster(user):
    return bool(keeper_paths(user))


def can_edit_staff(user, unit):
    return _covers(keeper_paths(user), unit)


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
    return _covers(keeper_paths(user), training.organiser)


def can_create_training(user):
    return can_view_roster(user)


def _covers(paths, unit):
    """True when ``unit`` lies under ``paths``, or did before it merged: the
    officer of Xã Hà Nha keeps the 2024 roster of Xã Đại Đồng."""
    if not paths or unit is None:
        return False
    candidates = [unit]
    if unit.has_ended:
        candidates += list(unit.successors())
        if unit.parent_id and unit.parent.has_ended:
            candidates += list(unit.parent.successors())
    return any(u.path.startswith(path) for u in candidates for path in paths)
