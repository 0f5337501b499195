"""Feedback workflow: submit, join, route, progress, resolve, reopen, escalate.

Every change is atomic, writes a ``ReportEvent`` (the public history) and an
``ActionLog`` row (the audit trail). Times come in as ``now=`` so the
deadline rules are tested with a frozen clock.
"""

import datetime
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from shapely.geometry import Point

from ntm.core.audit import log_action
from ntm.core.states import lock
from ntm.core.uploads import RULES, check_upload
from ntm.households.addresses import public_address
from ntm.units import spatial
from ntm.units.models import Unit

from .geo import distance_m
from .models import Category, Report, ReportEvent, ReportPhoto, rules

# A point this far outside a drawn boundary (degrees, ~1 km) still counts:
# the demo's boundaries are approximate and a phone's GPS is not exact.
TOLERANCE = 0.01
MAX_PHOTOS = 3
MAX_SIDE = 2048
# The audit log's name of each staff action.
LOGGED = {
    "assign": "feedback.report.assigned",
    "start": "feedback.report.started",
    "resolve": "feedback.report.resolved",
    "close": "feedback.report.closed",
}


class FeedbackError(Exception):
    """The input is well formed but the report's rules refuse it."""


# -- Where a report belongs -------------------------------------------------


def locate(lat, lon):
    """(village or None, commune) of today's units holding the point.

    The commune is the one whose boundary covers the point (within
    TOLERANCE); the village, the one of its villages whose boundary covers
    it, else whose centre is nearest (villages' boundaries are seldom
    drawn). Raises FeedbackError when the point is outside every commune
    of the platform (another district, or latitude and longitude swapped).
    """
    here = Point(float(lon), float(lat))
    communes = spatial.units_near(
        Unit.objects.valid_on()
        .filter(level=Unit.Level.COMMUNE, boundary__isnull=False)
        .only("pk", "boundary", "path", "parent_id"),
        lat,
        lon,
        TOLERANCE,
    )
    if not communes:
        raise FeedbackError(
            _(
                "Điểm trên bản đồ nằm ngoài địa bàn của huyện; hãy chọn lại vị trí"
                " (vĩ độ và kinh độ có thể đã bị đổi chỗ)."
            )
        )
    commune = min(communes, key=lambda pair: pair[0])[1]
    ranked = []
    for village in (
        Unit.objects.valid_on()
        .filter(parent=commune, level=Unit.Level.VILLAGE)
        .only("pk", "boundary", "lat", "lon", "parent_id")
    ):
        geometry = spatial.shape_of(village.boundary) if village.boundary else None
        if geometry is not None and geometry.covers(here):
            ranked.append((-1.0, village))
        elif village.lat is not None and village.lon is not None:
            ranked.append((distance_m(lat, lon, village.lat, village.lon), village))
    village = min(ranked, key=lambda pair: pair[0])[1] if ranked else None
    return village, commune


def point_of_address(code):
    """(lat, lon) of a digital address code, or raise FeedbackError."""
    answer = public_address(code.strip())
    if answer is None or answer["lat"] is None or answer["lon"] is None:
        raise FeedbackError(
            _("Không tìm thấy mã địa chỉ số “%(code)s”.") % {"code": code}
        )
    return answer["lat"], answer["lon"]


def nearby_open(category, lat, lon, *, metres=None):
    """Open reports of ``category`` within ``metres`` of the point, nearest
    first, each with its ``distance`` (metres): one query on a box, then
    the exact distance on the ellipsoid."""
    metres = metres or rules()["nearby_metres"]
    candidates = (
        Report.objects.public().open().filter(category=category).near(lat, lon, metres)
    )
    found = []
    for report in candidates[:200]:
        report.distance = distance_m(lat, lon, report.lat, report.lon)
        if report.distance <= metres:
            found.append(report)
    return sorted(found, key=lambda r: r.distance)


# -- Photos -----------------------------------------------------------------


def clean_photo(upload):
    """A JPEG re-encoded from ``upload`` without its metadata (EXIF: GPS,
    camera, time), turned upright and no larger than MAX_SIDE."""
    check_upload(upload, RULES["photo"], FeedbackError)
    try:
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original)
            image = image.convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise FeedbackError(_("Tệp ảnh không đọc được.")) from error
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone carries no info or EXIF block.
    bare = Image.new("RGB", image.size)
    bare.paste(image)
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=85)
    return ContentFile(out.getvalue(), name=f"{Path(upload.name).stem[:40]}.jpg")


def _store_photos(report, photos, kind):
    for content in [clean_photo(upload) for upload in photos]:
        photo = ReportPhoto(report=report, kind=kind)
        photo.image.save(content.name, content, save=False)
        photo.save()


# -- Submitting -------------------------------------------------------------


def _event(report, action, *, at, by=None, note=""):
    return ReportEvent.objects.create(
        report=report, action=action, status=report.status, at=at, by=by, note=note
    )


@transaction.atomic
def submit_report(
    *,
    category,
    text,
    lat=None,
    lon=None,
    address_code="",
    photos=(),
    reporter_name="",
    reporter_phone="",
    is_business=False,
    by=None,
    now=None,
    is_demo=False,
):
    """Receive a report, route it to its village, commune and office, and
    set its deadline from the category.

    The point comes from the map or from a digital address code; it must
    lie inside a commune of the platform. Photos are re-encoded without
    metadata. ``by`` is the signed-in reporter, if any.
    """
    now = now or timezone.now()
    if not category.is_active:
        raise FeedbackError(_("Lĩnh vực này không còn nhận phản ánh."))
    if len(photos) > MAX_PHOTOS:
        raise FeedbackError(_("Gửi tối đa %(n)s ảnh.") % {"n": MAX_PHOTOS})
    if lat is None or lon is None:
        if not address_code:
            raise FeedbackError(
                _("Hãy chọn vị trí trên bản đồ hoặc nhập mã địa chỉ số.")
            )
        lat, lon = point_of_address(address_code)
    village, commune = locate(lat, lon)
    report = Report.objects.create(
        category=category,
        text=text.strip(),
        lat=round(float(lat), 6),
        lon=round(float(lon), 6),
        address_code=address_code.strip(),
        village=village,
        commune=commune,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter=by if by is not None and by.is_authenticated else None,
        is_business=is_business,
        received_at=now,
        due_at=now + datetime.timedelta(days=category.deadline_days),
        is_demo=is_demo,
    )
    _store_photos(report, photos, ReportPhoto.Kind.REPORT)
    _event(report, "received", at=now, by=report.reporter)
    log_action(
        report,
        "feedback.report.submitted",
        by=report.reporter,
        data={"category": category.code, "commune": commune.code},
    )
    return report


@transaction.atomic
def join_report(report, *, now=None):
    """Count one more person meeting the same problem ("tôi cũng gặp")."""
    lock(report)
    if not report.is_open:
        raise FeedbackError(_("Phản ánh này đã được xử lý xong."))
    report.supporters += 1
    report.save(update_fields=["supporters", "updated_at"])
    _event(report, "joined", at=now or timezone.now())
    log_action(report, "feedback.report.joined", by=None)
    return report


# -- The workflow -----------------------------------------------------------


@transaction.atomic
def change_status(report, action, *, by, note="", assignee=None, photos=(), now=None):
    """Take ``action`` (assign, start, resolve, close) on ``report``.

    Resolving needs a note (what was done) and may carry photos of the fix;
    assigning names the person who will handle it.
    """
    now = now or timezone.now()
    lock(report)
    if action == "reopen":
        raise FeedbackError(_("Chỉ người phản ánh mới mở lại phản ánh."))
    target = Report.Status.check(report.status, action, FeedbackError)
    if action == "resolve" and not note.strip():
        raise FeedbackError(_("Hãy ghi rõ đã xử lý thế nào."))
    fields = ["status", "updated_at"]
    report.status = target
    if action == "assign":
        report.assignee = assignee or by
        fields.append("assignee")
    if action == "resolve":
        report.resolved_at = now
        fields.append("resolved_at")
        if report.first_resolved_at is None:
            report.first_resolved_at = now
            fields.append("first_resolved_at")
    report.save(update_fields=fields)
    if photos:
        _store_photos(report, photos, ReportPhoto.Kind.FIX)
    _event(report, action, at=now, by=by, note=note.strip())
    log_action(report, LOGGED[action], by=by, data={"note": note[:200]})
    return report


def reopen_deadline(report):
    if report.resolved_at is None:
        return None
    return report.resolved_at + datetime.timedelta(days=rules()["reopen_days"])


@transaction.atomic
def reopen_report(report, *, reason, now=None):
    """The reporter (who holds the code) reopens a resolved report within
    the reopen window; a new deadline runs from now."""
    now = now or timezone.now()
    lock(report)
    target = Report.Status.check(report.status, "reopen", FeedbackError)
    if now > reopen_deadline(report):
        raise FeedbackError(
            _("Đã quá %(days)s ngày kể từ khi xử lý xong: không mở lại được nữa.")
            % {"days": rules()["reopen_days"]}
        )
    if not reason.strip():
        raise FeedbackError(_("Hãy cho biết vì sao vấn đề chưa được giải quyết."))
    report.status = target
    report.resolved_at = None
    report.overdue_at = None
    report.due_at = now + datetime.timedelta(days=report.category.deadline_days)
    report.save(
        update_fields=["status", "resolved_at", "overdue_at", "due_at", "updated_at"]
    )
    _event(report, "reopen", at=now, note=reason.strip())
    log_action(report, "feedback.report.reopened", by=None)
    return report


@transaction.atomic
def escalate_overdue(*, now=None):
    """Mark overdue the open reports past their deadline and escalate each,
    once, to the unit above its commune; close resolved reports whose
    reopen window has ended. Returns (escalated, closed) counts."""
    now = now or timezone.now()
    due = list(
        Report.objects.past_due(now)
        .select_for_update()
        .select_related("commune")
        .defer("commune__boundary")
    )
    for report in due:
        report.overdue_at = now
        report.escalated_to_id = report.commune.parent_id
        report.save(update_fields=["overdue_at", "escalated_to", "updated_at"])
        _event(report, "overdue", at=now)
        log_action(report, "feedback.report.escalated", by=None)
    window = datetime.timedelta(days=rules()["reopen_days"])
    ended = list(
        Report.objects.filter(
            status=Report.Status.RESOLVED, resolved_at__lt=now - window
        ).select_for_update()
    )
    for report in ended:
        report.status = Report.Status.CLOSED
        report.save(update_fields=["status", "updated_at"])
        _event(report, "close", at=now, note=_("Tự đóng khi hết hạn mở lại."))
        log_action(report, "feedback.report.closed", by=None)
    return len(due), len(ended)


def categories():
    return Category.objects.filter(is_active=True)


def load_categories(model=Category):
    """The categories of the rules file: the migration installs them (with
    its historical ``model``); a test database emptied between tests gets
    them back from here."""
    for item in rules()["categories"]:
        model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "office": item["office"],
                "deadline_days": item["deadline_days"],
            },
        )
