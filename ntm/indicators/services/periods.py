"""Closing a period: computed values frozen so that they outlive today's records."""

from django.db import transaction
from django.utils import timezone

from ntm.core.audit import log_action

from .. import providers
from ..models import ComputedSnapshot, Indicator


@transaction.atomic
def freeze_period(period, *, by, is_demo=False):
    """Store the computed values of a period so that they outlive today's records."""
    now = timezone.now()
    rows = []
    indicators = {
        i.code: i for i in Indicator.objects.filter(source=Indicator.Source.COMPUTED)
    }
    done = set()
    for code in indicators:
        provider = providers.provider_for(code)
        # Dated providers read their period's records at any time: no snapshot.
        if provider is None or provider.dated or provider in done:
            continue
        done.add(provider)
        computed = provider.compute()
        for provided_code in provider.codes:
            if provided_code not in indicators:
                continue
            for unit_id, (numerator, denominator) in computed.get(
                provided_code, {}
            ).items():
                rows.append(
                    ComputedSnapshot(
                        indicator=indicators[provided_code],
                        unit_id=unit_id,
                        period=period,
                        numerator=numerator,
                        denominator=denominator,
                        computed_at=now,
                        is_demo=is_demo,
                    )
                )
    ComputedSnapshot.objects.filter(period=period).delete()
    ComputedSnapshot.objects.bulk_create(rows, batch_size=2000)
    log_action(
        period, "indicators.period.frozen", by=by, data={"note": f"{len(rows)} giá trị"}
    )
    return len(rows)
