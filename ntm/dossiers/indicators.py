"""Plan target 11 from the recognition dossiers and the smart-village set.

"100 % of model-NTM communes have at least one smart village": a commune is
a model-NTM commune of a year when a "kiểu mẫu" dossier of it was recognised
by the decision date on or before 31/12 and not revoked by then; it has a
smart village when one of the villages on its territory meets the smart-
village set in that year (the engine's verdict, from that year's facts).
Every other commune of 31/12 reads 0 of 0, so that a district without model
communes shows "not applicable" rather than "no data".
"""

from django.db.models import Q

from ntm.indicators.evaluation import MET, Context, evaluate
from ntm.indicators.models import CriteriaSet
from ntm.indicators.providers import fraction, register
from ntm.units.models import Unit

from .models import Dossier

SMART_VILLAGE_SET = "THON_THONG_MINH_DAI_LOC"


def model_communes(day):
    """Communes recognised as model-NTM communes on ``day``."""
    recognised = Dossier.objects.filter(
        kind=Dossier.Kind.MODEL, decision_date__lte=day
    ).filter(
        Q(status=Dossier.Status.RECOGNISED)
        | Q(status=Dossier.Status.REVOKED, revocation_date__gt=day)
    )
    return list(
        Unit.objects.filter(
            pk__in=recognised.values("unit_id"), level=Unit.Level.COMMUNE
        )
        .defer("boundary")
        .order_by("path")
    )


@register(
    "KH.XA_KM_CO_THON_TM",
    label="Quyết định công nhận xã NTM kiểu mẫu (hồ sơ) và đánh giá thôn thông minh",
    dated=True,
)
def model_communes_with_a_smart_village(period):
    day = period.end
    shares = {
        pk: fraction(0, 0)
        for pk in Unit.objects.valid_on(day).communes().values_list("pk", flat=True)
    }
    communes = model_communes(day)
    smart_set = (
        CriteriaSet.objects.active()
        .for_year(day.year)
        .filter(code=SMART_VILLAGE_SET)
        .order_by("-version")
        .first()
    )
    if not communes:
        return {"KH.XA_KM_CO_THON_TM": shares}
    if smart_set is None:
        # Model communes but no set to judge their villages: no data.
        for commune in communes:
            shares.pop(commune.pk, None)
        return {"KH.XA_KM_CO_THON_TM": shares}
    context = Context(period)
    villages = {
        commune.pk: context.units_within(commune, Unit.Level.VILLAGE)
        for commune in communes
    }
    evaluations = evaluate(
        smart_set,
        [v for found in villages.values() for v in found],
        period,
        context,
    )
    for commune in communes:
        smart = any(evaluations[v.pk].status == MET for v in villages[commune.pk])
        shares[commune.pk] = fraction(int(smart), 1)
    return {"KH.XA_KM_CO_THON_TM": shares}
