"""What every dataset shares: licence and publisher."""

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ntm.core.publiccache import data_version
from ntm.units.models import Unit

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_TITLE = "Creative Commons Attribution 4.0 International"


def publisher():
    """The district's People's Committee, named from the reference units.

    The district level ended on 01/07/2025, but the plan and its records
    are the district's: the newest district unit names the publisher.
    Looked up once per data version and language (a catalogue names it
    for every dataset).
    """
    key = f"opendata:publisher:{data_version().key}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _publisher()
        cache.set(key, found, 24 * 3600)
    return found


def _publisher():
    district = (
        Unit.objects.at_level(Unit.Level.DISTRICT)
        .order_by("-valid_from", "code")
        .only("code", "name")
        .first()
    )
    if district is None:
        return {"name": _("NTM Số"), "code": ""}
    name = district.name
    return {
        "name": _("Ủy ban nhân dân %(unit)s") % {"unit": name[:1].lower() + name[1:]},
        "code": district.code,
    }
