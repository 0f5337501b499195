import argparse
import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from ntm.units import layers
from ntm.units.models import today
from ntm.units.services import UnitError, import_boundaries, import_boundary_file


class Command(BaseCommand):
    help = _(
        "Nhập ranh giới chính thức từ tệp GeoJSON, KML hoặc Shapefile nén .zip "
        "(tất cả hoặc không gì cả). Tệp theo VN-2000 hoặc có khai báo crs / .prj "
        "khác WGS84 sẽ được chuyển về kinh độ/vĩ độ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help=_("Tệp .geojson, .kml hoặc .zip (Shapefile)")
        )
        parser.add_argument(
            "--crs",
            choices=sorted(layers.SYSTEMS),
            default="",
            help=_("Hệ tọa độ của tệp khi tệp không khai báo, ví dụ vn2000-107.75"),
        )
        parser.add_argument(
            "--code-property",
            default="ma",
            help=_("Thuộc tính chứa mã đơn vị (mặc định: ma)"),
        )
        parser.add_argument(
            "--on",
            type=_iso_day,
            default=None,
            help=_("Ngày mà mã đơn vị được hiểu theo, YYYY-MM-DD (mặc định: hôm nay)"),
        )
        parser.add_argument("--source", default="", help=_("Ghi chú nguồn ranh giới"))

    def handle(self, *args, file, code_property, on, source, crs, **options):
        if crs or file.suffix.lower() in (".kml", ".zip"):
            return self._import_layer(file, code_property, on, source, crs)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(
                _("Không đọc được tệp %(file)s: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from error
        except (UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                _("Tệp %(file)s không phải JSON hợp lệ: %(error)s")
                % {"file": file, "error": error}
            ) from error
        if not isinstance(data, dict):
            raise CommandError(_("Tệp %s không phải GeoJSON.") % file)
        try:
            with transaction.atomic():
                units = import_boundaries(
                    data,
                    code_property=code_property,
                    on=on or today(),
                    by=None,
                    source=source,
                )
        except UnitError as error:
            raise CommandError(str(error)) from error
        self._report(units)

    def _import_layer(self, file, code_property, on, source, crs):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Không đọc được tệp %(file)s: %(error)s")
                % {"file": file, "error": error.strerror or error}
            ) from error
        try:
            units, repaired = import_boundary_file(
                content,
                file.name,
                code_property=code_property,
                on=on or today(),
                crs=layers.system(crs),
                by=None,
                source=source,
            )
        except UnitError as error:
            raise CommandError(str(error)) from error
        for feature in repaired:
            self.stdout.write(f"{feature.label}: {feature.repaired}")
        self._report(units)

    def _report(self, units):
        self.stdout.write(
            self.style.SUCCESS(_("Đã cập nhật ranh giới %d đơn vị:") % len(units))
        )
        for unit in units:
            self.stdout.write(f"  {unit.code} {unit.name}")


def _iso_day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("ngày không hợp lệ: %s (dùng YYYY-MM-DD)") % text
        ) from None
