import json
from pathlib import Path

import jsonschema
import pytest

from ntm.traceability import epcis
from ntm.traceability.services import epc_class

from .test_services import _events

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _validator():
    # The schema is one inlined draft-07 file: nothing to fetch.
    schema = json.loads((DATA / "EPCIS-JSON-Schema.json").read_text())
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def test_validator_accepts_gs1s_examples_and_refuses_a_broken_event():
    validator = _validator()
    for name in (
        "Example_9.6.1-ObjectEventWithDigitalLink.jsonld",
        "Example_9.6.3-AggregationEvent.jsonld",
    ):
        validator.validate(json.loads((DATA / name).read_text()))
    example = json.loads(
        (DATA / "Example_9.6.1-ObjectEventWithDigitalLink.jsonld").read_text()
    )
    example["epcisBody"]["eventList"][0]["action"] = "MOVE"

    assert not validator.is_valid(example)


def test_lot_export_validates_against_the_epcis_2_schema(lot, producer):
    events = _events(lot, producer)

    document = epcis.export_document(events, lot_uri=epc_class(lot))

    _validator().validate(document)
    assert [e["type"] for e in document["epcisBody"]["eventList"]] == [
        "ObjectEvent",
        "AggregationEvent",
        "TransformationEvent",
        "ObjectEvent",
        "ObjectEvent",
    ]
    assert [e["ntm:eventHash"] for e in document["epcisBody"]["eventList"]] == [
        e.hash for e in events
    ]


def test_export_of_a_local_lot_validates_too(sprayed, local_product, producer):
    from decimal import Decimal

    from ntm.traceability.services import create_lot

    from .conftest import TODAY

    lot = create_lot(
        product=local_product,
        area=sprayed,
        number="A-1",
        quantity_kg=Decimal(10),
        produced_on=TODAY,
        by=producer,
    )

    document = epcis.export_document(list(lot.events.all()), lot_uri=epc_class(lot))

    _validator().validate(document)
    quantity = document["epcisBody"]["eventList"][0]["quantityList"][0]
    assert quantity["epcClass"] == f"urn:ntm-so:truy-xuat:sp:{lot.local_id}:lot:A-1"
