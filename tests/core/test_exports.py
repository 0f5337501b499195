"""Export jobs (ntm/core/exports.py): request, run, progress, download, expiry.

The tests run the tasks inline (the immediate backend, as `make run` without
a worker does); tests/core/test_export_worker.py runs them on an RQ worker.
"""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ntm.accounts.models import Office, Role
from ntm.core.exports import (
    Exported,
    ExportError,
    ExportKind,
    expire_exports,
    export_kinds,
    request_export,
    run_export_job,
)
from ntm.core.models import ActionLog, ExportJob
from ntm.core.spreadsheets import Column, Sheet, build_workbook
from tests.factories import HouseholdFactory, make_member
from tests.workbooks import content_of, notes, workbook_of

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("households:household-export")
PURPOSE = "Rà soát hộ chưa có cáp quang"


@pytest.fixture
def focal(units, villages):
    """The culture office's focal point: may export the register."""
    HouseholdFactory.create_batch(3, village=villages["hn1"])
    HouseholdFactory(village=villages["vg1"])
    return make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.CULTURE)


@pytest.fixture
def exports_root():
    return Path(settings.EXPORTS_ROOT)


def _files(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file())


def _actions(*names):
    return list(
        ActionLog.objects.filter(action__in=names)
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def test_kind():
    """A kind whose builder writes some rows and then fails as asked
    (``params["fail"]``: "error" for an ExportError, "crash" for a bug)."""
    sheet = Sheet("Thử", [Column("n", "Số")])

    def build(job, progress):
        progress.start(3)
        rows = ([n] for n in range(3))

        def failing():
            for row in progress.track(rows):
                if row[0] == 2 and job.params.get("fail") == "crash":
                    raise RuntimeError("disk full")
                yield row

        if job.params.get("fail") == "error":
            raise ExportError("Bộ lọc không còn đúng.")
        return Exported(build_workbook((sheet, failing())), progress.done)

    kind = ExportKind(name="tests.sample", title="Thử", stem="thu", build=build)
    export_kinds()[kind.name] = kind
    yield kind
    del export_kinds()[kind.name]


def test_register_export_finishes_during_the_request_inline(
    client, focal, exports_root
):
    client.force_login(focal)

    page = client.get(EXPORT_URL, {"fibre": "khong"})
    started = client.post(f"{EXPORT_URL}?fibre=khong", {"purpose": PURPOSE})

    assert "Nghị định 13/2023/NĐ-CP" in page.content.decode()
    job = ExportJob.objects.get()
    assert started["Location"] == job.get_absolute_url()
    assert (job.state, job.rows_total, job.rows_done) == (ExportJob.State.DONE, 3, 3)
    assert (job.kind, job.params, job.purpose) == (
        "households.register",
        {"fibre": "khong"},
        PURPOSE,
    )
    assert job.attempts == 1 and job.personal
    assert _files(exports_root) == [f"{job.pk}-1.xlsx"]
    shown = client.get(job.get_absolute_url()).content.decode()
    assert reverse("core:export-download", args=[job.pk]) in shown
    assert "hx-trigger" not in shown  # finished: no polling


def test_download_is_the_askers_only_never_stored_and_logged(
    client, focal, units, exports_root
):
    job = request_export("households.register", by=focal, params={}, purpose=PURPOSE)
    colleague = make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.CULTURE)
    download = reverse("core:export-download", args=[job.pk])

    client.force_login(colleague)
    refused_page = client.get(job.get_absolute_url())
    refused_file = client.get(download)
    client.force_login(focal)
    response = client.get(download)

    assert (refused_page.status_code, refused_file.status_code) == (403, 403)
    book = workbook_of(response)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    # The focal point's commune only: the household of Vu Gia is not in it.
    assert len(list(book["Hộ gia đình"].iter_rows(min_row=2))) == 3
    assert _actions(
        "core.export.requested",
        "core.export.finished",
        "households.register.exported",
        "core.export.downloaded",
    ) == [
        "core.export.requested",
        "core.export.finished",
        "households.register.exported",
        "core.export.downloaded",
    ]
    logged = ActionLog.objects.get(action="core.export.downloaded")
    assert (logged.actor, logged.object_id) == (focal, str(job.pk))
    job.refresh_from_db()
    assert job.downloads == 1


def test_anonymous_visitor_is_sent_to_sign_in(client, focal, exports_root):
    job = request_export("households.register", by=focal, params={}, purpose="x")

    response = client.get(reverse("core:export-download", args=[job.pk]))

    assert response.status_code == 302
    assert "/dang-nhap/" in response["Location"] or "login" in response["Location"]


def test_personal_export_needs_a_purpose(client, focal, exports_root):
    client.force_login(focal)

    response = client.post(EXPORT_URL, {"purpose": "  "})

    assert response.status_code == 200
    assert "Mục đích sử dụng" in response.content.decode()
    assert not ExportJob.objects.exists()
    with pytest.raises(ExportError):
        request_export("households.register", by=focal, params={}, purpose="")


def test_register_export_keeps_the_personal_data_rule(client, units, villages):
    police = make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.POLICE)
    client.force_login(police)

    assert client.get(EXPORT_URL).status_code == 403
    assert client.post(EXPORT_URL, {"purpose": PURPOSE}).status_code == 403
    assert not ExportJob.objects.exists()


def test_job_of_someone_who_lost_the_right_fails_with_a_message(focal, exports_root):
    focal.memberships.update(office=Office.POLICE)

    job = request_export("households.register", by=focal, params={}, purpose="x")

    assert job.state == ExportJob.State.FAILED
    assert job.error == "Bạn không còn quyền xuất sổ hộ gia đình."
    assert _files(exports_root) == []
    assert not ActionLog.objects.filter(action="households.register.exported")


def test_page_polls_while_the_job_waits_and_shows_progress(client, focal):
    job = ExportJob.objects.create(
        kind="households.register", title="Sổ hộ gia đình", requested_by=focal
    )
    client.force_login(focal)

    waiting = client.get(job.get_absolute_url()).content.decode()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.RUNNING, rows_total=38588, rows_done=12000
    )
    running = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})

    assert 'hx-trigger="every 2s"' in waiting and "Đang chờ tạo tệp" in waiting
    part = running.content.decode()
    assert part.lstrip().startswith('<section class="card export-status"')
    assert "<h1>" not in part  # the status part only
    assert "12.000 / 38.588 dòng" in part
    assert 'value="31"' in part
    assert 'hx-trigger="every 2s"' in part


def test_failed_run_leaves_no_file_and_says_why_in_vietnamese(
    client, focal, test_kind, exports_root
):
    crashed = request_export("tests.sample", by=focal, params={"fail": "crash"})
    refused = request_export("tests.sample", by=focal, params={"fail": "error"})
    client.force_login(focal)

    shown = client.get(crashed.get_absolute_url()).content.decode()

    assert crashed.state == refused.state == ExportJob.State.FAILED
    assert crashed.error.startswith("Không tạo được tệp do lỗi hệ thống.")
    assert refused.error == "Bộ lọc không còn đúng."
    assert crashed.error in shown
    assert _files(exports_root) == []
    assert crashed.file.name == ""
    assert _actions("core.export.failed") == ["core.export.failed"] * 2


def test_failed_run_with_retries_left_goes_back_to_the_queue(focal, test_kind):
    job = ExportJob.objects.create(
        kind="tests.sample", title="Thử", requested_by=focal, params={"fail": "crash"}
    )

    with pytest.raises(RuntimeError):
        run_export_job(job.pk, retries=1)
    job.refresh_from_db()
    first = (job.state, job.attempts)
    with pytest.raises(RuntimeError):
        run_export_job(job.pk, retries=1)
    job.refresh_from_db()

    assert first == (ExportJob.State.QUEUED, 1)
    assert (job.state, job.attempts) == (ExportJob.State.FAILED, 2)


def test_a_second_run_of_a_finished_job_writes_nothing(focal, exports_root):
    job = request_export("households.register", by=focal, params={}, purpose="x")
    logged = ActionLog.objects.count()

    again = run_export_job(job.pk, retries=3)

    assert (again.state, again.attempts, again.file.name) == (
        ExportJob.State.DONE,
        1,
        job.file.name,
    )
    assert _files(exports_root) == [f"{job.pk}-1.xlsx"]
    assert ActionLog.objects.count() == logged


def test_run_after_a_dead_worker_starts_again_and_writes_once(focal, exports_root):
    # What a worker killed mid-run leaves: the job running, one attempt made.
    job = ExportJob.objects.create(
        kind="households.register",
        title="Sổ hộ gia đình",
        requested_by=focal,
        purpose="x",
        personal=True,
        state=ExportJob.State.RUNNING,
        attempts=1,
        rows_done=1000,
    )

    run_export_job(job.pk, retries=3)

    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_done) == (ExportJob.State.DONE, 2, 3)
    assert _files(exports_root) == [f"{job.pk}-2.xlsx"]
    assert _actions("households.register.exported") == ["households.register.exported"]


def test_expired_files_are_deleted_and_no_longer_downloadable(
    client, focal, exports_root
):
    job = request_export("households.register", by=focal, params={}, purpose="x")
    later = job.expires_at + datetime.timedelta(minutes=1)
    assert job.expires_at - job.finished_at == datetime.timedelta(
        hours=settings.EXPORT_KEEP_HOURS
    )

    counts = expire_exports(later)
    client.force_login(focal)
    response = client.get(reverse("core:export-download", args=[job.pk]), follow=True)

    assert counts == (1, 0, 0)
    job.refresh_from_db()
    assert (job.state, job.file.name) == (ExportJob.State.EXPIRED, "")
    assert _files(exports_root) == []
    assert "Tệp này không còn để tải." in response.content.decode()


def test_expiry_fails_stalled_jobs_and_removes_leftover_files(focal, exports_root):
    stalled = ExportJob.objects.create(
        kind="households.register", title="Sổ", requested_by=focal, attempts=4
    )
    ExportJob.objects.filter(pk=stalled.pk).update(
        state=ExportJob.State.RUNNING,
        updated_at=timezone.now() - datetime.timedelta(hours=3),
    )
    leftover = exports_root / "9" / "999-1.xlsx"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"PK")
    old = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(leftover, (old, old))

    counts = expire_exports()

    stalled.refresh_from_db()
    assert counts == (0, 1, 1)
    assert stalled.state == ExportJob.State.FAILED
    assert not leftover.exists()


def test_expire_exports_command_reports_what_it_did(focal, exports_root):
    job = request_export("households.register", by=focal, params={}, purpose="x")
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    out = StringIO()

    call_command("expire_exports", stdout=out)

    assert "Đã xóa 1 tệp hết hạn" in out.getvalue()


def test_list_of_own_exports(client, focal, units, exports_root):
    mine = request_export("households.register", by=focal, params={}, purpose="x")
    other = make_member(units["ha_nha"], Role.OFFICE_STAFF, office=Office.CULTURE)
    theirs = request_export("households.register", by=other, params={}, purpose="x")
    client.force_login(focal)

    page = client.get(reverse("core:export-list")).content.decode()

    assert mine.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page


def test_register_workbook_is_marked_as_personal_data(client, focal, exports_root):
    focal.full_name = "Nguyễn Văn An"
    focal.save()
    job = request_export("households.register", by=focal, params={}, purpose=PURPOSE)
    client.force_login(focal)

    response = client.get(reverse("core:export-download", args=[job.pk]))

    content = content_of(response)
    book = workbook_of(response, content)
    info = notes(book)
    assert "Nghị định 13/2023/NĐ-CP" in info["du lieu ca nhan"]
    assert "số điện thoại" in info["du lieu ca nhan"]
    assert info["nguoi xuat"] == f"Nguyễn Văn An ({focal.username})"
    assert info["muc dich su dung"] == PURPOSE
    assert "không chia sẻ" in info["luu y"]
    assert isinstance(info["xuat luc"], datetime.datetime)
    assert "Nghị định 13/2023" in book["Hộ gia đình"].oddHeader.center.text
    assert book.properties.keywords == "DỮ LIỆU CÁ NHÂN"
    assert content[:2] == b"PK"
