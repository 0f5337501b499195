"""Reads shared by the providers and the pages."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from ntm.households.models import Household
from ntm.households.register_pass import per_village
from ntm.units.models import Unit

from .models import Entity, SalesChannel


def ecommerce_columns(day=None):
    """Per village: production households (``businesses``), those with a
    live listing of their OCOP entity on ``day`` (``listed``), and those
    counted on their declaration (``declared``), as aggregates over
    households: one part of the register's joint pass.

    Production households are those marked so and those running an OCOP
    entity; a household running one is judged by its listings alone.
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
    producer = Q(is_business=True) | Q(runs_entity)
    return {
        "businesses": Count("id", filter=producer),
        "listed": Count("id", filter=producer & Q(listed)),
        "declared": Count(
            "id", filter=Q(is_business=True) & ~Q(runs_entity) & Q(declared)
        ),
    }


def household_ecommerce(day=None, households=None):
    """``ecommerce_columns`` per village with households (``businesses`` is
    0 where none produce), in one GROUP BY; ``households`` narrows the
    register (a page's villages)."""
    households = Household.objects.all() if households is None else households
    return per_village(households, ecommerce_columns(day))


def ecommerce_by_village(paths):
    """Rows of ``household_ecommerce`` for the villages within ``paths``,
    each with its ``village`` (and commune), in path order."""
    households = Household.objects.filter(
        village__in=Unit.objects.within_any(paths).values("pk")
    )
    rows = [
        row for row in household_ecommerce(households=households) if row["businesses"]
    ]
    villages = (
        Unit.objects.select_related("parent")
        .defer("boundary", "parent__boundary")
        .in_bulk([row["village_id"] for row in rows])
    )
    table = [{**row, "village": villages[row["village_id"]]} for row in rows]
    return sorted(table, key=lambda row: row["village"].path)
