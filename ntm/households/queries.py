"""The units a user may pick in the register's filters, forms and imports."""

from django.db.models import Q

from ntm.accounts.models import Role
from ntm.accounts.permissions import REGISTER_KEEPERS
from ntm.units.models import Unit


def villages_of(user, *, editable=False):
    """Today's villages the user may see (or, with ``editable``, change)."""
    roles = REGISTER_KEEPERS if editable else (*REGISTER_KEEPERS, Role.OFFICE_STAFF)
    paths = _paths(user, roles)
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return (
        Unit.objects.villages()
        .valid_on()
        .filter(condition)
        .select_related("parent")
        .in_natural_order()
    )


def communes_of(user):
    """Today's communes holding at least one village the user may see."""
    villages = villages_of(user)
    return (
        Unit.objects.communes()
        .valid_on()
        .filter(pk__in=villages.values("parent"))
        .in_natural_order()
    )


def _paths(user, roles):
    # A register page asks for the same scope several times (filters, the
    # form, the "may edit" links); one query per request and role set.
    if not user.is_authenticated:
        return []
    cache = user.__dict__.setdefault("_household_paths", {})
    key = tuple(sorted(roles))
    if key not in cache:
        cache[key] = user.paths(*roles)
    return cache[key]
