"""The scoring sheet of tourism sites, as data (``data/*.json``), and ranking.

Each file is one version of a sheet: its items with their maximum points,
each flagged ``confirmed`` (every item is unconfirmed until the district's
own sheet is found). The newest version scores new assessments; an
assessment keeps the code and version it was scored on. Stars come from the
total as OCOP's (``ntm.ocop.ranking.stars_for``).
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from ntm.ocop.ranking import stars_for

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Sheet:
    code: str
    version: int
    name: str
    source: str
    items: tuple  # dicts: code, part, name, max_points, confirmed

    @property
    def max_total(self):
        return sum(Decimal(str(item["max_points"])) for item in self.items)

    @property
    def confirmed(self):
        return all(item["confirmed"] for item in self.items)


@cache
def sheets():
    """Every sheet file, oldest version first."""
    found = []
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.append(
            Sheet(
                data["code"],
                data["version"],
                data["name"],
                data.get("source", ""),
                tuple(data["items"]),
            )
        )
    return sorted(found, key=lambda s: (s.code, s.version))


def current_sheet():
    return sheets()[-1]


def total_of(sheet, scores):
    """The total of ``scores`` ({item code: points}) on ``sheet``, or
    ValueError naming the first item missing or out of its range."""
    total = Decimal(0)
    for item in sheet.items:
        value = scores.get(item["code"])
        if value is None:
            raise ValueError(_("Chưa chấm nội dung %(code)s.") % {"code": item["code"]})
        value = Decimal(str(value))
        if not Decimal(0) <= value <= Decimal(str(item["max_points"])):
            raise ValueError(
                _("Nội dung %(code)s được từ 0 đến %(max)s điểm.")
                % {"code": item["code"], "max": item["max_points"]}
            )
        total += value
    unknown = set(scores) - {item["code"] for item in sheet.items}
    if unknown:
        raise ValueError(
            _("Phiếu không có nội dung %(code)s.") % {"code": sorted(unknown)[0]}
        )
    return total


def stars(total):
    return stars_for(total)
