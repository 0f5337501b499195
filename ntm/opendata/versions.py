"""Which version of a dataset's data is current, and when it last changed.

The platform's data version (core/publiccache.py): every write goes through
a service that logs an ActionLog row, which moves it once the write
commits; reading it is one cache read, no query. The "modified" date of a
dataset (dct:modified) is the day of the last write the platform saw.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from ntm.core.publiccache import data_version as platform_version


@dataclass(frozen=True)
class DataVersion:
    key: str
    # The day the dataset's rows last changed (dct:modified).
    modified: datetime.date


def data_version(dataset):
    """The current ``DataVersion`` of ``dataset``."""
    version = platform_version()
    return DataVersion(f"{dataset.code}-{version.key}", timezone.localdate(version.at))
