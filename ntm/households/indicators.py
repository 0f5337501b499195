"""Smart-village indicators computed from the household register (plan III.5).

Each provider runs one GROUP BY over today's villages; the engine sums the
numerators and denominators up to communes and across reorganisations.
``SV.ECOMMERCE`` and ``SV.TRACEABILITY`` are not here: ``ocop.indicators``
computes the first from the live listings of the OCOP entities households
run, ``traceability.indicators`` the second from their traced lots; what a
household typed counts only as the declared fallback.
"""

from django.db.models import Count, Q, Sum
from django.urls import reverse

from ntm.indicators.providers import fraction, register
from ntm.units.models import Unit

from .models import Facility, Household, VillageChannel

SHARE_CODES = (
    "SV.ADDRESS_CODE",
    "SV.FIBRE",
    "SV.SMARTPHONE",
    "SV.HEALTH_APP",
)


def _register_of(unit, condition):
    """The household register of ``unit`` (a village or a commune), filtered."""
    scope = "village" if unit.level == Unit.Level.VILLAGE else "commune"
    return f"{reverse('households:household-list')}?{scope}={unit.code}&{condition}"


@register(
    *SHARE_CODES,
    label="Sổ hộ gia đình",
    lacking={
        "SV.FIBRE": lambda unit: _register_of(unit, "fibre=khong"),
        "SV.ADDRESS_CODE": lambda unit: _register_of(unit, "no_address_code=on"),
    },
)
def household_shares():
    rows = Household.objects.values("village_id").annotate(
        households=Count("id"),
        with_code=Count(
            "id", filter=Q(address_code__isnull=False) & ~Q(address_code="")
        ),
        with_fibre=Count("id", filter=Q(has_fibre=True)),
        with_phone=Count("id", filter=Q(smartphones__gt=0)),
        residents=Sum("members"),
        guided=Sum("health_app_members"),
    )
    result = {code: {} for code in SHARE_CODES}
    for row in rows:
        village = row["village_id"]
        result["SV.ADDRESS_CODE"][village] = fraction(
            row["with_code"], row["households"]
        )
        result["SV.FIBRE"][village] = fraction(row["with_fibre"], row["households"])
        result["SV.SMARTPHONE"][village] = fraction(
            row["with_phone"], row["households"]
        )
        result["SV.HEALTH_APP"][village] = fraction(row["guided"], row["residents"])
    return result


@register("SV.CULTURAL_WIFI", label="Công trình công cộng")
def cultural_house_wifi():
    """1 of 1 when the village's cultural house has Wi-Fi, 0 of 1 when not."""
    rows = Facility.objects.filter(kind=Facility.Kind.CULTURAL_HOUSE).values_list(
        "village_id", "has_wifi"
    )
    return {"SV.CULTURAL_WIFI": {v: fraction(int(w), 1) for v, w in rows}}


@register("SV.CHANNEL", label="Kênh giao tiếp của thôn")
def village_channel():
    """1 of 1 when the village has an active channel that takes feedback, else 0.

    Every village of today counts: no channel on record means no channel.
    """
    with_channel = set(
        VillageChannel.objects.filter(
            is_active=True, receives_feedback=True
        ).values_list("village_id", flat=True)
    )
    villages = Unit.objects.valid_on().villages().values_list("pk", flat=True)
    return {"SV.CHANNEL": {v: fraction(int(v in with_channel), 1) for v in villages}}
