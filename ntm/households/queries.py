"""The units a user may pick in the register's filters, forms and imports."""

from django.shortcuts import get_object_or_404

from ntm.accounts.models import Role
from ntm.accounts.permissions import REGISTER_KEEPERS
from ntm.units.models import Unit


def villages_of(user, *, editable=False):
    """Today's villages the user may see (or, with ``editable``, change)."""
    roles = REGISTER_KEEPERS if editable else (*REGISTER_KEEPERS, Role.OFFICE_STAFF)
    paths = user.paths(*roles) if user.is_authenticated else []
    return (
        Unit.objects.villages()
        .valid_on()
        .within_any(paths)
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


def current_village(code):
    """Today's village carrying ``code``, or 404."""
    return get_object_or_404(
        Unit.objects.villages().valid_on().select_related("parent"), code=code
    )
