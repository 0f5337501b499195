"""Reads shared by pages, the API and the indicator provider.

``scan_page_data`` gathers what the public scan page of a lot shows, and
nothing personal: no household names or phones, no names of the people who
kept the diary, the producer's business contact only when it publishes one.
"""

import datetime
import json
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from ntm.households.models import Household
from ntm.households.register_pass import per_village
from ntm.ocop.models import Entity, Evaluation

from . import epcis
from .geometry import from_geojson
from .models import DiaryEntry, Event, Lot

# Without a planting on record, the diary summary covers this long before
# the harvest.
SUMMARY_WINDOW = datetime.timedelta(days=180)


@dataclass
class VillageTracing:
    producers: int = 0
    by_records: int = 0
    declared: int = 0


def tracing_columns(start, end):
    """Per village: production households (``producers``), those whose
    linked OCOP entity produced a traced lot between ``start`` and ``end``
    (``by_records``), and business households with no linked entity whose
    typed flag says they apply traceability (``declared``), as aggregates
    over households: one part of the register's joint pass.
    """
    # EXISTS, not a join to the entities: the join's LEFT OUTER plan keeps
    # PostgreSQL from scanning the register in parallel (1.6 s against 0.8 s
    # over 2.7 M households).
    runs_entity = Exists(Entity.objects.filter(household=OuterRef("pk")))
    producer = Q(is_business=True) | Q(runs_entity)
    traced = Exists(
        Lot.objects.filter(
            product__entity__household=OuterRef("pk"),
            produced_on__gte=start,
            produced_on__lte=end,
        )
    )
    return {
        "producers": Count("id", filter=producer),
        "by_records": Count("id", filter=Q(traced)),
        "declared": Count(
            "id",
            filter=Q(is_business=True, uses_traceability=True) & ~Q(runs_entity),
        ),
    }


def tracing_households(start, end, households=None):
    """{village id: VillageTracing} for the production households of each village
    (of ``households``, every household by default), in one GROUP BY."""
    households = Household.objects.all() if households is None else households
    rows = per_village(households, tracing_columns(start, end))
    return {
        row["village_id"]: VillageTracing(
            row["producers"], row["by_records"], row["declared"]
        )
        for row in rows
    }


def current_evaluation(product, day):
    """The product's certified evaluation valid on ``day``, else its latest."""
    certified = Evaluation.objects.filter(product=product).certified()
    return (
        certified.valid_on(day).order_by("-certificate_date").first()
        or certified.order_by("-certificate_date").first()
    )


def diary_summary(area, harvest_day):
    """What was applied on the area this season, up to the harvest."""
    planting = (
        area.diary.filter(kind=DiaryEntry.Kind.PLANTING, on__lte=harvest_day)
        .order_by("-on")
        .first()
    )
    since = planting.on if planting else harvest_day - SUMMARY_WINDOW
    entries = list(
        area.diary.filter(on__gte=since, on__lte=harvest_day)
        .exclude(kind=DiaryEntry.Kind.HARVEST)
        .order_by("on", "pk")
    )
    irrigations = [e for e in entries if e.kind == DiaryEntry.Kind.IRRIGATION]
    return {
        "since": since,
        "planting": planting,
        "inputs": [
            e
            for e in entries
            if e.kind in (DiaryEntry.Kind.FERTILISER, DiaryEntry.Kind.PESTICIDE)
        ],
        "irrigations": len(irrigations),
        "last_irrigation": irrigations[-1].on if irrigations else None,
    }


def scan_page_data(lot, *, today=None):
    """Everything the public page of ``lot`` shows (for the template)."""
    today = today or timezone.localdate()
    product = lot.product
    entity = product.entity
    area = lot.area
    events = list(Event.objects.of_lot(lot).order_by("sequence"))
    phone, email, website = entity.public_contact
    geometry = from_geojson(area.boundary) if area.boundary else None
    centre = geometry.representative_point() if geometry is not None else None
    evaluation = current_evaluation(product, today)
    is_organisation = entity.kind != Entity.Kind.HOUSEHOLD_BUSINESS
    return {
        "lot": lot,
        "product": product,
        "entity": entity,
        # A household business's address is its home: the commune only.
        "address": entity.address if is_organisation else "",
        "commune": entity.unit.name,
        "contact": {"phone": phone, "email": email, "website": website},
        "evaluation": evaluation,
        "ocop_valid": bool(evaluation and evaluation.is_valid_on(today)),
        "stars": "★" * (evaluation.stars or 0) if evaluation else "",
        "area": area,
        "area_commune": area.unit.name,
        "boundary": json.dumps(area.boundary) if area.boundary else "",
        "centre": (centre.y, centre.x) if centre is not None else None,
        "certificates": [
            (c, c.is_valid_on(today))
            for c in area.certificates.order_by("-valid_until")
        ],
        "diary": diary_summary(area, lot.produced_on),
        "steps": timeline(events),
        "chain": epcis.verify_chain(events),
        "today": today,
    }


def timeline(events):
    labels = dict(Event.Kind.choices)
    return [epcis.describe(event.document, labels) for event in events]
