import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ntm.indicators.evaluation import Context, measure
from ntm.indicators.models import Indicator, Period
from ntm.indicators.providers import provider_for
from ntm.ocop.indicators import households_online, ocop_entity_shares
from ntm.ocop.models import CouncilLevel, Entity, GreenChain, SalesChannel
from ntm.ocop.services import update_sales_channel

from ..factories import (
    EcommercePlatformFactory,
    EntityFactory,
    EvaluationRoundFactory,
    HouseholdFactory,
    ProductFactory,
    SalesChannelFactory,
)

pytestmark = pytest.mark.django_db
GREEN, MODERN = "KH.OCOP_XANH", "KH.OCOP_KENH_HIEN_DAI"


@pytest.fixture
def records(units, make_evaluation, office):
    """Four entities of Xã Đại Đồng, as the docstring of each line says."""
    unit = units["dai_dong"]
    rounds = {
        2023: EvaluationRoundFactory(
            unit=units["district"], year=2023, held_on=datetime.date(2023, 10, 15)
        ),
        2024: EvaluationRoundFactory(
            unit=units["district"],
            year=2024,
            council_level=CouncilLevel.DISTRICT,
            held_on=datetime.date(2024, 8, 22),
        ),
    }
    # E1: certified 30/09/2024; supermarket from 01/03/2024; green from 2025.
    e1 = EntityFactory(unit=unit)
    make_evaluation(ProductFactory(entity=e1), total=60, round_=rounds[2024],
                    day=datetime.date(2024, 9, 30))  # fmt: skip
    shelf = SalesChannelFactory(entity=e1, listed_from=datetime.date(2024, 3, 1))
    GreenChain.objects.create(
        entity=e1,
        kind=GreenChain.Kind.GREEN,
        description="x",
        raw_material_area="Vùng keo",
        evidence_url="https://example.vn/minh-chung",
        valid_from=datetime.date(2025, 1, 1),
    )
    # E2: certified 20/11/2023 (to 20/11/2026); online from 01/06/2025.
    e2 = EntityFactory(unit=unit)
    make_evaluation(ProductFactory(entity=e2), total=72, round_=rounds[2023],
                    day=datetime.date(2023, 11, 20))  # fmt: skip
    listing = SalesChannelFactory(
        entity=e2,
        kind=SalesChannel.Kind.ECOMMERCE,
        url="https://voso.vn/x",
        listed_from=datetime.date(2025, 6, 1),
    )
    # E3: certified 25/11/2025; nothing else. A green chain without
    # evidence would not count (made without the service on purpose).
    e3 = EntityFactory(unit=unit)
    make_evaluation(ProductFactory(entity=e3), total=55)
    GreenChain.objects.create(
        entity=e3,
        kind=GreenChain.Kind.CIRCULAR,
        description="x",
        raw_material_area="Vùng sắn",
        valid_from=datetime.date(2024, 1, 1),
    )
    # E4: scored but never certified, though it sells in a supermarket.
    e4 = EntityFactory(unit=unit)
    make_evaluation(ProductFactory(entity=e4), total=80, until="score")
    SalesChannelFactory(entity=e4, listed_from=datetime.date(2023, 1, 1))
    return {"unit": unit, "shelf": shelf, "listing": listing}


def test_targets_8_and_9_by_hand(records):
    unit = records["unit"].pk

    in_2024 = ocop_entity_shares(Period.year(2024))
    in_2025 = ocop_entity_shares(Period.year(2025))

    # 2024: E1 and E2 hold certificates; only E1 sells modern; no chain yet.
    assert in_2024[MODERN][unit] == (Decimal(1), Decimal(2))
    assert in_2024[GREEN][unit] == (Decimal(0), Decimal(2))
    # 2025: E3 joins; E1 and E2 sell modern; E1's chain counts.
    assert in_2025[MODERN][unit] == (Decimal(2), Decimal(3))
    assert in_2025[GREEN][unit] == (Decimal(1), Decimal(3))
    # 2023: E2 alone, online only from 2025.
    assert ocop_entity_shares(Period.year(2023))[MODERN][unit] == (
        Decimal(0),
        Decimal(1),
    )


def test_ending_channels_in_a_later_year_leaves_earlier_years(records, office):
    unit = records["unit"].pk
    before = ocop_entity_shares(Period.year(2025))

    update_sales_channel(
        records["shelf"], by=office, listed_to=datetime.date(2026, 1, 31)
    )
    update_sales_channel(
        records["listing"], by=office, listed_to=datetime.date(2026, 3, 1)
    )

    assert ocop_entity_shares(Period.year(2025)) == before
    in_2026 = ocop_entity_shares(Period.year(2026))
    # E2's certificate runs to 20/11/2026 and still counts in 2026.
    assert in_2026[MODERN][unit] == (Decimal(2), Decimal(3))
    assert ocop_entity_shares(Period.year(2027))[MODERN][unit] == (
        Decimal(0),
        Decimal(2),
    )


def test_the_engine_places_old_communes_under_the_district(records, units):
    indicator = Indicator.objects.create(
        code=MODERN,
        name="Tỷ lệ chủ thể OCOP tham gia kênh bán hàng hiện đại",
        measure=Indicator.Measure.PERCENT,
        level=units["district"].level,
        source=Indicator.Source.COMPUTED,
        aggregation=Indicator.Aggregation.RATIO,
    )
    period = Period.year(2025)

    result = measure(indicator, [units["district"]], Context(period))

    assert result[units["district"].pk].value == Decimal("66.67")
    assert provider_for(MODERN).dated is True


def test_household_ecommerce_rests_on_live_listings_then_declarations(villages):
    village = villages["hn1"]
    platform = EcommercePlatformFactory(name="Voso.vn")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    def household(business=True, declared=False, listing=None):
        record = HouseholdFactory(village=village, is_business=business)
        if declared:
            record.ecommerce_platforms.add(platform)
        if listing is not None:
            entity = EntityFactory(
                unit=village, kind=Entity.Kind.HOUSEHOLD_BUSINESS, household=record
            )
            if listing:
                SalesChannelFactory(
                    entity=entity,
                    kind=SalesChannel.Kind.ECOMMERCE,
                    url="https://voso.vn/gian-hang",
                    listed_from=datetime.date(2024, 1, 1),
                    listed_to=None if listing == "live" else yesterday,
                )
        return record

    household(listing="live")  # counted: its entity's listing is live
    household(declared=True)  # counted on its declaration: runs no entity
    household(declared=True, listing="ended")  # records say no: not counted
    household()  # a business with nothing
    household(business=False, listing="live")  # runs an entity: a business
    household(business=False)  # not a business: not in the denominator

    shares = households_online()["SV.ECOMMERCE"]

    assert shares == {village.pk: (Decimal(3), Decimal(5))}
    assert "tự khai báo" in provider_for("SV.ECOMMERCE").label
