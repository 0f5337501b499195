"""Smart-village indicators computed from the household register (plan III.5).

Each provider counts households per village over the register of the
period: today's while the period runs, the dated versions of its last day
once it has ended (``ntm.households.history``), so 2024 is evaluated from
2024's facts. Their counts are parts of the register's joint pass
(``register_pass``): while the period runs, one GROUP BY computes them with
e-commerce and traceability. The engine sums the numerators and
denominators up to communes and across reorganisations.
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
from .register_pass import Part, by_village, contribute, today_by_village

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


def _share_columns(period):
    return {
        "households": Count("id"),
        "with_code": Count(
            "id", filter=Q(address_code__isnull=False) & ~Q(address_code="")
        ),
        "with_fibre": Count("id", filter=Q(has_fibre=True)),
        "with_phone": Count("id", filter=Q(smartphones__gt=0)),
        "residents": Sum("members"),
        "guided": Sum("health_app_members"),
    }


def _shares(counts):
    households = counts["households"]
    return {
        "SV.ADDRESS_CODE": fraction(counts["with_code"], households),
        "SV.FIBRE": fraction(counts["with_fibre"], households),
        "SV.SMARTPHONE": fraction(counts["with_phone"], households),
        "SV.HEALTH_APP": fraction(counts["guided"], counts["residents"]),
    }


SHARES = contribute(Part("shares", SHARE_CODES, _share_columns, _shares))


@register(
    *SHARE_CODES,
    label="Sổ hộ gia đình",
    versioned=True,
    scoped=True,
    lacking={
        "SV.FIBRE": lambda unit: _register_of(unit, "fibre=khong"),
        "SV.ADDRESS_CODE": lambda unit: _register_of(unit, "no_address_code=on"),
    },
    joint=today_by_village,
)
def household_shares(day=None, within=None):
    return by_village([SHARES], within=within, households=households_on(day))


@register("SV.CULTURAL_WIFI", label="Công trình công cộng", versioned=True, scoped=True)
def cultural_house_wifi(day=None, within=None):
    """1 of 1 when the village's cultural house has Wi-Fi, 0 of 1 when not."""
    rows = (
        in_scope(facilities_on(day), within)
        .filter(kind=Facility.Kind.CULTURAL_HOUSE)
        .values_list("village_id", "has_wifi")
    )
    return {"SV.CULTURAL_WIFI": {v: fraction(int(w), 1) for v, w in rows}}


def _water_columns(period):
    return {
        "recorded": Count("id", filter=~Q(water_source="")),
        "clean": Count("id", filter=Q(water_source__in=CLEAN_WATER_SOURCES)),
    }


def _water(counts):
    """A village where no source is recorded yet has no value (missing
    data), not 0 %."""
    recorded = counts["recorded"]
    return {CLEAN_WATER_CODE: fraction(counts["clean"], recorded) if recorded else None}


WATER = contribute(Part("water", (CLEAN_WATER_CODE,), _water_columns, _water))


@register(
    CLEAN_WATER_CODE,
    label="Sổ hộ gia đình (nguồn nước sinh hoạt)",
    versioned=True,
    scoped=True,
    joint=today_by_village,
)
def clean_water(day=None, within=None):
    """Per village: households on piped clean water / households whose water
    source is recorded."""
    return by_village([WATER], within=within, households=households_on(day))
