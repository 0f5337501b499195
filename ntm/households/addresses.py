"""Digital addresses (plan III.4): a code and a map point for every household,
agency, organisation and heritage site, and the public answer for a code.

A code is the village's code and a number, "2051501-0007"; codes are unique
across households, the villages' facilities and places, and never reused for
another holder once printed on a plate. A map point must lie inside the
holder's commune (``validation.MapArea``). Who may assign codes in a village
is the caller's question (``can_edit_households``).
"""

import math
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import log_action, log_actions
from ntm.core.changes import refuse_unknown
from ntm.core.text import fold

from .history import record_versions, recorded_by
from .models import Facility, Household, Place
from .services import (
    HOLDERS,
    HouseholdError,
    check_code_free,
    check_point,
    check_village,
    holder_of,
)

CODE_DIGITS = 4
# The audit log's action names, by the holder's model name.
ASSIGNED = {
    "household": "households.household.address_assigned",
    "facility": "households.facility.address_assigned",
    "place": "households.place.address_assigned",
}
POINT_SET = {
    "household": "households.household.point_set",
    "facility": "households.facility.point_set",
    "place": "households.place.point_set",
}
PLACE_FIELDS = ["kind", "name", "address_code", "lat", "lon", "is_demo"]


def code_for(village, number):
    return f"{village.code}-{number:0{CODE_DIGITS}d}"


def serpentine(items, *, rows=None):
    """``items`` (with ``lat``, ``lon``) in the order a walker numbers houses.

    The village is cut into bands of latitude from north to south; the first
    band is read west to east, the next east to west, and so on, so that
    consecutive numbers are neighbours. ``rows`` bands, by default the square
    root of the count (about as many bands as houses in a band).
    """
    items = list(items)
    if not items:
        return []
    if rows is None:
        rows = max(1, round(math.sqrt(len(items))))
    lats = [float(item.lat) for item in items]
    north, south = max(lats), min(lats)
    height = (north - south) / rows or 1.0
    bands = [[] for _ in range(rows)]
    for item in items:
        band = min(int((north - float(item.lat)) / height), rows - 1)
        bands[band].append(item)
    ordered = []
    for index, band in enumerate(bands):
        band.sort(key=lambda item: (float(item.lon), -float(item.lat)))
        ordered.extend(band if index % 2 == 0 else band[::-1])
    return ordered


def _last_number(village):
    """The highest number used by a code of ``village`` in any holder."""
    pattern = re.compile(rf"^{re.escape(village.code)}-(\d+)$")
    last = 0
    prefix = f"{village.code}-"
    for manager in HOLDERS:
        for code in manager.filter(address_code__startswith=prefix).values_list(
            "address_code", flat=True
        ):
            match = pattern.match(code)
            if match:
                last = max(last, int(match.group(1)))
    return last


@transaction.atomic
def assign_village_addresses(village, *, by):
    """Give a code to every household, facility and place of ``village`` without one.

    Holders with a map point are numbered in serpentine order (north to
    south, alternating direction), after the village's highest number in
    use; those without a point follow, by their code or name. Codes already
    given are kept. Each holder's change is written to the audit log.
    Returns the holders coded, in the order of their new codes.
    """
    check_village(village)
    # One assignment at a time per village: two clicks must not give two
    # households the same number.
    type(village).objects.select_for_update().filter(pk=village.pk).first()
    households = list(
        Household.objects.filter(village=village)
        .without_address_code()
        .order_by("code")
    )
    facilities = list(
        Facility.objects.filter(village=village, address_code="").order_by("name")
    )
    places = list(Place.objects.filter(village=village).without_address_code())
    holders = [*households, *facilities, *places]
    located = [h for h in holders if h.lat is not None and h.lon is not None]
    unlocated = [h for h in holders if h.lat is None or h.lon is None]
    number = _last_number(village)
    ordered = serpentine(located) + unlocated
    now = timezone.now()
    for holder in ordered:
        number += 1
        holder.address_code = code_for(village, number)
        holder.updated_at = now
    for model, group in (
        (Household, households),
        (Facility, facilities),
        (Place, places),
    ):
        if not group:
            continue
        for holder in group:
            if model is Household:
                holder.search_text = holder.build_search_text()
        fields = ["address_code", "updated_at"]
        if model is Household:
            fields.append("search_text")
        model.objects.bulk_update(group, fields, batch_size=1000)
        if model is not Place:
            record_versions(model, group, by=by, reason=_("Gán mã địa chỉ số"))
        log_actions(
            group,
            ASSIGNED[model._meta.model_name],
            by=by,
            data_for=lambda h: {"address_code": h.address_code},
        )
    return ordered


@transaction.atomic
def set_address_point(holder, *, lat, lon, by):
    """Place ``holder`` (a household, facility or place) on the map.

    Refuses a point outside the holder's commune, with the reason.
    """
    check_point(holder.village, lat, lon)
    before = (holder.lat, holder.lon)
    holder.lat, holder.lon = lat, lon
    if not isinstance(holder, Place):
        recorded_by(holder, by)
    holder.save(update_fields=["lat", "lon", "updated_at"])
    log_action(
        holder,
        POINT_SET[holder._meta.model_name],
        by=by,
        data={
            "old": [str(v) if v is not None else None for v in before],
            "new": [str(lat), str(lon)],
        },
    )
    return holder


@transaction.atomic
def create_place(*, village, by, **fields):
    """Record an agency, organisation or heritage site of a current village.

    Refuses a name missing, a code already carried elsewhere and a point
    outside the village's commune.
    """
    refuse_unknown(fields, PLACE_FIELDS)
    place = Place(village=village, **fields)
    place.address_code = place.address_code or None
    check_village(village)
    if not place.name:
        raise HouseholdError(_("Hãy nhập tên."))
    if place.address_code:
        check_code_free(place.address_code)
    check_point(village, place.lat, place.lon)
    place.name_folded = fold(place.name)
    place.save()
    log_action(place, "households.place.created", by=by, data={"name": place.name})
    return place


def public_address(code):
    """What anyone may read about a digital address, or None.

    A place or a facility: its name, kind and point. A household: only that
    it is a household's address, its village and commune, and the village's
    centre (never the household's name or exact point: personal data).
    """
    holder = holder_of(code)
    if holder is None or (isinstance(holder, Household) and not holder.is_followed):
        return None
    village = holder.village
    commune = village.parent
    answer = {
        "code": code,
        "village": village.name,
        "village_code": village.code,
        "commune": commune.name if commune else "",
        "commune_code": commune.code if commune else "",
    }
    if isinstance(holder, Household):
        answer.update(
            kind=str(_("Hộ gia đình")),
            name="",
            lat=village.lat,
            lon=village.lon,
            approximate=True,
        )
    else:
        answer.update(
            kind=str(holder.get_kind_display()),
            name=holder.name,
            lat=holder.lat,
            lon=holder.lon,
            approximate=False,
        )
    return answer
