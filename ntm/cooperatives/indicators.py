"""Targets 6 and 7 of the plan, computed from cooperatives and linkage models.

A record counts in a year by its dates, never by today's flags: a cooperative
founded by the year's end and not closed down by then, applying digital
technology on the year's last day; a linkage model started by the year and
not ended before it. An edit made today leaves earlier years as they were.

Targets 7a and 7b are keyed by the commune a cooperative is registered in,
and the engine follows the 2025 mergers; target 6 counts communes, so it is
computed per xã of the year's end and places each cooperative under that xã
itself.
"""

from django.db.models import Count, Q

from ntm.indicators.providers import fraction, register
from ntm.units.models import Unit

from .models import Cooperative, LinkageModel
from .queries import communes_on


@register("KH.XA_HTX_CNS", label="Sổ hợp tác xã", dated=True)
def communes_with_digital_cooperatives(period):
    """Per xã valid at the year's end (not thị trấn): 1 of 1 when at least one
    active cooperative applying digital technology sits in it, else 0 of 1."""
    day = period.end
    communes = dict(
        Unit.objects.valid_on(day)
        .communes()
        .filter(kind=Unit.Kind.COMMUNE)
        .values_list("pk", "path")
    )
    registered = set(
        Cooperative.objects.active_in(day.year)
        .digital_on(day)
        .values_list("commune_id", flat=True)
        .distinct()
    )
    placed = {pk for pk in communes_on(registered, day).values() if pk in communes}
    return {"KH.XA_HTX_CNS": {pk: fraction(int(pk in placed), 1) for pk in communes}}


@register("KH.HTX_LIEN_KET", label="Sổ hợp tác xã", dated=True)
def cooperatives_with_linkage(period):
    """Per registered commune: active cooperatives with an active linkage
    model tied to selling key products / active cooperatives."""
    year = period.end.year
    linked = (
        Q(linkage_models__tied_to_sales=True)
        & (
            Q(linkage_models__started_year__isnull=True)
            | Q(linkage_models__started_year__lte=year)
        )
        & (
            Q(linkage_models__ended_year__isnull=True)
            | Q(linkage_models__ended_year__gt=year)
        )
    )
    rows = (
        Cooperative.objects.active_in(year)
        .order_by()
        .values("commune_id")
        .annotate(
            total=Count("id", distinct=True),
            linked=Count("id", filter=linked, distinct=True),
        )
    )
    return {
        "KH.HTX_LIEN_KET": {
            row["commune_id"]: fraction(row["linked"], row["total"]) for row in rows
        }
    }


@register("KH.LK_VNL_CNS", label="Sổ mô hình liên kết", dated=True)
def raw_material_models_with_digital(period):
    """Per registered commune: active linkage models with a raw-material area
    that apply digital technology / active models with a raw-material area."""
    rows = (
        LinkageModel.objects.active_in(period.end.year)
        .with_raw_material_area()
        .order_by()
        .values("cooperative__commune_id")
        .annotate(
            total=Count("id"),
            digital=Count(
                "id",
                filter=Q(digital_since_year__lte=period.end.year)
                & (
                    Q(digital_until_year__isnull=True)
                    | Q(digital_until_year__gt=period.end.year)
                ),
            ),
        )
    )
    return {
        "KH.LK_VNL_CNS": {
            row["cooperative__commune_id"]: fraction(row["digital"], row["total"])
            for row in rows
        }
    }
