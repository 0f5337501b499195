"""The units a user may pick in the register's filters, forms and imports."""

from django.shortcuts import get_object_or_404

from ntm.accounts.models import Role
from ntm.accounts.permissions import REGISTER_KEEPERS
from ntm.units.models import Unit


def villages_of(user, *, editable=False, on=None):
    """Today's villages the user may see (or, with ``editable``, change);
    with ``on``, the villages of that day (those that became the user's)."""
    roles = REGISTER_KEEPERS if editable else (*REGISTER_KEEPERS, Role.OFFICE_STAFF)
    paths = user.paths(*roles) if user.is_authenticated else []
    return (
        Unit.objects.villages()
        .valid_on(on)
        .within_any(paths, lineage=on is not None)
        .select_related("parent")
        .in_natural_order()
    )


def communes_of(user, *, on=None):
    """Today's (or ``on``'s) communes holding a village the user may see."""
    villages = villages_of(user, on=on)
    return (
        Unit.objects.communes()
        .valid_on(on)
        .filter(pk__in=villages.values("parent"))
        .in_natural_order()
    )


def current_village(code):
    """Today's village carrying ``code``, or 404."""
    return get_object_or_404(
        Unit.objects.villages().valid_on().select_related("parent"), code=code
    )
