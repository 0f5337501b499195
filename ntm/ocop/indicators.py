"""Targets 8 and 9 of the plan and the smart-village e-commerce share.

Targets 8 and 9 are dated: an entity is an OCOP entity of a year when one of
its products held a valid certificate (3★ or more) on a day of that year; it
counts for target 8 when a green / circular chain with evidence and a
raw-material area held on a day of the year, for target 9 when a modern
sales channel did. Ending a channel or a chain in 2026 leaves 2025 as it
was. Leaves are the units entities are registered on; the engine follows
the 2025 mergers.

``SV.ECOMMERCE`` (smart village, plan III.5) describes today like the other
household shares and is frozen with them when a year closes: a production
household counts when the OCOP entity it runs has a live e-commerce listing;
a household that runs no OCOP entity falls back on the platforms typed on
its record (declared, not evidenced: the provider's label says so).
"""

from django.db.models import Count, Q

from ntm.households.register_pass import Part, by_village, contribute, today_by_village
from ntm.indicators.providers import fraction, register

from .models import Entity, GreenChain, SalesChannel
from .queries import ecommerce_columns

ECOMMERCE_LABEL = (
    "Gian hàng đang bán trên sàn thương mại điện tử của chủ thể OCOP do hộ làm "
    "chủ (hồ sơ OCOP); hộ chưa là chủ thể OCOP: sàn do hộ tự khai báo trong sổ "
    "hộ (dự phòng, chưa có minh chứng)"
)


@register(
    "KH.OCOP_XANH",
    "KH.OCOP_KENH_HIEN_DAI",
    label="Sổ chủ thể OCOP: giấy chứng nhận, chuỗi giá trị xanh, kênh bán hàng",
    dated=True,
)
def ocop_entity_shares(period):
    """Per registered unit: OCOP entities of the period with a counted green
    chain (8) or a modern channel (9) in it / OCOP entities of the period."""
    start, end = period.start, period.end
    green = GreenChain.objects.live_during(start, end).counted().values("entity_id")
    modern = SalesChannel.objects.live_during(start, end).values("entity_id")
    rows = (
        Entity.objects.ocop_during(start, end)
        .order_by()
        .values("unit_id")
        .annotate(
            total=Count("id"),
            green=Count("id", filter=Q(pk__in=green)),
            modern=Count("id", filter=Q(pk__in=modern)),
        )
    )
    result = {"KH.OCOP_XANH": {}, "KH.OCOP_KENH_HIEN_DAI": {}}
    for row in rows:
        result["KH.OCOP_XANH"][row["unit_id"]] = fraction(row["green"], row["total"])
        result["KH.OCOP_KENH_HIEN_DAI"][row["unit_id"]] = fraction(
            row["modern"], row["total"]
        )
    return result


def _ecommerce(counts):
    return {
        "SV.ECOMMERCE": fraction(
            counts["listed"] + counts["declared"], counts["businesses"]
        )
    }


# Listings live today: the part describes today, like the provider.
ECOMMERCE = contribute(
    Part(
        "ecommerce",
        ("SV.ECOMMERCE",),
        lambda period: ecommerce_columns(),
        _ecommerce,
    )
)


@register("SV.ECOMMERCE", label=ECOMMERCE_LABEL, scoped=True, joint=today_by_village)
def households_online(within=None):
    """Per village: production households on an e-commerce platform (live
    listing, else declaration) / production households.

    A village with households but no production household reads 0 of 0:
    the condition does not apply to it (the engine says so), which is not
    the same as a village with no register at all (no data).
    """
    return by_village([ECOMMERCE], within=within)
