"""The plan's targets computed from the plans app's records (plan II.2).

Every provider is dated: a year's figure is read from the records of that
year whatever the day, and the engine places each unit (old commune, new
commune) under the territory the period asks for.
"""

from collections import defaultdict

from django.db.models import Sum

from ntm.indicators.providers import fraction, register
from ntm.units.models import Reorganisation, Unit

from .models import EssentialService, PilotCommune, WorkDossierTally
from .models.records import year_bounds


def _year(period):
    return period.end.year


def _tally_sums(year, level):
    rows = (
        WorkDossierTally.objects.filter(year=year, unit__level=level)
        .values("unit_id")
        .annotate(online=Sum("online"), total=Sum("total"))
    )
    return {r["unit_id"]: fraction(r["online"], r["total"]) for r in rows}


@register("KH.HS_HUYEN", label="Sổ hồ sơ công việc cấp huyện", dated=True)
def district_dossiers(period):
    """Online / total of the district offices' tallies of the period's year."""
    return {"KH.HS_HUYEN": _tally_sums(_year(period), Unit.Level.DISTRICT)}


@register("KH.HS_XA", label="Sổ hồ sơ công việc cấp xã", dated=True)
def commune_dossiers(period):
    """Online / total of each commune's tally; summed to the district."""
    return {"KH.HS_XA": _tally_sums(_year(period), Unit.Level.COMMUNE)}


@register("KH.XA_DV_THIET_YEU", label="Dịch vụ thiết yếu trực tuyến", dated=True)
def essential_services(period):
    """1 of 1 for each xã of 31/12 with a service running in the year, else 0.

    Thị trấn are not counted. A service recorded under an old commune keeps
    counting, after the merge, for the commune that replaced it.
    """
    year = _year(period)
    communes = list(
        Unit.objects.valid_on(year_bounds(year)[1])
        .filter(level=Unit.Level.COMMUNE, kind=Unit.Kind.COMMUNE)
        .values_list("pk", flat=True)
    )
    providing = set(
        EssentialService.objects.active_in(year).values_list("unit_id", flat=True)
    )
    # One query: (successor, predecessor) pairs of the reorganisations that
    # formed these communes.
    earlier = defaultdict(set)
    for new, old in Reorganisation.successors.through.objects.filter(
        unit__in=communes
    ).values_list("unit_id", "reorganisation__predecessors"):
        earlier[new].add(old)
    return {
        "KH.XA_DV_THIET_YEU": {
            pk: fraction(int(pk in providing or bool(earlier[pk] & providing)), 1)
            for pk in communes
        }
    }


@register("KH.XA_THI_DIEM_TM", label="Xã thí điểm NTM thông minh", dated=True)
def pilot_communes(period):
    """One for each commune with a pilot started by 31/12 of the year.

    The communes of 31/12 without one count 0, so that a year without any
    pilot reads "0, not met" rather than "no data".
    """
    year = _year(period)
    units = set(PilotCommune.objects.counted_in(year).values_list("unit_id", flat=True))
    communes = Unit.objects.valid_on(year_bounds(year)[1]).filter(
        level=Unit.Level.COMMUNE
    )
    counts = {pk: fraction(0) for pk in communes.values_list("pk", flat=True)}
    counts.update({pk: fraction(1) for pk in units})
    return {"KH.XA_THI_DIEM_TM": counts}
