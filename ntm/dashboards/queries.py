"""Reads for the home page: counts straight from the records."""

from django.db.models import Count, Q

from ntm.households.models import Household
from ntm.units.models import Unit


def area_summary():
    """Communes of today with their villages and households, in three queries."""
    communes = list(
        Unit.objects.valid_on()
        .communes()
        .annotate(
            villages=Count("children", filter=Q(children__level=Unit.Level.VILLAGE))
        )
        .order_by("code")
    )
    households = dict(
        Household.objects.values_list("village__parent_id").annotate(n=Count("id"))
    )
    for commune in communes:
        commune.household_count = households.get(commune.pk, 0)
    return {
        "communes": communes,
        "village_count": sum(c.villages for c in communes),
        "household_count": sum(c.household_count for c in communes),
        "former_commune_count": Unit.objects.communes()
        .filter(valid_to__isnull=False)
        .count(),
    }
