import random

import pytest

from ntm.ocop.models import Entity, Product
from ntm.traceability import demo
from ntm.traceability.epcis import verify_chain
from ntm.traceability.models import Event, GrowingArea, LocalProductId, Lot
from ntm.units import geometry

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _build(office):
    # ``office`` is the demo's Agriculture office account ("nnptnt").
    return demo.build(random.Random(7), today=TODAY)


def _rows():
    return list(
        Event.objects.order_by("lot__number", "sequence").values_list("hash", flat=True)
    )


def test_demo_builds_labelled_areas_inside_their_communes_with_intact_lots(office):
    count = _build(office)

    areas = list(GrowingArea.objects.select_related("unit"))
    assert count == Lot.objects.count() > 0
    assert all(area.is_demo for area in areas)
    assert all(lot.is_demo for lot in Lot.objects.all())
    for area in areas:
        cell = geometry.from_geojson(area.unit.boundary)
        assert cell.contains(geometry.from_geojson(area.boundary))
    assert {a.status for a in areas} == {"giam_sat", "khai_bao"}
    for lot in Lot.objects.all():
        assert verify_chain(list(lot.events.order_by("sequence"))).ok


def test_demo_is_deterministic(office):
    _build(office)
    first = _rows()
    for model in (Event, Lot, GrowingArea, LocalProductId, Product, Entity):
        model.objects.all().delete()

    demo.build(random.Random(7), today=TODAY)

    assert _rows() == first
