"""Trace events as GS1 EPCIS 2.0 JSON-LD, chained by SHA-256 hashes.

Each event of a lot is built once, when it is recorded, as an EPCIS 2.0
event (ObjectEvent for harvest, shipping and sale; AggregationEvent for
packing; TransformationEvent for processing) whose quantities name the lot's
Digital Link URI as their EPC class. It carries the hash of the lot's
previous event (``ntm:previousEventHash``; 64 zeros for the first) and is
hashed over its canonical JSON (keys sorted, no spaces, UTF-8), so changing
any past event breaks the chain from that event on.

The per-lot export is an ``EPCISDocument`` that validates against GS1's
EPCIS 2.0 JSON schema; our fields are extensions under the ``ntm:`` prefix.
"""

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
NAMESPACE = "urn:ntm-so:truy-xuat:"
GENESIS = "0" * 64

HARVEST = "thu_hoach"
PACKING = "dong_goi"
PROCESSING = "che_bien"
SHIPPING = "van_chuyen"
SALE = "ban_hang"

# kind: (EPCIS event type, action, CBV bizStep, CBV disposition)
SHAPES = {
    HARVEST: ("ObjectEvent", "ADD", "commissioning", "active"),
    PACKING: ("AggregationEvent", "ADD", "packing", "in_progress"),
    PROCESSING: ("TransformationEvent", None, "creating_class_instance", "active"),
    SHIPPING: ("ObjectEvent", "OBSERVE", "shipping", "in_transit"),
    SALE: ("ObjectEvent", "OBSERVE", "retail_selling", "retail_sold"),
}
KIND_OF_STEP = {shape[2]: kind for kind, shape in SHAPES.items()}
# UN/ECE Recommendation 20 codes the forms offer.
UNITS = {
    "KGM": gettext_lazy("kg"),
    "H87": gettext_lazy("cái, hộp, gói"),
    "LTR": gettext_lazy("lít"),
}


def canonical(document):
    """The bytes hashed: sorted keys, no insignificant spaces, UTF-8."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def digest(document):
    return hashlib.sha256(canonical(document)).hexdigest()


def event_id(lot_uri, sequence):
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{lot_uri}#{sequence}')}"


def _time(moment):
    local = timezone.localtime(moment)
    offset = local.strftime("%z")
    return local.isoformat(timespec="seconds"), f"{offset[:3]}:{offset[3:]}"


def _quantity(lot_uri, amount, uom="KGM"):
    return {"epcClass": lot_uri, "quantity": float(amount), "uom": uom}


def build_event(
    kind,
    *,
    lot_uri,
    sequence,
    previous_hash,
    occurred_at,
    recorded_at,
    quantity,
    read_point,
    details=None,
):
    """The EPCIS 2.0 event of one step of a lot, ready to hash and store.

    ``quantity`` is the lot's quantity at this step in kg; ``details`` holds
    the step's own facts: ``area_code`` and ``harvest_date`` (harvest),
    ``packages`` and ``packaging`` (packing), ``output_quantity``,
    ``output_uom`` and ``process`` (processing), ``destination`` (shipping),
    ``channel`` (sale), ``note`` (any).
    """
    details = details or {}
    event_type, action, biz_step, disposition = SHAPES[kind]
    event_time, offset = _time(occurred_at)
    record_time, _offset = _time(recorded_at)
    event = {
        "type": event_type,
        "eventID": event_id(lot_uri, sequence),
        "eventTime": event_time,
        "eventTimeZoneOffset": offset,
        "recordTime": record_time,
        "bizStep": biz_step,
        "disposition": disposition,
        "readPoint": {"id": read_point},
    }
    if action:
        event["action"] = action
    if kind == PACKING:
        event["parentID"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, lot_uri)}"
        event["childQuantityList"] = [_quantity(lot_uri, quantity)]
        event["ntm:packages"] = int(details.get("packages") or 1)
        event["ntm:packaging"] = details.get("packaging", "")
    elif kind == PROCESSING:
        event["transformationID"] = event_id(lot_uri, f"{sequence}-transformation")
        event["inputQuantityList"] = [_quantity(lot_uri, quantity)]
        event["outputQuantityList"] = [
            _quantity(
                lot_uri,
                details.get("output_quantity") or quantity,
                details.get("output_uom") or "KGM",
            )
        ]
        event["ntm:process"] = details.get("process", "")
    else:
        event["quantityList"] = [_quantity(lot_uri, quantity)]
    if kind == HARVEST:
        event["ilmd"] = {
            "ntm:growingAreaCode": details.get("area_code", ""),
            "ntm:harvestDate": str(details.get("harvest_date", "")),
        }
    if kind == SHIPPING:
        event["ntm:destination"] = details.get("destination", "")
    if kind == SALE:
        event["ntm:channel"] = details.get("channel", "")
    event["ntm:note"] = details.get("note", "")
    event["ntm:sequence"] = sequence
    event["ntm:previousEventHash"] = previous_hash
    return event


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    count: int
    broken_at: int | None = None
    reason: str = ""


def verify_chain(events):
    """Recompute the hashes of a lot's events, in sequence order.

    Each event must hash to its stored hash and name its predecessor's hash;
    the first break found is reported (the sequence number and why).
    """
    previous = GENESIS
    count = 0
    for event in events:
        count += 1
        document = event.document
        if document.get("ntm:previousEventHash") != previous:
            return ChainCheck(
                False,
                count,
                event.sequence,
                _("Sự kiện %(n)d không nối với sự kiện trước nó.")
                % {"n": event.sequence},
            )
        if digest(document) != event.hash:
            return ChainCheck(
                False,
                count,
                event.sequence,
                _("Nội dung sự kiện %(n)d đã bị thay đổi sau khi ghi.")
                % {"n": event.sequence},
            )
        previous = event.hash
    return ChainCheck(True, count)


def export_document(events, *, lot_uri, created_at=None):
    """The lot's events as one EPCIS 2.0 JSON-LD document.

    Each event gains its own hash (``ntm:eventHash``), which is not part of
    what was hashed.
    """
    created_at = created_at or timezone.now()
    return {
        "@context": [CONTEXT, {"ntm": NAMESPACE}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _time(created_at)[0],
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, lot_uri + '#export')}",
        "epcisBody": {
            "eventList": [
                {**event.document, "ntm:eventHash": event.hash} for event in events
            ]
        },
    }


@dataclass(frozen=True)
class Step:
    """What the public timeline shows of one event, read from its document."""

    sequence: int
    kind: str
    time: datetime.datetime | None
    quantity: float | None
    uom: str
    output_quantity: float | None
    output_uom: str
    text: str
    note: str
    label: str = ""


def describe(document, labels=None):
    """A Step read from an event document (never from the editable columns).

    ``labels`` names the kinds on screen ({kind: label}).
    """
    kind = KIND_OF_STEP.get(document.get("bizStep"), "")
    quantities = (
        document.get("quantityList")
        or document.get("childQuantityList")
        or document.get("inputQuantityList")
        or [{}]
    )
    output = (document.get("outputQuantityList") or [{}])[0]
    try:
        time = datetime.datetime.fromisoformat(document.get("eventTime", ""))
    except ValueError:
        time = None
    text = (
        document.get("ntm:destination")
        or document.get("ntm:channel")
        or document.get("ntm:process")
        or document.get("ntm:packaging")
        or (document.get("ilmd") or {}).get("ntm:growingAreaCode", "")
    )
    return Step(
        sequence=document.get("ntm:sequence", 0),
        kind=kind,
        time=time,
        quantity=quantities[0].get("quantity"),
        uom=str(UNITS.get(quantities[0].get("uom", ""), "")),
        output_quantity=output.get("quantity"),
        output_uom=str(UNITS.get(output.get("uom", ""), "")),
        text=text,
        note=document.get("ntm:note", ""),
        label=(labels or {}).get(kind, kind),
    )
