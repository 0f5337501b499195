"""The growing-area code format and minimum areas, read from a versioned file.

``data/area_codes.json`` holds the QĐ 3156/QĐ-BNN-TT (2022) pattern
``VN-<province>-<district>-<commune>-<facility>-<year>`` as a list of
segments, each flagged confirmed or not, and the minimum area per crop kind.
An area keeps the version of the format its code was issued under; a new
file version changes the codes issued after it, never those already issued.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

FORMAT_FILE = Path(__file__).parent / "data" / "area_codes.json"


@dataclass(frozen=True)
class Segment:
    name: str
    label: str
    confirmed: bool
    value: str = ""
    width: int = 0
    when_missing: str = ""
    note: str = ""


@dataclass(frozen=True)
class Minimum:
    hectares: Decimal
    label: str
    confirmed: bool


@dataclass(frozen=True)
class CodeFormat:
    version: int
    name: str
    decision: str
    source: str
    separator: str
    segments: tuple
    minimum_area: dict  # crop kind: Minimum

    @property
    def unconfirmed(self):
        """The segments (and minimums) still waiting for official guidance."""
        parts = [s for s in self.segments if not s.confirmed]
        return parts + [m for m in self.minimum_area.values() if not m.confirmed]

    @property
    def pattern(self):
        return self.separator.join(
            segment.value or f"<{segment.label}>" for segment in self.segments
        )

    def administrative_parts(self, unit):
        """The country and GSO code segments of a commune, in order.

        A missing level (no district above a commune since 01/07/2025) is
        left out when the file says so.
        """
        codes = {ancestor.level: ancestor.code for ancestor in unit.ancestors()}
        codes[unit.level] = unit.code
        by_name = {"province": codes.get(1), "district": codes.get(2)}
        by_name["commune"] = codes.get(3)
        parts = []
        for segment in self.segments:
            if segment.value:
                parts.append(segment.value)
            elif segment.name in by_name:
                code = by_name[segment.name]
                if code:
                    parts.append(code)
                elif segment.when_missing != "omit":
                    raise ValueError(f"no {segment.name} code for {unit}")
        return parts

    def prefix_for(self, unit):
        """The code up to the facility number: "VN-48-20515-"."""
        return self.separator.join(self.administrative_parts(unit)) + self.separator

    def build(self, unit, *, facility, year):
        widths = {segment.name: segment.width for segment in self.segments}
        return (
            self.prefix_for(unit)
            + f"{facility:0{widths['facility']}d}"
            + self.separator
            + f"{year % 100:0{widths['year']}d}"
        )

    def minimum_for(self, crop_kind):
        return self.minimum_area[crop_kind]


def read_format(path=FORMAT_FILE):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return CodeFormat(
        version=int(data["version"]),
        name=data["name"],
        decision=data["decision"],
        source=data.get("source", ""),
        separator=data["separator"],
        segments=tuple(
            Segment(
                name=item["name"],
                label=item["label"],
                confirmed=bool(item["confirmed"]),
                value=item.get("value", ""),
                width=int(item.get("width", 0)),
                when_missing=item.get("when_missing", ""),
                note=item.get("note", ""),
            )
            for item in data["segments"]
        ),
        minimum_area={
            kind: Minimum(
                hectares=Decimal(item["value"]),
                label=item["label"],
                confirmed=bool(item["confirmed"]),
            )
            for kind, item in data["minimum_area_ha"].items()
        },
    )


@cache
def current_format():
    return read_format()
