"""Reads shared by the providers and the pages."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from ntm.households.models import Household
from ntm.units.models import Unit

from .models import Entity, SalesChannel


def household_ecommerce(day=None, households=None):
    """Per village: production households, those with a live listing of
    their OCOP entity on ``day``, and those counted on their declaration.

    Production households are those marked so and those running an OCOP
    entity; a household running one is judged by its listings alone. One
    GROUP BY; ``households`` narrows the register (a page's villages).
    """
    day = day or timezone.localdate()
    # EXISTS per household, not IN (subquery): at country size the sets of
    # ids (2 M declared listings) exceed work_mem, and PostgreSQL then scans
    # the subquery again for every household (minutes instead of seconds).
    runs_entity = Exists(Entity.objects.filter(household=OuterRef("pk")))
    listed = Exists(
        SalesChannel.objects.online()
        .live_on(day)
        .filter(entity__household=OuterRef("pk"))
    )
    declared = Exists(
        Household.ecommerce_platforms.through.objects.filter(
            household_id=OuterRef("pk")
        )
    )
    households = Household.objects.all() if households is None else households
    return (
        households.filter(Q(is_business=True) | Q(runs_entity))
        .order_by()
        .values("village_id")
        .annotate(
            businesses=Count("id"),
            listed=Count("id", filter=Q(listed)),
            declared=Count("id", filter=~Q(runs_entity) & Q(declared)),
        )
    )


def ecommerce_by_village(paths):
    """Rows of ``household_ecommerce`` for the villages within ``paths``,
    each with its ``village`` (and commune), in path order."""
    households = Household.objects.filter(
        village__in=Unit.objects.within_any(paths).values("pk")
    )
    rows = list(household_ecommerce(households=households))
    villages = (
        Unit.objects.select_related("parent")
        .defer("boundary", "parent__boundary")
        .in_bulk([row["village_id"] for row in rows])
    )
    table = [{**row, "village": villages[row["village_id"]]} for row in rows]
    return sorted(table, key=lambda row: row["village"].path)
