"""The published files of a dataset: CSV, XLSX and GeoJSON, built on request.

A dataset's rows are its last good figures (core/publiccache.py: recomputed
by the task worker after a write), and a file is built once per computation
of the rows, so every later download is a cache read.

CSV choices (docs/decisions.md): UTF-8 with a byte-order mark, because
district officials open a downloaded .csv in Excel, which reads a file
without it as the Windows code page and garbles every Vietnamese name,
while Python (utf-8-sig), pandas, R and LibreOffice skip the mark. The
header row is the column keys (stable, ASCII: the same names as the
GeoJSON properties and the OGC API); numbers are in machine notation
(83.58), dates ISO 8601, yes/no as true/false. Text that Excel would run
as a formula is prefixed with an apostrophe.

XLSX: the shared spreadsheet framework, Vietnamese headers, numbers as
numbers, and a "Thông tin" sheet with the licence, publisher, period and
update date.
"""

import csv
import datetime
import io
import json
from decimal import Decimal

from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ntm.core.publiccache import last_good
from ntm.core.spreadsheets import Sheet, build_workbook

from .metadata import LICENCE_NAME, LICENCE_URL, publisher
from .versions import data_version

# Long enough to matter, short enough that a file whose version key no
# longer comes up does not stay for ever in a local-memory cache.
CACHE_SECONDS = 24 * 3600
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def dataset_rows(dataset, version=None):
    """The dataset's last good rows (recomputed by the task worker after a
    write, core/publiccache.py)."""
    return dataset_figures(dataset).value


def dataset_figures(dataset):
    return last_good(compute_rows, dataset.code)


def compute_rows(code):
    from .registry import get_dataset

    # Published in Vietnamese whatever the visitor's language: one file per
    # version, the same for everyone.
    with translation.override("vi"):
        return list(get_dataset(code).rows())


def dataset_file(dataset, fmt):
    """(bytes, DataVersion) of ``dataset`` as ``fmt`` (csv, xlsx, geojson)."""
    if fmt not in dataset.formats:
        raise ValueError(f"{dataset.code} has no {fmt} file.")
    version = data_version(dataset)
    figures = dataset_figures(dataset)
    # Built once per computation of the rows the file holds.
    key = f"opendata:file:{dataset.code}:{fmt}:{figures.computed_at.timestamp()}"
    content = cache.get(key)
    if content is None:
        with translation.override("vi"):
            content = BUILDERS[fmt](dataset, figures.value, version)
        cache.set(key, content, CACHE_SECONDS)
    return content, version


def file_name(dataset, fmt):
    return f"{dataset.code}.{fmt}"


def build_csv(dataset, rows, version):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.key for column in dataset.columns])
    for row in rows:
        writer.writerow([_csv_value(row.get(column.key)) for column in dataset.columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _plain(number):
    """83.5800 -> "83.58", 12.0000 -> "12": no exponent, no trailing zeros."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def build_xlsx(dataset, rows, version):
    # The title is in the "Thông tin" sheet; sheet names refuse ":" and "/".
    sheet = Sheet(name=_("Dữ liệu"), columns=dataset.columns)
    return build_workbook(
        (sheet, rows), notes=notes(dataset, rows, version), demo=draws_on_demo(dataset)
    )


def draws_on_demo(dataset):
    """Whether any source holds rows made by ``load_demo`` (the XLSX and the
    dataset page then say "Dữ liệu minh họa", as every export does)."""
    return any(
        model._base_manager.filter(is_demo=True).exists()
        for model in dataset.sources
        if any(field.name == "is_demo" for field in model._meta.concrete_fields)
    )


def notes(dataset, rows, version):
    """The (label, value) lines every file's metadata says, in Vietnamese."""
    period = dataset.temporal(rows) if dataset.temporal else None
    lines = [
        (_("Bộ dữ liệu"), str(dataset.title)),
        (_("Mô tả"), str(dataset.description)),
        (_("Đơn vị công bố"), publisher()["name"]),
        (_("Giấy phép"), f"{LICENCE_NAME} — {LICENCE_URL}"),
        (_("Cập nhật dữ liệu"), version.modified),
    ]
    if period:
        first, last = (date_format(day, "d/m/Y") for day in period)
        lines.append((_("Thời gian"), f"{first} – {last}"))
    if dataset.privacy_note:
        lines.append((_("Dữ liệu cá nhân"), str(dataset.privacy_note)))
    return lines


def build_geojson(dataset, rows, version):
    return json.dumps(
        feature_collection(dataset, rows), ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def feature_collection(dataset, rows):
    return {
        "type": "FeatureCollection",
        "features": [feature(dataset, row) for row in rows],
    }


def feature(dataset, row):
    """A row as a GeoJSON Feature: the columns as properties."""
    return {
        "type": "Feature",
        "id": str(row["id"]),
        "geometry": row.get("geometry"),
        "properties": {
            column.key: json_value(row.get(column.key)) for column in dataset.columns
        },
    }


def json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


BUILDERS = {"csv": build_csv, "xlsx": build_xlsx, "geojson": build_geojson}
