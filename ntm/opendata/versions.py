"""Which version of a dataset's data is current, and when it last changed.

MERGE NOTE: i10-cache is building one shared "data version" in ntm.core;
when it lands, ``data_version`` should return its version (keep the
``DataVersion`` shape) and the counts below can go. Until then this is the
opendata app's own, minimal version.

A version is made of the newest ActionLog row (every write goes through a
service that logs one, as plans/progress.py relies on), today's date (open
years are read live and their results move with the day), and, per source
model, its row count and newest ``updated_at``: that also sees rows made
without a service (the demo loader, an import run from the shell), and a
deletion changes the count.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import Count, Max
from django.utils import timezone

from ntm.core.models import ActionLog


@dataclass(frozen=True)
class DataVersion:
    key: str
    # The day the dataset's rows last changed (dct:modified).
    modified: datetime.date


def data_version(dataset):
    """The current ``DataVersion`` of ``dataset``: a few aggregate queries."""
    latest = ActionLog.objects.aggregate(pk=Max("pk"), at=Max("created_at"))
    today = timezone.localdate()
    parts = [dataset.code, str(latest["pk"]), str(latest["at"]), today.isoformat()]
    changes = []
    for model in dataset.sources:
        if _has_field(model, "updated_at"):
            found = model._base_manager.aggregate(n=Count("pk"), at=Max("updated_at"))
            if found["at"]:
                changes.append(found["at"])
        else:
            found = model._base_manager.aggregate(n=Count("pk"), at=Max("pk"))
        parts += [model._meta.label, str(found["n"]), str(found["at"])]
    if not changes and latest["at"]:
        changes.append(latest["at"])
    modified = timezone.localdate(max(changes)) if changes else today
    key = hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]
    return DataVersion(key, modified)


def _has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)
