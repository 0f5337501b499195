"""A unit as a GeoJSON Feature, for the unit map and anyone who downloads it."""


def unit_feature(unit):
    """The unit's boundary with the facts a map needs to label and caveat it.

    ``geometry`` is null when no boundary has been drawn or imported yet, which
    GeoJSON allows ("unlocated" feature).
    """
    return {
        "type": "Feature",
        "geometry": unit.boundary,
        "properties": {
            "code": unit.code,
            "name": unit.name,
            "level": unit.level_key,
            "valid_from": _iso(unit.valid_from),
            "valid_to": _iso(unit.valid_to),
            "approximate": unit.boundary_is_approximate,
        },
    }


def _iso(day):
    return day.isoformat() if day else None
