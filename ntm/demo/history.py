"""Three demo years: 2024 and 2025 frozen, 2026 live.

Households are generated at their 2024 level; the 2024 values are frozen, a
year of progress is simulated and 2025 frozen, then another year leads to
today's records, which the engine reads live. About a fifth of the villages
are "champions" that reach every smart-village item by 2026, so the demo has
smart villages to show. Officials' entered values (criteria without records)
are entered, submitted and approved through the services, by demo accounts.
"""

import datetime
from decimal import Decimal

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from ntm.accounts.models import User
from ntm.core.audit import log_actions
from ntm.households.history import record_versions, start_of
from ntm.households.models import EcommercePlatform, Facility, Household, VillageChannel
from ntm.indicators.models import (
    CriteriaSet,
    Indicator,
    IndicatorValue,
    Period,
    Requirement,
)
from ntm.indicators.services import (
    close_period,
    freeze_period,
    record_reviewed_values,
)
from ntm.units.models import Reorganisation, Unit

CHAMPION_SHARE = 0.2
# The register's dated versions (ntm.households.history): registered at the
# start of 2023 in the villages of then, carried into today's villages on the
# reorganisation, then each year's progress on a day of that year.
REGISTERED = datetime.date(2023, 1, 1)
REORGANISED = datetime.date(2025, 7, 1)
_YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)
THIS_YEAR = (datetime.date(2026, 1, 1), max(_YESTERDAY, datetime.date(2026, 1, 1)))
NEW_FAMILIES = (datetime.date(2026, 2, 1), max(_YESTERDAY, datetime.date(2026, 2, 1)))
PLATFORMS_FIELD = Household.ecommerce_platforms.through


def champions(rng, villages):
    return {v.pk for v in villages if rng.random() < CHAMPION_SHARE}


def progress(rng, villages, champion_ids, *, final, registered):
    """One year of progress: lacking households catch up, champions fully at the end.

    Each change is a plain UPDATE over the chosen ids (one per fact), not a
    row-by-row save: the demo moves 38,588 households through two years.
    """
    rate = {True: 1.0 if final else 0.6, False: 0.25}
    platform_ids = list(EcommercePlatform.objects.values_list("pk", flat=True))
    online = set(PLATFORMS_FIELD.objects.values_list("household_id", flat=True))
    chosen = {fact: [] for fact in ("address", "fibre", "phone", "health", "trace")}
    links = []
    households = Household.objects.filter(village__in=villages).values_list(
        "pk", "village_id", "address_code", "has_fibre", "smartphones",
        "members", "health_app_members", "is_business", "uses_traceability",
    )  # fmt: skip
    for (
        pk, village_id, address_code, fibre, phones,
        members, guided, business, tracing,
    ) in households.iterator(chunk_size=5000):  # fmt: skip
        p = rate[village_id in champion_ids]
        for fact, lacking in (
            ("address", not address_code),
            ("fibre", not fibre),
            ("phone", phones == 0),
            ("health", guided < members),
            ("trace", business and not tracing),
        ):
            if lacking and rng.random() < p:
                chosen[fact].append(pk)
        if business and pk not in online and rng.random() < p:
            links.append(
                PLATFORMS_FIELD(
                    household_id=pk, ecommerceplatform_id=rng.choice(platform_ids)
                )
            )
    updates = {
        "address": {
            "address_code": Concat(Substr("code", 1, 7), Value("-"), Substr("code", 8))
        },
        "fibre": {"has_fibre": True},
        "phone": {"smartphones": 1},
        "health": {"health_app_members": F("members")},
        "trace": {"uses_traceability": True},
    }
    for fact, ids in chosen.items():
        for start in range(0, len(ids), 900):
            Household.objects.filter(pk__in=ids[start : start + 900]).update(
                **updates[fact]
            )
    PLATFORMS_FIELD.objects.bulk_create(links, batch_size=2000)
    changed = {pk for ids in chosen.values() for pk in ids} | {
        link.household_id for link in links
    }
    log_actions(
        [
            household
            for household in Household.objects.only("pk", "code", "head_name")
            if household.pk in changed
        ],
        "households.household.changed",
        by=None,
        data_for=lambda _h: {"note": "Dữ liệu minh họa: tiến độ một năm"},
    )
    houses = Facility.objects.filter(
        kind=Facility.Kind.CULTURAL_HOUSE, has_wifi=False, village__in=villages
    )
    wired = [
        house.pk
        for house in houses
        if rng.random() < rate[house.village_id in champion_ids]
    ]
    Facility.objects.filter(pk__in=wired).update(has_wifi=True)
    window = THIS_YEAR if final else (REORGANISED, datetime.date(2025, 12, 31))
    hour = 10 if final else 9
    date_changes(Household, changed, window, registered, hour)
    date_changes(Facility, wired, window, registered, hour)
    with_channel = set(VillageChannel.objects.values_list("village_id", flat=True))
    VillageChannel.objects.bulk_create(
        [
            _channel(rng, village)
            for village in villages
            if village.pk not in with_channel
            and rng.random() < rate[village.pk in champion_ids]
        ]
    )


def date_register(villages):
    """The first versions of every demo household and facility: in the old
    village from 2023, in today's village from 1 July 2025; one household
    in forty (new families) registered only during 2026, in today's village.
    Returns {household id: the moment it was registered} for ``date_changes``.
    """
    old_of = dict(
        Reorganisation.successors.through.objects.filter(unit__in=villages).values_list(
            "unit_id", "reorganisation__predecessors"
        )
    )
    registered = {}
    for model in (Household, Facility):
        rows = list(model._base_manager.filter(village__in=villages))
        late = [row for row in rows if model is Household and row.pk % 40 == 0]
        early = [row for row in rows if not (model is Household and row.pk % 40 == 0)]
        today_of = {row.pk: row.village_id for row in early}
        for row in early:
            row.village_id = old_of.get(row.village_id, row.village_id)
        record_versions(
            model,
            early,
            reason="Dữ liệu minh họa",
            update=False,
            on=start_of(REGISTERED),
        )
        for row in early:
            row.village_id = today_of[row.pk]
        record_versions(
            model,
            early,
            reason="Dữ liệu minh họa: sắp xếp đơn vị hành chính",
            on=start_of(REORGANISED),
        )
        for row in late:
            row._history_date = _day_in(row.pk, NEW_FAMILIES) + datetime.timedelta(
                hours=8
            )
            registered[row.pk] = row._history_date
        record_versions(
            model, late, reason="Dữ liệu minh họa: hộ mới đăng ký", update=False
        )
    return registered


def _day_in(pk, window):
    """A day of ``window`` picked by ``pk``: spread, and not drawn from the
    demo's generator (whose sequence every other figure depends on)."""
    first, last = window
    span = max((last - first).days, 0) + 1
    return start_of(first) + datetime.timedelta(days=(pk * 7919) % span)


def date_changes(model, ids, window, registered, hour):
    """A version for each changed row on a day of ``window``, after the
    row's own registration for the households registered late."""
    ids = sorted(ids)
    rows = [
        row
        for start in range(0, len(ids), 900)
        for row in model._base_manager.filter(pk__in=ids[start : start + 900])
    ]
    for row in rows:
        moment = _day_in(row.pk, window) + datetime.timedelta(hours=hour)
        joined = registered.get(row.pk) if model is Household else None
        if joined is not None and moment <= joined:
            moment = joined + datetime.timedelta(hours=hour - 8)
        row._history_date = moment
    record_versions(model, rows, reason="Dữ liệu minh họa: tiến độ một năm")


def build_channels(rng, villages, share=0.4):
    VillageChannel.objects.bulk_create(
        [_channel(rng, v) for v in villages if rng.random() < share]
    )


def _channel(rng, village):
    return VillageChannel(
        village=village,
        platform=rng.choice(["zalo", "zalo", "zalo", "mocha", "facebook"]),
        name=f"Nhóm {village.name} — {village.parent.name}",
        members=rng.randrange(40, 400),
        is_demo=True,
    )


def freeze(year):
    return freeze_period(Period.year(year), by=None, is_demo=True)


CLOSED_YEARS = (2023, 2024, 2025)


def close_years():
    """Close the demo's past years once every app has built its records:
    their figures are frozen from then on, as a district's would be."""
    for year in CLOSED_YEARS:
        close_period(Period.year(year), by=None, is_demo=True)


def enter_values(rng, *, year, units, clerk, reviewer, approve_share=1.0):
    """Enter, submit and approve the entered indicators of the sets of ``year``.

    Values sit around each requirement's threshold so that some units meet a
    criterion and some do not; with ``approve_share`` < 1 some stay submitted
    or draft, as they would be mid-year.
    """
    period = Period.year(year)
    sets = CriteriaSet.objects.active().for_year(year)
    requirements = Requirement.objects.filter(
        criterion__criteria_set__in=sets,
        indicator__source=Indicator.Source.ENTERED,
    ).select_related("indicator")
    by_level = {}
    for requirement in requirements:
        by_level.setdefault(requirement.indicator.level, {})[
            requirement.indicator_id
        ] = requirement
    rows = []
    for unit in units:
        for requirement in by_level.get(unit.level, {}).values():
            value = _plausible(rng, requirement)
            roll = rng.random()
            if roll < approve_share:
                stage = IndicatorValue.Status.APPROVED
            elif roll < approve_share + (1 - approve_share) / 2:
                stage = IndicatorValue.Status.SUBMITTED
            else:
                stage = IndicatorValue.Status.DRAFT
            rows.append(
                (requirement.indicator, unit, period, value, "Dữ liệu minh họa", stage)
            )
    return len(record_reviewed_values(rows, by=clerk, reviewer=reviewer))


def _plausible(rng, requirement):
    indicator = requirement.indicator
    if indicator.measure == Indicator.Measure.BOOLEAN or requirement.threshold is None:
        return Decimal(1) if rng.random() < 0.8 else Decimal(0)
    threshold = float(requirement.threshold)
    low = requirement.comparison in (
        Requirement.Comparison.LTE,
        Requirement.Comparison.LT,
    )
    spread = max(threshold * 0.15, 1.0)
    good = rng.random() < 0.75
    value = (
        threshold - rng.uniform(0, spread)
        if good == low
        else threshold + rng.uniform(0, spread)
    )
    if indicator.measure == Indicator.Measure.PERCENT:
        value = min(max(value, 0), 100)
    if indicator.measure == Indicator.Measure.COUNT:
        return Decimal(max(round(value), 0))
    return Decimal(f"{max(value, 0):.2f}")


def build_history(rng, villages):
    """Frozen 2024 and 2025, live 2026, with entered values for each year."""
    champion_ids = champions(rng, villages)
    clerk = User.objects.get(username="admin")
    reviewer = User.objects.get(username="vhtt")
    old_communes = list(Unit.objects.communes().filter(valid_to__isnull=False))
    new_communes = list(Unit.objects.communes().filter(valid_from__isnull=False))
    district = Unit.objects.filter(level=Unit.Level.DISTRICT)
    registered = date_register(villages)
    freeze(2024)
    enter_values(
        rng, year=2024, units=[*old_communes, *district], clerk=clerk, reviewer=reviewer
    )
    progress(rng, villages, champion_ids, final=False, registered=registered)
    freeze(2025)
    enter_values(rng, year=2025, units=new_communes, clerk=clerk, reviewer=reviewer)
    progress(rng, villages, champion_ids, final=True, registered=registered)
    enter_values(
        rng,
        year=2026,
        units=new_communes,
        clerk=clerk,
        reviewer=reviewer,
        approve_share=0.6,
    )
