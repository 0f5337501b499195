"""Smart-village indicators computed from the household register (plan III.5).

Each provider runs one GROUP BY over the register of the period: today's
while the period runs, the dated versions of its last day once it has ended
(``ntm.households.history``), so 2024 is evaluated from 2024's facts. The
engine sums the numerators and denominators up to communes and across
reorganisations.
``SV.ECOMMERCE`` and ``SV.TRACEABILITY`` are not here: ``ocop.indicators``
computes the first from the live listings of the OCOP entities households
run, ``traceability.indicators`` the second from their traced lots; what a
household typed counts only as the declared fallback. ``SV.CHANNEL`` is
``channel.indicators``: computed from the channel's activity.
"""

from django.db.models import Count, Q, Sum
from django.urls import reverse

from ntm.indicators.providers import fraction, in_scope, register
from ntm.units.models import Unit

from .history import facilities_on, households_on
from .models import CLEAN_WATER_SOURCES, Facility

# Criterion 17 of the advanced commune set: "tỷ lệ hộ được sử dụng nước sạch
# từ hệ thống cấp nước tập trung" (ntm/indicators/criteria/30_…json).
CLEAN_WATER_CODE = "NTM-XA-NC.17.NUOC_SACH_TT"
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
    versioned=True,
    scoped=True,
    lacking={
        "SV.FIBRE": lambda unit: _register_of(unit, "fibre=khong"),
        "SV.ADDRESS_CODE": lambda unit: _register_of(unit, "no_address_code=on"),
    },
)
def household_shares(day=None, within=None):
    rows = (
        in_scope(households_on(day), within)
        # order_by(): the register's default ordering would join every
        # household to its village for nothing (a third of the query).
        .order_by()
        .values("village_id")
        .annotate(
            households=Count("id"),
            with_code=Count(
                "id", filter=Q(address_code__isnull=False) & ~Q(address_code="")
            ),
            with_fibre=Count("id", filter=Q(has_fibre=True)),
            with_phone=Count("id", filter=Q(smartphones__gt=0)),
            residents=Sum("members"),
            guided=Sum("health_app_members"),
        )
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


@register("SV.CULTURAL_WIFI", label="Công trình công cộng", versioned=True, scoped=True)
def cultural_house_wifi(day=None, within=None):
    """1 of 1 when the village's cultural house has Wi-Fi, 0 of 1 when not."""
    rows = (
        in_scope(facilities_on(day), within)
        .filter(kind=Facility.Kind.CULTURAL_HOUSE)
        .values_list("village_id", "has_wifi")
    )
    return {"SV.CULTURAL_WIFI": {v: fraction(int(w), 1) for v, w in rows}}


@register(
    CLEAN_WATER_CODE,
    label="Sổ hộ gia đình (nguồn nước sinh hoạt)",
    versioned=True,
    scoped=True,
)
def clean_water(day=None, within=None):
    """Per village: households on piped clean water / households whose water
    source is recorded. A village where no source is recorded yet has no
    value (missing data), not 0 %."""
    rows = (
        in_scope(households_on(day), within)
        .exclude(water_source="")
        .order_by()
        .values("village_id")
        .annotate(
            recorded=Count("id"),
            clean=Count("id", filter=Q(water_source__in=CLEAN_WATER_SOURCES)),
        )
    )
    return {
        CLEAN_WATER_CODE: {
            row["village_id"]: fraction(row["clean"], row["recorded"]) for row in rows
        }
    }
