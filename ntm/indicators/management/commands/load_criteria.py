from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from ntm.indicators.models import Requirement
from ntm.indicators.services import (
    CRITERIA_DIR,
    CriteriaFileError,
    classify_units,
    criteria_file_digest,
    criteria_files,
    load_criteria_file,
)
from ntm.units.models import Unit

# Đại Lộc lay in Quảng Nam (49) and now lies in Đà Nẵng (48); both are in the
# Duyên hải Nam Trung Bộ region of QĐ 318/QĐ-TTg, whose thresholds its
# communes are measured against.
DHNTB_PROVINCES = ("48", "49")
REGION_SCHEME, DHNTB = "region", "DHNTB"


class Command(BaseCommand):
    help = _(
        "Nạp các bộ tiêu chí từ tệp dữ liệu (ntm/indicators/criteria/*.json) và "
        "xếp các xã của Quảng Nam / Đà Nẵng vào vùng Duyên hải Nam Trung Bộ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            metavar="FILE",
            help=_("Tệp cần nạp (mặc định: mọi tệp, theo thứ tự tên)."),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Nạp lại bộ tiêu chí có tệp đã thay đổi (thay thế cả các ngưỡng "
                "đã sửa trên màn hình)."
            ),
        )

    def handle(self, *args, files, force, **options):
        paths = [self._resolve(name) for name in files] or criteria_files()
        try:
            with transaction.atomic():
                for path in paths:
                    self._load(path, force)
                self._classify()
        except CriteriaFileError as error:
            raise CommandError(
                _("Không nạp được: %s. Không có thay đổi nào được lưu.") % error
            ) from error

    def _load(self, path, force):
        criteria_set, action = load_criteria_file(path, by=None, force=force)
        label = _("%(name)s (%(code)s, phiên bản %(version)s)") % {
            "name": criteria_set.name,
            "code": criteria_set.code,
            "version": criteria_set.version,
        }
        counts = _("%(criteria)d tiêu chí, %(requirements)d yêu cầu") % {
            "criteria": criteria_set.criteria.count(),
            "requirements": Requirement.objects.filter(
                criterion__criteria_set=criteria_set
            ).count(),
        }
        style = self.style.SUCCESS
        if action == "created":
            message = _("Đã nạp %(set)s: %(counts)s.")
        elif action == "updated":
            message = _("Đã nạp lại %(set)s: %(counts)s.")
        elif criteria_set.file_digest == criteria_file_digest(path):
            message, style = _("Bỏ qua %(set)s: tệp không thay đổi."), str
        else:
            message, style = (
                _(
                    "Bỏ qua %(set)s: tệp đã thay đổi nhưng bộ tiêu chí có thể đã "
                    "được sửa trên màn hình; dùng --force để nạp lại."
                ),
                self.style.WARNING,
            )
        text = message % {"set": label, "counts": counts}
        self.stdout.write(style(f"{path.name}: {text}"))

    def _classify(self):
        communes = Unit.objects.communes().within_any(
            [f"{code}/" for code in DHNTB_PROVINCES]
        )
        changed = classify_units(REGION_SCHEME, DHNTB, communes, by=None)
        self.stdout.write(
            _("Đã xếp %(count)d đơn vị cấp xã vào vùng Duyên hải Nam Trung Bộ.")
            % {"count": len(changed)}
            if changed
            else _("Các đơn vị cấp xã đều đã được phân vùng.")
        )

    def _resolve(self, name):
        path = Path(name)
        if not path.exists() and (CRITERIA_DIR / name).exists():
            path = CRITERIA_DIR / name
        if not path.exists():
            raise CommandError(_("Không tìm thấy tệp %s.") % name)
        return path
