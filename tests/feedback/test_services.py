import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ntm.core.models import ActionLog
from ntm.feedback.models import Report
from ntm.feedback.services import (
    FeedbackError,
    change_status,
    escalate_overdue,
    nearby_open,
    reopen_report,
    submit_report,
)
from ntm.households.models import Place

from .conftest import T0

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
# 0.001° of latitude is about 110.6 m.
LAT, LON = 15.850, 108.021


def report_at(category, lat=LAT, lon=LON, now=T0, **extra):
    return submit_report(
        category=category, text="Ổ gà lớn", lat=lat, lon=lon, now=now, **extra
    )


def test_submit_report_routes_to_village_commune_and_office(area, roads):
    report = report_at(roads, reporter_name="Lê Văn Tám", reporter_phone="0905123456")

    assert report.village == area["hn1"]
    assert report.commune == area["ha_nha"]
    assert report.category.office == "ktht"
    assert report.status == Report.Status.RECEIVED
    assert report.due_at == T0 + 10 * DAY
    assert len(report.code) == 10
    assert [e.action for e in report.events.all()] == ["received"]
    assert list(
        ActionLog.objects.filter(action__startswith="feedback.").values_list(
            "action", flat=True
        )
    ) == ["feedback.report.submitted"]


def test_submit_report_refuses_a_point_outside_the_communes(area, roads):
    with pytest.raises(FeedbackError):
        report_at(roads, lat=108.02, lon=15.85)  # swapped

    assert Report.objects.count() == 0


def test_submit_report_takes_the_point_of_an_address_code(area, roads):
    Place.objects.create(
        village=area["vg1"],
        kind="agency",
        name="UBND xã",
        address_code="X-0001",
        lat=15.86,
        lon=108.16,
    )

    report = submit_report(
        category=roads, text="Đường hỏng", address_code="X-0001", now=T0
    )

    assert (float(report.lat), float(report.lon)) == (15.86, 108.16)
    assert report.commune == area["vu_gia"]


def test_nearby_open_offers_reports_within_the_radius_only(area, roads, lights):
    near = report_at(roads, lat=LAT + 0.0015)  # ~166 m
    report_at(roads, lat=LAT + 0.0025)  # ~276 m
    report_at(lights, lat=LAT + 0.0005)  # another category
    done = report_at(roads, lat=LAT + 0.0001)
    change_status(done, "resolve", by=None, note="Đã vá", now=T0)

    found = nearby_open(roads, LAT, LON)

    assert found == [near]
    assert 150 < found[0].distance < 180


def _jpeg_with_gps():
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel"  # Model
    exif[0x8825] = {1: "N", 2: (15.0, 51.0, 0.0), 3: "E", 4: (108.0, 1.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photo_is_stored_without_location_or_camera_metadata(area, roads):
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)

    report = report_at(roads, photos=[SimpleUploadedFile("o-ga.jpg", raw)])

    stored = report.photos.get()
    with stored.image.open("rb") as handle:
        kept = Image.open(io.BytesIO(handle.read()))
        assert dict(kept.getexif()) == {}
        assert "exif" not in kept.info
        assert kept.size == (64, 48)


def test_a_program_named_jpg_is_refused(area, roads):
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a photo")

    with pytest.raises(FeedbackError):
        report_at(roads, photos=[fake])

    assert Report.objects.count() == 0


def test_escalate_overdue_marks_and_escalates_once(area, roads, lights):
    late = report_at(roads)  # 10 days
    fixed = report_at(lights)  # 5 days
    change_status(fixed, "resolve", by=None, note="Đã thay bóng", now=T0 + 2 * DAY)

    second = datetime.timedelta(seconds=1)
    # Resolved on day 2: the reopen window (7 days) ends on day 9.
    assert escalate_overdue(now=T0 + 9 * DAY) == (0, 0)
    assert escalate_overdue(now=T0 + 9 * DAY + second) == (0, 1)
    assert escalate_overdue(now=T0 + 10 * DAY) == (0, 0)
    assert escalate_overdue(now=T0 + 10 * DAY + second) == (1, 0)
    assert escalate_overdue(now=T0 + 20 * DAY) == (0, 0)

    late.refresh_from_db()
    assert late.is_overdue
    assert late.escalated_to == area["ha_nha"].parent
    assert [e.action for e in late.events.all()] == ["received", "overdue"]
    assert list(Report.objects.overdue()) == [late]
    fixed.refresh_from_db()
    assert fixed.status == Report.Status.CLOSED


def test_reopen_report_within_the_window_only(area, roads):
    first, second = report_at(roads), report_at(roads)
    for report in (first, second):
        change_status(report, "resolve", by=None, note="Đã vá", now=T0 + DAY)

    reopen_report(first, reason="Vẫn còn ổ gà", now=T0 + 8 * DAY)
    with pytest.raises(FeedbackError):
        reopen_report(
            second, reason="Vẫn còn", now=T0 + 8 * DAY + datetime.timedelta(seconds=1)
        )

    first.refresh_from_db()
    assert first.status == Report.Status.REOPENED
    assert first.due_at == T0 + 18 * DAY
    second.refresh_from_db()
    assert second.status == Report.Status.RESOLVED


def test_change_status_follows_the_workflow(area, roads, commune_officer):
    report = report_at(roads)

    change_status(report, "assign", by=commune_officer, now=T0)
    with pytest.raises(FeedbackError):
        change_status(report, "resolve", by=commune_officer, note=" ", now=T0)
    with pytest.raises(FeedbackError):
        change_status(report, "close", by=commune_officer, now=T0)
    with pytest.raises(FeedbackError):
        change_status(report, "reopen", by=commune_officer, now=T0)

    report.refresh_from_db()
    assert report.status == Report.Status.ASSIGNED
    assert report.assignee == commune_officer


def test_received_by_village_counts_the_period(area, roads):
    report_at(roads)
    report_at(roads, lon=108.081)
    report_at(roads, lon=108.082)
    report_at(roads, now=T0 + 40 * DAY)

    counts = Report.objects.received_by_village(T0.date(), (T0 + 30 * DAY).date())

    assert counts == {area["hn1"].pk: 1, area["hn2"].pk: 2}


def test_escalate_feedback_command_escalates(area, roads):
    from io import StringIO

    from django.core.management import call_command

    report_at(roads, now=T0 - 11 * DAY)
    out = StringIO()

    call_command("escalate_feedback", stdout=out)
    call_command("escalate_feedback", stdout=out)

    assert out.getvalue().splitlines() == [
        "escalated=1 closed=0",
        "escalated=0 closed=0",
    ]
